import { describe, expect, test } from 'vitest';
import { dictionaries, t } from '../../../src/i18n/index.ts';
import { ERROR_NAMES, errorName } from '../../../src/shared/errors.ts';
import { ERROR_HINT_KEYS, errorHintKey } from '../../../src/ui/errors.ts';
import { formatBytes } from '../../../src/ui/format.ts';

describe('formatBytes (the one byte formatter)', () => {
  test('decimal units, three significant digits, English', () => {
    expect(formatBytes(0, 'en')).toBe('0 B');
    expect(formatBytes(999, 'en')).toBe('999 B');
    expect(formatBytes(1000, 'en')).toBe('1 kB');
    expect(formatBytes(16_384, 'en')).toBe('16.4 kB');
    // WebGPU's default maxStorageBufferBindingSize reads as in the engine's limit messages (134.2 MB).
    expect(formatBytes(134_217_728, 'en')).toBe('134 MB');
    expect(formatBytes(268_435_456, 'en')).toBe('268 MB');
    expect(formatBytes(4_294_967_296, 'en')).toBe('4.29 GB');
    expect(formatBytes(2.5e12, 'en')).toBe('2.5 TB');
    expect(formatBytes(7e15, 'en')).toBe('7,000 TB');
  });
  test('French: octets and a decimal comma', () => {
    expect(formatBytes(512, 'fr')).toBe('512 o');
    expect(formatBytes(16_384, 'fr')).toBe('16,4 ko');
    expect(formatBytes(134_217_728, 'fr')).toBe('134 Mo');
    expect(formatBytes(4_294_967_296, 'fr')).toBe('4,29 Go');
  });
  test('nothing measured is a dash, never "0 B"', () => {
    for (const v of [undefined, null, Number.NaN, -1, Infinity]) expect(formatBytes(v, 'en')).toBe('—');
  });
});

describe('error names and hints', () => {
  test('errorName recognises known names, on errors and on cloned { name } objects', () => {
    class DeviceLostError extends Error {
      override name = 'DeviceLostError';
    }
    expect(errorName(new DeviceLostError('x'))).toBe('DeviceLostError');
    expect(errorName({ name: 'CustomSuiteError', message: 'm' })).toBe('CustomSuiteError');
    expect(errorName(new Error('plain'))).toBeNull();
    expect(errorName({ name: 'toString' })).toBeNull();
    expect(errorName('DeviceLostError')).toBeNull();
    expect(errorName(null)).toBeNull();
    expect(errorName({ name: 42 })).toBeNull();
  });
  test('every error name has its own hint, in English and in French', () => {
    for (const name of ERROR_NAMES) {
      const key = ERROR_HINT_KEYS[name];
      expect(dictionaries.en[key], `${name} en`).toBeTruthy();
      expect(dictionaries.fr[key], `${name} fr`).toBeTruthy();
      expect(key, name).not.toBe('error.generic');
    }
    expect(new Set(Object.values(ERROR_HINT_KEYS)).size).toBe(ERROR_NAMES.length);
  });
  test('a bad custom suite is told to fix its fields, not to pick a smaller preset', () => {
    const en = t(errorHintKey({ name: 'CustomSuiteError' }), undefined, 'en');
    expect(en).toContain('fix the highlighted fields');
    expect(en).not.toContain('smaller preset');
    expect(t(errorHintKey({ name: 'CustomSuiteError' }), undefined, 'fr')).toContain('corrigez les champs signalés');
  });
  test('unknown errors get the generic hint', () => {
    expect(errorHintKey(new Error('x'))).toBe('error.generic');
    expect(errorHintKey(undefined)).toBe('error.generic');
  });
});
