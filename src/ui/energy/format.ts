/**
 * Unit choice and range formatting for energy and carbon figures (pure, unit-tested). The unit
 * is chosen from the median so a whole range reads in one unit: "0.42 mWh (0.21–0.95)".
 */
import { fmt, t, type Lang } from '../../i18n/index.ts';
import { appleTierName, scale3, type AppleTierBasis, type GridChoice, type ProfileChoice } from '../../energy/index.ts';
import type { Range3 } from '../../shared/result.ts';

export interface Scaled { value: Range3; unit: string }

/** Wh → µWh, mWh, Wh, kWh or MWh by the magnitude of the median. */
export function scaleWh(r: Range3): Scaled {
  const m = Math.abs(r.p50);
  if (m >= 1e6) return { value: scale3(r, 1e-6), unit: 'MWh' };
  if (m >= 1e3) return { value: scale3(r, 1e-3), unit: 'kWh' };
  if (m >= 1) return { value: r, unit: 'Wh' };
  if (m >= 1e-3) return { value: scale3(r, 1e3), unit: 'mWh' };
  return { value: scale3(r, 1e6), unit: 'µWh' };
}

/** grams CO2e → µg, mg, g, kg or t by the magnitude of the median. */
export function scaleGrams(r: Range3): Scaled {
  const m = Math.abs(r.p50);
  if (m >= 1e6) return { value: scale3(r, 1e-6), unit: 't' };
  if (m >= 1e3) return { value: scale3(r, 1e-3), unit: 'kg' };
  if (m >= 1) return { value: r, unit: 'g' };
  if (m >= 1e-3) return { value: scale3(r, 1e3), unit: 'mg' };
  return { value: scale3(r, 1e6), unit: 'µg' };
}

/** "0.42 (0.21–0.95)": median then the p5–p95 range, two significant digits by default. */
export function fmtRange(r: Range3, digits = 1, l?: Lang): string {
  return `${fmt(r.p50, digits, l)} (${fmt(r.p5, digits, l)}–${fmt(r.p95, digits, l)})`;
}

/** "0.42 mWh (0.21–0.95)". */
export function fmtWhRange(wh: Range3, l?: Lang): string {
  const s = scaleWh(wh);
  return `${fmt(s.value.p50, 1, l)} ${s.unit} (${fmt(s.value.p5, 1, l)}–${fmt(s.value.p95, 1, l)})`;
}

/** "3.1 mg CO2e (1.5–6.8)". */
export function fmtGramsRange(g: Range3, l?: Lang): string {
  const s = scaleGrams(g);
  return `${fmt(s.value.p50, 1, l)} ${s.unit} CO2e (${fmt(s.value.p5, 1, l)}–${fmt(s.value.p95, 1, l)})`;
}

/** An interval without a median (embodied: calendar to active-hours allocation). */
export function fmtGramsInterval(i: { low: number; high: number }, l?: Lang): string {
  const s = scaleGrams({ p5: i.low, p50: Math.sqrt(i.low * i.high), p95: i.high });
  return `${fmt(s.value.p5, 1, l)}–${fmt(s.value.p95, 1, l)} ${s.unit} CO2e`;
}

/** Log-scale slider: position 0..steps → 10^(min..max), rounded to a readable integer. */
export function logSliderValue(pos: number, minExp: number, maxExp: number, steps = 100): number {
  const e = minExp + ((maxExp - minExp) * Math.min(steps, Math.max(0, pos))) / steps;
  const v = Math.pow(10, e);
  const mag = Math.pow(10, Math.max(0, Math.floor(Math.log10(v)) - 1));
  return Math.max(1, Math.round(v / mag) * mag);
}

export function logSliderPos(value: number, minExp: number, maxExp: number, steps = 100): number {
  const e = Math.log10(Math.max(1, value));
  return Math.round(((e - minExp) / (maxExp - minExp)) * steps);
}

/** One energy value with its own unit: "3.2 kWh". */
export function fmtWhValue(wh: number, l?: Lang): string {
  const s = scaleWh({ p5: wh, p50: wh, p95: wh });
  return `${fmt(s.value.p50, 1, l)} ${s.unit}`;
}

