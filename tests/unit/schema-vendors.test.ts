/**
 * The adapter vendor allow-list must be exactly what WebGPU implementations report: Dawn's
 * `gpu_info.json` vendors (Safari reports "apple", a subset) plus "" for
 * Firefox and hidden adapters. A vendor Dawn reports but the schema refuses would silently
 * keep that hardware out of the dataset.
 */
import { describe, expect, test } from 'vitest';
import { KNOWN_VENDORS, parseResult } from '../../src/shared/schema.ts';
import { sampleResult } from '../../src/shared/sample-result.ts';

/** Typed by hand from google/dawn src/dawn/gpu_info.json (2026-05-05), sorted. */
const DAWN_VENDORS = ['amd', 'apple', 'arm', 'broadcom', 'google', 'huawei', 'img-tec', 'intel', 'mesa', 'microsoft', 'nvidia', 'qualcomm', 'samsung', 'verisilicon'];

function withVendor(vendor: string) {
  const d = structuredClone(sampleResult());
  d.environment.adapter.vendor = vendor;
  d.environment.adapter.architecture = '';
  return parseResult(d);
}

describe('adapter vendors', () => {
  test('the allow-list is exactly Dawn\'s vendors plus "" (Firefox / hidden)', () => {
    expect([...KNOWN_VENDORS].sort()).toEqual(['', ...DAWN_VENDORS]);
  });

  for (const vendor of ['', ...DAWN_VENDORS]) {
    test(`"${vendor}" is accepted and kept as is`, () => {
      const r = withVendor(vendor);
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.value.environment.adapter.vendor).toBe(vendor);
    });
  }

  test('names Dawn never reports are refused', () => {
    for (const vendor of ['imagination', 'unknown', 'NVIDIA', 'img tec', 'acme']) {
      const r = withVendor(vendor);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.issues[0]).toMatch(/^environment\.adapter\.vendor: must be a known adapter vendor \(.*img-tec.*verisilicon/);
    }
  });
});
