import { describe, expect, test } from 'vitest';
import { bytesText, scaleBytes } from '../../src/shared/bytes.ts';
import { formatBytes } from '../../src/ui/format.ts';

describe('one byte scale for the engine and the page', () => {
  test('decimal units, below 1000 in the largest unit', () => {
    expect(scaleBytes(999)).toEqual({ value: 999, unit: 'B' });
    expect(scaleBytes(134_217_728)).toEqual({ value: 134.217728, unit: 'MB' });
    expect(scaleBytes(2e15)).toEqual({ value: 2000, unit: 'TB' });
  });
  test('an engine message and a page label read the same limit alike', () => {
    expect(bytesText(134_217_728)).toBe('134.2 MB');
    expect(bytesText(512)).toBe('512 B');
    expect(formatBytes(134_217_728, 'en')).toBe('134 MB');
    expect(formatBytes(134_217_728, 'fr')).toBe('134 Mo');
  });
});