/** The profile's label in the current language (catalog entries carry a French label). */
export function profileLabel(p: Pick<ProfileChoice, 'label' | 'labelFr'>, l: Lang): string {
  return l === 'fr' && p.labelFr ? p.labelFr : p.label;
}

/** "NVIDIA Ada Lovelace, desktop: 70–380 W", translated from the structured basis when present. */
export function profileReason(p: Pick<ProfileChoice, 'reason' | 'basis' | 'deltaW'>, l: Lang): string {
  if (!p.basis) return p.reason;
  const range = `${fmt(p.deltaW.low, 2, l)}–${fmt(p.deltaW.high, 2, l)} W`;
  const formText = p.basis.form ? t(`energy.form.${p.basis.form}`, undefined, l) : '';
  const form = p.basis.integratedOrDiscrete ? `${formText}, ${t('energy.form.integratedOrDiscrete', undefined, l)}` : formText;
  // An empty {who} leaves a stray space before the colon: English drops it, French keeps one.
  const text = t(`energy.reason.${p.basis.kind}`, { who: p.basis.who, form, range }, l).replace(/\s{2,}/g, ' ');
  const tier = p.basis.appleTier ? `; ${appleTierText(p.basis.appleTier, l)}` : '';
  return (l === 'fr' ? text.replace(/\s+,/g, ',') : text.replace(/\s+([:,])/g, '$1')) + tier;
}

/** "tier Max (16 CPU threads, measured peak 12300 GFLOP/s)": how the Apple tier was chosen. */
function appleTierText(b: AppleTierBasis, l: Lang): string {
  const evidence = [
    b.threadsUsed && b.cpuThreads !== null ? t('energy.tier.threads', { n: String(b.cpuThreads) }, l) : t('energy.tier.threadsUnusable', undefined, l),
    b.peakUsed && b.peakGflops !== null ? t('energy.tier.peak', { gflops: String(Math.round(b.peakGflops)) }, l) : t('energy.tier.peakUnusable', undefined, l),
    ...(b.batteryUsed ? [t('energy.tier.battery', undefined, l)] : []),
  ].join(', ');
  return b.chosen !== null
    ? t('energy.tier.chosen', { tier: appleTierName(b.chosen), evidence }, l)
    : t('energy.tier.widened', { tiers: b.candidates.map(appleTierName).join(' / '), evidence }, l);
}

/**
 * The grid's source line in the page's language. The document keeps the English `source` (it is
 * data); the UI renders its translatable key. Numbers get the language's decimal mark but no
 * grouping (a year stays "2024"). A grid without a key (older code paths) shows `source` as is.
 */
export function gridSource(g: Pick<GridChoice, 'source' | 'sourceKey' | 'sourceParams'>, l: Lang): string {
  if (!g.sourceKey) return g.source;
  const nf = new Intl.NumberFormat(l === 'fr' ? 'fr-FR' : 'en-US', { maximumFractionDigits: 2, useGrouping: false });
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(g.sourceParams ?? {})) params[k] = typeof v === 'number' ? nf.format(v) : v;
  return t(g.sourceKey, params, l);
}

/** J → µJ, mJ, J or kJ by the magnitude of the median. */
function scaleJ(r: Range3): Scaled {
  const m = Math.abs(r.p50);
  if (m >= 1e3) return { value: scale3(r, 1e-3), unit: 'kJ' };
  if (m >= 1) return { value: r, unit: 'J' };
  if (m >= 1e-3) return { value: scale3(r, 1e3), unit: 'mJ' };
  return { value: scale3(r, 1e6), unit: 'µJ' };
}

/** "42 mJ (21–95)": joules in one unit chosen from the median. */
export function fmtJRange(j: Range3, l?: Lang): string {
  const s = scaleJ(j);
  return `${fmt(s.value.p50, 1, l)} ${s.unit} (${fmt(s.value.p5, 1, l)}–${fmt(s.value.p95, 1, l)})`;
}
