/**
 * The demo's settings as they travel in the address (`#/demo?preset=quick&lang=fr&country=FRA&queries=1000`):
 * parsed with a fallback for every bad value, and a note saying which value was refused and what
 * is used instead, so a teacher who mistyped a link sees why the page differs from what they asked.
 */
import { LANGS, type Lang } from '../../i18n/index.ts';
import { isKnownCountry } from '../../energy/index.ts';
import { isPresetName, type PresetName } from '../../shared/presets.ts';
import type { PageParam } from '../../lab/page-params.ts';
import { hrefFor } from '../router.ts';

export const DEFAULT_PRESET: PresetName = 'quick';
/** The "per N queries" figure of the result panel. */
export const DEFAULT_QUERIES = 1000;
/** Above a billion queries the figures stop being relatable; the address is more likely mistyped. */
const MAX_QUERIES = 1_000_000_000;

export interface DemoSettings {
  preset: PresetName;
  /** null: the language of the page (browser or header choice). */
  lang: Lang | null;
  /** ISO 3166-1 alpha-3 of the grid; null: guessed from the time zone at estimate time. */
  country: string | null;
  queries: number;
}

/** A refused address value: the parameter, what was given (shortened) and what is used instead. */
export type SettingNote =
  | { param: 'preset'; given: string; using: PresetName }
  | { param: 'lang'; given: string; using: null }
  | { param: 'country'; given: string; using: null }
  | { param: 'queries'; given: string; using: number };

/** The demo's own parameter beside the page parameters the router and the run views share. */
type DemoParam = Extract<PageParam, 'preset' | 'lang' | 'country'> | 'queries';

/** A given value as shown in a note: short enough for one line, whatever was pasted. */
function shown(v: string): string {
  return v.length > 24 ? `${v.slice(0, 23)}…` : v;
}

function isLang(v: string): v is Lang {
  return (LANGS as readonly string[]).includes(v);
}

export function parseDemoSettings(params: URLSearchParams): { settings: DemoSettings; notes: SettingNote[] } {
  const notes: SettingNote[] = [];
  const get = (k: DemoParam) => params.get(k);

  const rawPreset = get('preset');
  let preset = DEFAULT_PRESET;
  // `custom` needs the model fields of the run view's form: the demo races the named presets only.
  if (rawPreset !== null && isPresetName(rawPreset) && rawPreset !== 'custom') preset = rawPreset;
  else if (rawPreset !== null) notes.push({ param: 'preset', given: shown(rawPreset), using: DEFAULT_PRESET });

  const rawLang = get('lang');
  let lang: Lang | null = null;
  if (rawLang !== null && isLang(rawLang)) lang = rawLang;
  else if (rawLang !== null) notes.push({ param: 'lang', given: shown(rawLang), using: null });

  const rawCountry = get('country');
  let country: string | null = null;
  if (rawCountry !== null && isKnownCountry(rawCountry)) country = rawCountry.trim().toUpperCase();
  else if (rawCountry !== null) notes.push({ param: 'country', given: shown(rawCountry), using: null });

  const rawQueries = get('queries');
  let queries = DEFAULT_QUERIES;
  const n = rawQueries !== null && /^\d+$/.test(rawQueries.trim()) ? Number(rawQueries.trim()) : Number.NaN;
  if (Number.isSafeInteger(n) && n >= 1 && n <= MAX_QUERIES) queries = n;
  else if (rawQueries !== null) notes.push({ param: 'queries', given: shown(rawQueries), using: DEFAULT_QUERIES });

  return { settings: { preset, lang, country, queries }, notes };
}

/** The demo's address for these settings (a country left to the time zone is left out). */
export function demoHref(s: DemoSettings): string {
  const p: Record<string, string> = { preset: s.preset };
  if (s.lang) p['lang'] = s.lang;
  if (s.country) p['country'] = s.country;
  p['queries'] = String(s.queries);
  return hrefFor('demo', p);
}
