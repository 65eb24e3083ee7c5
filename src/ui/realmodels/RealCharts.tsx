/**
 * Two small charts drawn with plain elements (no canvas, so they print and scale): accuracy as a
 * 0–100 % track with the 95 % interval and the rate marked, and energy per correct answer as bars
 * with their range. Each is an image to assistive technology, with the results table as its text
 * alternative (`aria-describedby`).
 */
import { t } from '../../i18n/index.ts';
import type { Range3 } from '../../shared/result.ts';
import { scaleJoules } from '../demo/meter.ts';
import { joulesRange, pct } from './format.ts';
import type { RoleFigures } from './figures.ts';

const width = (x: number): string => `${Math.max(0, Math.min(100, x * 100)).toFixed(2)}%`;

function AccuracyChart({ figures }: { figures: RoleFigures[] }) {
  const label = figures.map((f) => `${t(`results.role.${f.role}`)}: ${pct(f.accuracy.rate)} % (${pct(f.accuracy.low)}–${pct(f.accuracy.high)} %)`).join('; ');
  return (
    <figure class="rm-chart" role="img" aria-label={t('realmodels.chart.accuracy', { values: label })} aria-describedby="rm-table" data-testid="rm-chart-accuracy">
      <figcaption class="small">{t('realmodels.chart.accuracyTitle')}</figcaption>
      {figures.map((f) => (
        <div class={`rm-bar-row role-${f.role}`} key={f.role}>
          <span class="small">{t(`results.role.${f.role}`)}</span>
          <div class="rm-track">
            <div class="rm-interval" style={{ left: width(f.accuracy.low), width: width(f.accuracy.high - f.accuracy.low) }} />
            <div class="rm-mark" style={{ left: width(f.accuracy.rate) }} />
          </div>
        </div>
      ))}
    </figure>
  );
}

function EnergyChart({ figures }: { figures: RoleFigures[] }) {
  const ranges = figures.flatMap((f) => (f.perCorrect?.available ? [{ role: f.role, r: f.perCorrect.joules }] : []));
  if (ranges.length === 0) return null;
  const top = Math.max(...ranges.map((x) => x.r.p95)) || 1;
  const label = ranges.map((x) => `${t(`results.role.${x.role}`)}: ${joulesRange(x.r)}`).join('; ');
  // One unit for the axis note, from the largest median.
  const unit = scaleJoules(ranges.reduce<Range3>((a, x) => (x.r.p50 > a.p50 ? x.r : a), ranges[0]!.r)).unit;
  return (
    <figure class="rm-chart" role="img" aria-label={t('realmodels.chart.energy', { values: label })} aria-describedby="rm-table" data-testid="rm-chart-energy">
      <figcaption class="small">{t('realmodels.chart.energyTitle', { unit })}</figcaption>
      {ranges.map(({ role, r }) => (
        <div class={`rm-bar-row role-${role}`} key={role}>
          <span class="small">{t(`results.role.${role}`)}</span>
          <div class="rm-track">
            <div class="rm-fill" style={{ width: width(r.p50 / top) }} />
            <div class="rm-interval whisker" style={{ left: width(r.p5 / top), width: width((r.p95 - r.p5) / top) }} />
          </div>
        </div>
      ))}
    </figure>
  );
}

export function RealCharts({ figures }: { figures: RoleFigures[] }) {
  return (
    <div class="rm-charts">
      <AccuracyChart figures={figures} />
      <EnergyChart figures={figures} />
    </div>
  );
}
