/**
 * The class's pooled results on the projector: how many devices, then one histogram each for the
 * gap ratio and the two models' energy per answer, on a log scale (devices differ by orders of
 * magnitude). Each histogram has its text alternative: median, quartiles and range, read by a
 * screen reader and shown in small type under it.
 */
import { fmt, t, tp } from '../../i18n/index.ts';
import type { ClassDistribution, PooledFigure } from '../../shared/classroom.ts';

/** Joules per answer in the unit that keeps 1–3 digits before the point (µJ, mJ, J, kJ). */
export function fmtJoules(j: number): string {
  if (!(j > 0)) return fmt(j);
  if (j < 1e-3) return `${fmt(j * 1e6, 2)} µJ`;
  if (j < 1) return `${fmt(j * 1e3, 2)} mJ`;
  if (j < 1e3) return `${fmt(j, 2)} J`;
  return `${fmt(j / 1e3, 2)} kJ`;
}

const fmtRatio = (x: number) => `${fmt(x, 2)}×`;

type FigureId = 'ratio' | 'generalJ' | 'specializedJ';

function label(id: FigureId): string {
  switch (id) {
    case 'ratio':
      return t('classroom.pool.ratio');
    case 'generalJ':
      return t('classroom.pool.general');
    case 'specializedJ':
      return t('classroom.pool.specialized');
    default: {
      const never: never = id;
      return String(never);
    }
  }
}

function Histogram({ id, f }: { id: FigureId; f: PooledFigure }) {
  const format = id === 'ratio' ? fmtRatio : fmtJoules;
  const top = Math.max(1, ...f.counts);
  const w = 100 / f.counts.length;
  const summary = t('classroom.pool.summary', { median: format(f.median), p25: format(f.p25), p75: format(f.p75), min: format(f.min), max: format(f.max) });
  return (
    <figure class={`pool-figure pool-${id}`} data-testid={`pool-${id}`}>
      <figcaption>{label(id)}</figcaption>
      <svg viewBox="0 0 100 30" preserveAspectRatio="none" aria-hidden="true" focusable="false">
        {f.counts.map((c, i) => (c > 0 ? <rect key={i} x={i * w + 0.5} y={30 - (28 * c) / top} width={w - 1} height={(28 * c) / top} /> : null))}
      </svg>
      <p class="pool-axis" aria-hidden="true">
        <span>{format(f.min)}</span>
        <span>{format(f.max)}</span>
      </p>
      <p class="pool-summary">{summary}</p>
    </figure>
  );
}

export function ClassPool({ d }: { d: ClassDistribution }) {
  return (
    <div class="class-pool" data-testid="class-pool">
      <p class="pool-count" data-testid="pool-count">
        {tp('classroom.pool.count', d.count)}
      </p>
      {d.ratio ? <Histogram id="ratio" f={d.ratio} /> : null}
      {d.specializedJ ? <Histogram id="specializedJ" f={d.specializedJ} /> : null}
      {d.generalJ ? <Histogram id="generalJ" f={d.generalJ} /> : null}
    </div>
  );
}
