/**
 * Pooling a class: the pooled-distribution math (quartiles, log-scale histogram, vendors), what a
 * device sends from its result (medians and the closed vocabulary only), the entry's validation,
 * the pupils' link and its QR code.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { encode } from 'uqr';
import {
  CLASS_CODE_PATTERN, DEVICE_KEY_PATTERN, classDistribution, classEntryFrom, isClassCode, logHistogram, newDeviceKey, parseClassEntry, pooledFigure,
} from '../../src/shared/classroom.ts';
import { sampleResult } from '../../src/shared/sample-result.ts';
import { QR_BORDER, qrMatrix, qrPath } from '../../src/ui/demo/qr.ts';
import { absoluteUrl, classCodeOf, pupilHref } from '../../src/ui/demo/pupil-link.ts';

describe('the pooled distribution', () => {
  test('quartiles by linear interpolation, values sorted, min and max', () => {
    const f = pooledFigure([40, 10, 30, 20])!;
    expect(f.values).toEqual([10, 20, 30, 40]);
    expect([f.min, f.p25, f.median, f.p75, f.max]).toEqual([10, 17.5, 25, 32.5, 40]);
  });

  test('no value, no figure; non-positive and non-finite values are left out', () => {
    expect(pooledFigure([])).toBeNull();
    expect(pooledFigure([0, -1, Number.NaN, Number.POSITIVE_INFINITY])).toBeNull();
    expect(pooledFigure([0, 5])!.values).toEqual([5]);
  });

  test('log-spaced bins from min to max: a decade each over eight decades', () => {
    const values = [1, 10, 100, 1000, 1e4, 1e5, 1e6, 1e7, 1e8];
    const h = logHistogram(values, 8);
    expect(h.edges).toHaveLength(9);
    expect(h.edges[0]).toBe(1);
    expect(h.edges[8]).toBe(1e8);
    h.edges.forEach((e, i) => expect(Math.log10(e)).toBeCloseTo(i, 9));
    // Each value on an inner edge opens its bin; the maximum closes the last one.
    expect(h.counts).toEqual([1, 1, 1, 1, 1, 1, 1, 2]);
  });

  test('one value, or all equal: one bin holding them all', () => {
    expect(logHistogram([3, 3, 3])).toEqual({ edges: [3, 3], counts: [3] });
    expect(logHistogram([])).toEqual({ edges: [], counts: [] });
  });

  test('property: every value lands in exactly one bin, and within its edges', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 1e-9, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 12 }), (xs, bins) => {
        const sorted = [...xs].sort((a, b) => a - b);
        const h = logHistogram(sorted, bins);
        expect(h.counts.reduce((a, b) => a + b, 0)).toBe(xs.length);
        const f = pooledFigure(xs, bins)!;
        expect(f.min).toBeLessThanOrEqual(f.p25);
        expect(f.p25).toBeLessThanOrEqual(f.median);
        expect(f.median).toBeLessThanOrEqual(f.p75);
        expect(f.p75).toBeLessThanOrEqual(f.max);
      }),
    );
  });

  test('devices counted, vendors most frequent first', () => {
    const e = (vendor: string, ratio: number) => ({ vendor, generalJ: ratio / 100, specializedJ: 0.001, ratio });
    const d = classDistribution([e('apple', 30), e('nvidia', 60), e('apple', 40), e('', 20)]);
    expect(d.count).toBe(4);
    expect(d.vendors).toEqual([{ vendor: 'apple', count: 2 }, { vendor: '', count: 1 }, { vendor: 'nvidia', count: 1 }]);
    expect(d.ratio!.median).toBe(35);
    expect(d.specializedJ!.values).toEqual([0.001, 0.001, 0.001, 0.001]);
    expect(classDistribution([])).toEqual({ count: 0, ratio: null, generalJ: null, specializedJ: null, vendors: [] });
  });
});

describe('what a device sends', () => {
  test('the energy medians, the ratio, vendor and architecture: nothing else', () => {
    const doc = sampleResult();
    const key = newDeviceKey(new Uint8Array(16).fill(7));
    expect(key).toMatch(DEVICE_KEY_PATTERN);
    const entry = classEntryFrom(doc, key)!;
    expect(Object.keys(entry).sort()).toEqual(['architecture', 'device', 'generalJ', 'preset', 'ratio', 'specializedJ', 'vendor']);
    expect(entry.generalJ).toBe(doc.energy!.perQuery.general.joules.p50);
    expect(entry.specializedJ).toBe(doc.energy!.perQuery.specialized.joules.p50);
    expect(entry.ratio).toBe(doc.energy!.ratio.p50);
    expect(parseClassEntry(entry)).toEqual({ ok: true, value: entry });
  });

  test('a vendor or architecture outside the vocabulary is sent empty; no energy, nothing to send', () => {
    const doc = sampleResult();
    doc.environment.adapter.vendor = 'Some Vendor Inc.';
    doc.environment.adapter.architecture = 'Not A Pattern!';
    const entry = classEntryFrom(doc, newDeviceKey())!;
    expect([entry.vendor, entry.architecture]).toEqual(['', '']);
    const { energy: _, ...noEnergy } = sampleResult();
    expect(classEntryFrom(noEnergy, newDeviceKey())).toBeNull();
  });

  test('validation names the field and never quotes the value', () => {
    const r = parseClassEntry({ device: 'x'.repeat(22), preset: 'ci', vendor: 'nvidia', architecture: 'ada', generalJ: 'hello<script>', specializedJ: 1, ratio: 1 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issues).toEqual(['generalJ: must be a number (joules per query)']);
      expect(r.issues.join()).not.toContain('hello');
    }
    const missing = parseClassEntry({});
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.issues[0]).toBe('device: is required');
    const wrongKey = parseClassEntry({ '<b>': 1 });
    if (!wrongKey.ok) expect(wrongKey.issues.join()).not.toContain('<b>');
  });
});

describe("the pupils' link and its QR code", () => {
  test('the run view with the same preset, language, country and the class code', () => {
    expect(pupilHref({ preset: 'quick', lang: 'fr', country: 'FRA' }, 'ABC234')).toBe('#/?preset=quick&lang=fr&country=FRA&class=ABC234');
    expect(pupilHref({ preset: 'ci', lang: null, country: null }, null)).toBe('#/?preset=ci');
    expect(classCodeOf(new URLSearchParams('class=ABC234'))).toBe('ABC234');
    expect(classCodeOf(new URLSearchParams('class=abc234'))).toBeNull();
    expect(classCodeOf(new URLSearchParams('class=AB0234'))).toBeNull();
    expect(isClassCode('ABCDEF') && CLASS_CODE_PATTERN.test('ABCDEF')).toBe(true);
    expect(absoluteUrl('#/?preset=ci', { origin: 'https://lab.example', pathname: '/', search: '' })).toBe('https://lab.example/#/?preset=ci');
  });

  test('the matrix encodes exactly the link: its size is 4 × version + 17 plus the quiet zone', () => {
    const link = `https://lab.example/${pupilHref({ preset: 'quick', lang: 'fr', country: 'FRA' }, 'ABC234')}`;
    const m = qrMatrix(link);
    expect(m.text).toBe(link);
    expect(m.size).toBe(4 * m.version + 17 + 2 * QR_BORDER);
    expect(m.dark).toHaveLength(m.size);
    for (const row of m.dark) expect(row).toHaveLength(m.size);
    // A 68-character link at correction level M needs version 5 (version 4 holds 62 bytes, 5 holds 84).
    expect(link.length).toBe(68);
    expect(m.version).toBe(5);
    // The same matrix as uqr's own encoding of that text, and a different one for another link.
    expect(m.dark).toEqual(encode(link, { ecc: 'M', border: QR_BORDER }).data);
    expect(qrMatrix(link.replace('ABC234', 'ABC235')).dark).not.toEqual(m.dark);
  });

  test('the SVG path draws exactly the dark modules', () => {
    const m = qrMatrix('https://lab.example/#/?preset=ci');
    const path = qrPath(m);
    let drawn = 0;
    for (const [, w] of path.matchAll(/M\d+ \d+h(\d+)v1h-\d+z/g)) drawn += Number(w);
    const dark = m.dark.flat().filter(Boolean).length;
    expect(drawn).toBe(dark);
    expect(qrPath({ dark: [[true, true, false, true]] })).toBe('M0 0h2v1h-2zM3 0h1v1h-1z');
  });
});
