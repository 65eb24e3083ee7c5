/**
 * Byte sizes for people: decimal units (1 MB = 10^6 B, as in the engine's limit messages, so a
 * limit shown on the status card reads the same as in an error), digits and unit names in the
 * page language (French writes "Mo", with a decimal comma).
 */
import { fmt, lang, t, type Lang } from '../i18n/index.ts';
import { scaleBytes, type ByteUnit } from '../shared/bytes.ts';

const UNIT_KEYS: Readonly<Record<ByteUnit, string>> = { B: 'units.B', kB: 'units.kB', MB: 'units.MB', GB: 'units.GB', TB: 'units.TB' };

export function formatBytes(n: number | null | undefined, l: Lang = lang.value): string {
  if (n === null || n === undefined || !Number.isFinite(n) || n < 0) return '—';
  const { value, unit } = scaleBytes(n);
  // Three significant digits: 512 B, 134 MB, 1.07 GB.
  return t(UNIT_KEYS[unit], { n: fmt(value, 2, l) }, l);
}
