/**
 * Byte sizes for people: decimal units (1 MB = 10^6 B, as in the engine's limit messages, so a
 * limit shown on the status card reads the same as in an error), digits and unit names in the
 * page language (French writes "Mo", with a decimal comma).
 */
import { fmt, lang, t, type Lang } from '../i18n/index.ts';

const UNITS = ['units.B', 'units.kB', 'units.MB', 'units.GB', 'units.TB'] as const;

export function formatBytes(n: number | null | undefined, l: Lang = lang.value): string {
  if (n === null || n === undefined || !Number.isFinite(n) || n < 0) return '—';
  let i = 0;
  let v = n;
  while (v >= 1000 && i < UNITS.length - 1) {
    v /= 1000;
    i++;
  }
  // Three significant digits: 512 B, 134 MB, 1.07 GB.
  return t(UNITS[i] as string, { n: fmt(v, 2, l) }, l);
}
