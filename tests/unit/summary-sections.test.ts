import { describe, expect, test } from 'vitest';
import { hashWithOpen, parseOpen, SECTION_IDS, serializeOpen, withSection } from '../../src/ui/summary/sections.ts';

const parse = (q: string) => [...parseOpen(new URLSearchParams(q))];

describe('open sections in the address', () => {
  test('parses known names, in any order and case, and ignores the rest', () => {
    expect(parse('open=energy,kernels')).toEqual(['energy', 'kernels']);
    expect(parse('open=Energy,,nope,energy&open=upload')).toEqual(['energy', 'upload']);
    expect(parse('open=')).toEqual([]);
    expect(parse('preset=ci')).toEqual([]);
    expect(parse('open=__proto__,constructor,toString')).toEqual([]);
  });

  test('serializes in page order, null when nothing is open', () => {
    expect(serializeOpen(new Set(['upload', 'energy', 'kernels']))).toBe('kernels,energy,upload');
    expect(serializeOpen(new Set())).toBeNull();
  });

  test('round-trips every subset through the address', () => {
    for (let mask = 0; mask < 1 << 6; mask++) {
      const ids = SECTION_IDS.filter((_, i) => i < 6 && mask & (1 << i));
      const value = serializeOpen(new Set(ids));
      expect(parse(value ? `open=${value}` : '')).toEqual(ids);
    }
  });

  test('opening and closing one section leaves the others', () => {
    const a = withSection(new Set(['energy']), 'grid', true);
    expect([...a]).toEqual(['energy', 'grid']);
    expect([...withSection(a, 'energy', false)]).toEqual(['grid']);
  });

  test('the hash keeps its path and other parameters', () => {
    expect(hashWithOpen('#/?preset=ci', new Set(['energy', 'kernels']))).toBe('#/?preset=ci&open=kernels,energy');
    expect(hashWithOpen('#/results?open=energy&lang=fr', new Set())).toBe('#/results?lang=fr');
    expect(hashWithOpen('', new Set(['upload']))).toBe('#/?open=upload');
    expect(hashWithOpen('#/?open=upload', new Set())).toBe('#/');
  });
});
