/** Wording of the real-models figures (pure): percentages, rates, durations, joule ranges. */
import { fmt, t } from '../../i18n/index.ts';
import type { ModelProgress } from '../../lab/model-download.ts';
import type { Range3 } from '../../shared/result.ts';
import { formatBytes } from '../format.ts';
import { scaleJoules } from '../demo/meter.ts';

/** 0.8125 → "81" (percent, 2 significant digits at least, 3 at most). */
export const pct = (x: number): string => fmt(x * 100, 2);

/** "0.42 J (0.21–0.95)": one unit for the whole range, chosen from the median. */
export function joulesRange(r: Range3): string {
  const s = scaleJoules(r);
  return `${fmt(s.value.p50, 1)} ${s.unit} (${fmt(s.value.p5, 1)}–${fmt(s.value.p95, 1)})`;
}

/** "×12 (8.1–19)". */
export const ratioRange = (r: Range3): string => `×${fmt(r.p50, 1)} (${fmt(r.p5, 1)}–${fmt(r.p95, 1)})`;

/** Seconds as "42 s" or "3 min 20 s". */
export function duration(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '—';
  if (s < 60) return t('realmodels.unit.seconds', { s: fmt(Math.ceil(s), 2) });
  return t('realmodels.unit.minutes', { m: Math.floor(s / 60), s: Math.round(s % 60) });
}

/** "134 MB of 551 MB · 12 MB/s · 35 s left", each part only when known. */
export function progressLine(p: ModelProgress): string {
  const parts = [p.total === null ? formatBytes(p.received) : t('realmodels.download.of', { received: formatBytes(p.received), total: formatBytes(p.total) })];
  if (p.rate !== null) parts.push(t('realmodels.download.rate', { rate: formatBytes(p.rate) }));
  if (p.etaS !== null) parts.push(t('realmodels.download.eta', { left: duration(p.etaS) }));
  return parts.join(' · ');
}
