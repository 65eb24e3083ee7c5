/**
 * A group's distributions, read from its maintained quantile sketches: one small box strip per
 * figure (5–95 % whiskers, 25–75 % box, median tick) on a scale shared by the groups shown, so
 * strips compare at a glance, and a table of every quantile for screen readers. Plain SVG: a few
 * hundred nodes per page, no canvas.
 */
import { fmt, t } from '../../../i18n/index.ts';
import type { DistributionMetric, GroupStats, SketchDistribution } from '../../../shared/dataset.ts';

/** The synthetic race's figures, then a real model's (a group has one set or the other). */
const METRICS: readonly DistributionMetric[] = ['specializedJ', 'generalJ', 'ratio', 'queryJ', 'correctJ', 'queryMs'];

const METRIC_LABEL: Record<DistributionMetric, string> = {
  specializedJ: 'dataset.metric.specializedJ',
  generalJ: 'dataset.metric.generalJ',
  ratio: 'dataset.metric.ratio',
  queryJ: 'dataset.metric.queryJ',
  correctJ: 'dataset.metric.correctJ',
  queryMs: 'dataset.metric.queryMs',
};

export interface Scale {
  min: number;
  max: number;
  log: boolean;
}

export type Scales = Partial<Record<DistributionMetric, Scale>>;

/** The value at probability q (the sketch's nearest quantile), or null when it has none. */
export function quantileAt(d: SketchDistribution, q: number): number | null {
  let best: { q: number; value: number } | null = null;
  for (const p of d.quantiles) if (best === null || Math.abs(p.q - q) < Math.abs(best.q - q)) best = p;
  return best?.value ?? null;
}

/** One scale per figure over the groups shown: logarithmic when every value is positive. */
export function sharedScales(groups: readonly GroupStats[]): Scales {
  const out: Scales = {};
  for (const m of METRICS) {
    const values = groups.flatMap((g) => g.distributions.filter((d) => d.metric === m).flatMap((d) => d.quantiles.map((p) => p.value))).filter(Number.isFinite);
    if (values.length === 0) continue;
    const min = Math.min(...values);
    const max = Math.max(...values);
    out[m] = { min, max, log: min > 0 };
  }
  return out;
}

const WIDTH = 240;
const HEIGHT = 18;
const PAD = 6;

function position(s: Scale, v: number): number {
  const span = s.log ? Math.log(s.max) - Math.log(s.min) : s.max - s.min;
  if (!(span > 0)) return WIDTH / 2;
  const f = s.log ? (Math.log(v) - Math.log(s.min)) / span : (v - s.min) / span;
  return PAD + Math.min(1, Math.max(0, f)) * (WIDTH - 2 * PAD);
}

const digits = (m: DistributionMetric) => (m === 'ratio' || m === 'queryMs' ? 2 : 3);

function Strip({ d, scale }: { d: SketchDistribution; scale: Scale }) {
  const [p5, p25, p50, p75, p95] = [0.05, 0.25, 0.5, 0.75, 0.95].map((q) => quantileAt(d, q));
  if (p5 == null || p25 == null || p50 == null || p75 == null || p95 == null) return null;
  const x = (v: number) => position(scale, v);
  const label = t('dataset.dist.stripLabel', { metric: t(METRIC_LABEL[d.metric]), median: fmt(p50, digits(d.metric)), low: fmt(p5, digits(d.metric)), high: fmt(p95, digits(d.metric)), count: d.count });
  return (
    <svg class="dist-strip" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width={WIDTH} height={HEIGHT} role="img" aria-label={label} data-testid="dist-strip">
      <line x1={x(p5)} x2={x(p95)} y1={HEIGHT / 2} y2={HEIGHT / 2} class="dist-whisker" />
      <rect x={x(p25)} y={3} width={Math.max(1, x(p75) - x(p25))} height={HEIGHT - 6} class="dist-box" />
      <line x1={x(p50)} x2={x(p50)} y1={1} y2={HEIGHT - 1} class="dist-median" />
    </svg>
  );
}

export function GroupDistribution({ group, scales, title }: { group: GroupStats; scales: Scales; title: string }) {
  const shown = METRICS.flatMap((m) => group.distributions.filter((d) => d.metric === m && d.quantiles.length > 0));
  return (
    <figure class="dist-group" data-testid="dist-group">
      <figcaption><strong>{title}</strong> <span class="small muted">{t('dataset.count', { count: group.count })}</span></figcaption>
      {shown.length === 0 ? <p class="small muted" data-testid="dist-none">{t('dataset.dist.none')}</p> : null}
      {shown.map((d) => {
        const scale = scales[d.metric];
        return (
          <div class="dist-row" key={d.metric}>
            <span class="dist-label small">{t(METRIC_LABEL[d.metric])}</span>
            {scale ? <Strip d={d} scale={scale} /> : null}
            <span class="small muted">{t('dataset.count', { count: d.count })}</span>
          </div>
        );
      })}
      {shown.length > 0 ? (
        <table class="sr-only" data-testid="dist-table">
          <caption>{t('dataset.dist.tableCaption', { group: title, accuracy: fmt((shown[0]?.relativeAccuracy ?? 0) * 100, 1) })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('dataset.dist.quantile')}</th>
              {shown.map((d) => <th scope="col" key={d.metric}>{t(METRIC_LABEL[d.metric])} ({t('dataset.count', { count: d.count })})</th>)}
            </tr>
          </thead>
          <tbody>
            {(shown[0]?.quantiles ?? []).map((p) => (
              <tr key={p.q}>
                <th scope="row">{`${Math.round(p.q * 100)} %`}</th>
                {shown.map((d) => {
                  const v = quantileAt(d, p.q);
                  return <td key={d.metric}>{v === null ? '—' : fmt(v, digits(d.metric))}</td>;
                })}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </figure>
  );
}
