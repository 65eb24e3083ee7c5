import { describe, expect, test } from 'vitest';
import { parseCustom } from '../../src/engine/models/presets.ts';
import { customFields, modelPresetNames, parseCustomParams, parseCustomParamsOrThrow } from '../../src/lab/custom.ts';
import { PAGE_PARAMS } from '../../src/lab/page-params.ts';

describe('custom suites from the address (page parameters stripped in the lab)', () => {
  test('defaults to the paper pair; page parameters are not errors', () => {
    const r = parseCustomParams(new URLSearchParams('preset=custom&lang=fr&country=FRA&theme=demo&autorun=1'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.specialized.model.name).toBe('distilbert-sst2');
    expect(r.value.general.model.name).toBe('qwen2.5-0.5b-instruct');
  });

  test('every page parameter is stripped, model fields are kept in order', () => {
    const q = new URLSearchParams([...PAGE_PARAMS.map((p) => [p, '1'] as [string, string]), ['general', 'tiny-decoder'], ['g.layers', '3']]);
    expect(customFields(q)).toEqual([
      ['general', 'tiny-decoder'],
      ['g.layers', '3'],
    ]);
  });

  test('the engine parser knows no page parameter: it reports them as unknown', () => {
    const r = parseCustom([['lang', 'fr'], ['autorun', '1']]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.field, e.code])).toEqual([
      ['lang', 'unknown-param'],
      ['autorun', 'unknown-param'],
    ]);
  });

  test('the engine parser takes plain pairs (a Map works as well as the address)', () => {
    const r = parseCustom(new Map([['general', 'tiny-decoder'], ['g.layers', '3']]));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.general.model).toMatchObject({ name: 'custom', layers: 3 });
  });

  test('a bad field still throws with the field named', () => {
    expect(() => parseCustomParamsOrThrow(new URLSearchParams('preset=custom&outputTokens=-1'))).toThrow(/outputTokens/);
  });

  test('model presets offered for each role', () => {
    expect(modelPresetNames('encoder')).toEqual(expect.arrayContaining(['bert-tiny', 'distilbert-sst2']));
    expect(modelPresetNames('encoder')).not.toContain('tiny-decoder');
    expect(modelPresetNames('decoder')).toEqual(expect.arrayContaining(['tiny-decoder', 'smollm2-135m', 'qwen2.5-0.5b-instruct']));
  });
});
