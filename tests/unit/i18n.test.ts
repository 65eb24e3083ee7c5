import { describe, expect, test } from 'vitest';
import { dictionaries, t } from '../../src/i18n/index.ts';

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
