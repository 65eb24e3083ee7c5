import { describe, expect, test } from 'vitest';
import { dictionaries, initialLang, lang, LANG_KEY, t } from '../../src/i18n/index.ts';

describe('i18n', () => {
  test('French and English have exactly the same keys', () => {
    const en = Object.keys(dictionaries.en).sort();
    const fr = Object.keys(dictionaries.fr).sort();
    expect(fr.filter((k) => !en.includes(k))).toEqual([]);
    expect(en.filter((k) => !fr.includes(k))).toEqual([]);
  });
  test('no empty message', () => {
    for (const l of ['en', 'fr'] as const) {
      for (const [k, v] of Object.entries(dictionaries[l])) expect(v.trim(), `${l}:${k}`).not.toBe('');
    }
  });
  test('placeholders are substituted and preserved in both languages', () => {
    expect(t('nope.missing')).toBe('nope.missing');
    for (const k of Object.keys(dictionaries.en)) {
      const ph = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort().join(',');
      expect(ph(dictionaries.fr[k] ?? ''), k).toBe(ph(dictionaries.en[k] ?? ''));
    }
  });
});

describe('plurals and dates through Intl', () => {
  test('tp() picks the form by Intl.PluralRules and formats the count', async () => {
    const { tp, fmtDate } = await import('../../src/i18n/index.ts');
    const info = (n: number, l: 'en' | 'fr') => tp('guide.plural.samplesInfo', n, { warmup: 1, batch: 1, dropped: 0 }, l);
    expect(info(1, 'en')).toMatch(/^1 sample ·/);
    expect(info(2, 'en')).toMatch(/^2 samples ·/);
    expect(info(0, 'en')).toMatch(/^0 samples ·/);
    expect(info(1, 'fr')).toMatch(/^1 échantillon ·/);
    // French: 0 and 1 are singular, 2 plural; counts use the French grouping.
    expect(info(0, 'fr')).toMatch(/^0 échantillon ·/);
    expect(info(2, 'fr')).toMatch(/^2 échantillons ·/);
    expect(info(1500, 'fr')).toMatch(/^1\u202f500 échantillons ·/);
    expect(info(1500, 'en')).toMatch(/^1,500 samples ·/);
    // A French "many" (a million) falls back to the "other" form.
    expect(info(1_000_000, 'fr')).toMatch(/échantillons/);
    expect(fmtDate('2025-03-14', 'en')).toBe('March 14, 2025');
    expect(fmtDate('2025-03-14', 'fr')).toBe('14 mars 2025');
    expect(fmtDate('not a date', 'en')).toBe('not a date');
  });
});

describe('the language is remembered', () => {
  test('a remembered choice wins over the browser language; anything else falls back to it', () => {
    expect(initialLang('fr', 'en-US')).toBe('fr');
    expect(initialLang('en', 'fr-FR')).toBe('en');
    expect(initialLang(null, 'fr-CA')).toBe('fr');
    expect(initialLang('de', 'en-GB')).toBe('en');
  });

  test('every switch is stored; a storage that throws loses only the memory', () => {
    const store = new Map<string, string>();
    const fake = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    Object.defineProperty(globalThis, 'localStorage', { value: fake, configurable: true });
    try {
      lang.value = 'fr';
      expect(store.get(LANG_KEY)).toBe('fr');
      lang.value = 'en';
      expect(store.get(LANG_KEY)).toBe('en');
      fake.setItem = () => {
        throw new DOMException('full', 'QuotaExceededError');
      };
      lang.value = 'fr';
      expect(lang.value).toBe('fr');
      expect(store.get(LANG_KEY)).toBe('en');
    } finally {
      lang.value = 'en';
      Reflect.deleteProperty(globalThis, 'localStorage');
    }
  });
});
