/**
 * A small i18n layer: flat message keys, `{name}` placeholders, French and English complete.
 * Each feature area owns one dictionary file in `dict/` exporting `{ en, fr }` with the same
 * keys (a unit test checks both languages have every key).
 */
import { effect, signal } from '@preact/signals';
import { core } from './dict/core.ts';
import { energy } from './dict/energy.ts';
import { results } from './dict/results.ts';
import { model } from './dict/model.ts';
import { dataset } from './dict/dataset.ts';
import { guide } from './dict/guide.ts';
import { classroom } from './dict/classroom.ts';
import { realmodels } from './dict/realmodels.ts';
import { calibration } from './dict/calibration.ts';

export type Lang = 'en' | 'fr';
export const LANGS: readonly Lang[] = ['en', 'fr'];
export type Dict = Record<string, string>;

export const dictionaries: Record<Lang, Dict> = {
  en: { ...core.en, ...energy.en, ...results.en, ...model.en,
    ...dataset.en, ...guide.en, ...classroom.en, ...realmodels.en, ...calibration.en },
  fr: { ...core.fr, ...energy.fr, ...results.fr, ...model.fr,
    ...dataset.fr, ...guide.fr, ...classroom.fr, ...realmodels.fr, ...calibration.fr },
};

/** Where the visitor's last choice of language is kept, so the next visit opens in it. */
export const LANG_KEY = 'fal.lang';

/** localStorage when there is one that works (not in Node, not when storage is blocked). */
function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/** The remembered choice first, then the browser's language, then English. */
export function initialLang(stored: string | null = storage()?.getItem(LANG_KEY) ?? null, nav = typeof navigator !== 'undefined' ? navigator.language : 'en'): Lang {
  if (stored === 'en' || stored === 'fr') return stored;
  return nav.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

export const lang = signal<Lang>(initialLang());

// Every switch (the header's menu, the demo's L key, a link's ?lang=) is remembered; the first
// run only reads the signal, so a language taken from the browser is never stored as a choice.
let firstRun = true;
effect(() => {
  const l = lang.value;
  if (firstRun) {
    firstRun = false;
    return;
  }
  try {
    storage()?.setItem(LANG_KEY, l);
  } catch {
    // A full or blocked storage only loses the memory of the choice, never the choice.
  }
});

/** Translate `key` in the current language; unknown keys fall back to English, then the key. */
export function t(key: string, params?: Record<string, string | number>, l: Lang = lang.value): string {
  const raw = dictionaries[l][key] ?? dictionaries.en[key] ?? key;
  if (!params) return raw;
  return raw.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/** The BCP 47 locale of a language, for every `Intl` formatter. */
export function locale(l: Lang = lang.value): string {
  return l === 'fr' ? 'fr-FR' : 'en-US';
}

// One PluralRules per language: tp() runs on every render of a count.
const PLURAL_RULES = new Map<Lang, Intl.PluralRules>();
function pluralRules(l: Lang): Intl.PluralRules {
  let rules = PLURAL_RULES.get(l);
  if (!rules) PLURAL_RULES.set(l, (rules = new Intl.PluralRules(locale(l))));
  return rules;
}

/**
 * Plural forms of a message: `key.one`, `key.other` (and any other CLDR category a language
 * needs) chosen by `Intl.PluralRules`; a missing category falls back to `key.other`. `{n}` is the
 * count, formatted for the language ("1 000" in French), unless `params` gives its own.
 */
export function tp(key: string, count: number, params?: Record<string, string | number>, l: Lang = lang.value): string {
  const category = pluralRules(l).select(count);
  const form = `${key}.${category}`;
  const chosen = dictionaries[l][form] !== undefined || dictionaries.en[form] !== undefined ? form : `${key}.other`;
  return t(chosen, { n: new Intl.NumberFormat(locale(l)).format(count), ...params }, l);
}

/** A calendar day ("2025-03-14", the document's `date`) or an instant, in the reader's language. */
export function fmtDate(value: string | number | Date, l: Lang = lang.value): string {
  // A bare day is a date without a time zone: read and print it in UTC so it never shifts a day.
  const day = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
  const d = value instanceof Date ? value : new Date(day ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(d.getTime())) return typeof value === 'string' ? value : '—';
  return new Intl.DateTimeFormat(locale(l), day ? { dateStyle: 'long', timeZone: 'UTC' } : { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

/** Numbers formatted for the current language (French uses a comma and thin spaces). */
export function fmt(value: number | null | undefined, digits = 2, l: Lang = lang.value): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return new Intl.NumberFormat(locale(l), { maximumSignificantDigits: Math.max(1, digits + 1) }).format(value);
}
