// Energy of a real-model document: both the page (computeEnergy) and the server (recompute.ts)
// take the real models' timings (energyWorkload), add the energy and the gap ratio per correct
// answer, and the server refuses a stored per-correct figure, ratio or accuracy that does not follow.
import { describe, expect, test } from 'vitest';
import { energyWorkload } from '../../src/shared/energy-workload.ts';
import { recomputeEnergy, verifyEnergy } from '../../src/shared/recompute.ts';
import { sampleRealResult, sampleRealWorkloads } from '../../src/shared/sample-real-result.ts';
import { sampleResult } from '../../src/shared/sample-result.ts';
import { anonymize, parseResult } from '../../src/shared/schema.ts';
import { wilson } from '../../src/shared/realmodels/scoring.ts';
import type { ResultDocument, Workload } from '../../src/shared/result.ts';
import { computeEnergy, embodiedFor, gridIntensity, profileFromCatalog } from '../../src/energy/index.ts';

const fresh = (): ResultDocument => structuredClone(sampleRealResult());

describe('energyWorkload', () => {
  test('the real model on WebGPU when there is one, else the first real one of the role, else the first synthetic model', () => {
    const d = fresh();
    expect(energyWorkload(d, 'general')?.id).toBe('general:qwen2.5-0.5b-instruct:webgpu');
    expect(energyWorkload(d, 'specialized')?.id).toBe('specialized:distilbert-sst2:webgpu');
    const wasm: Workload = structuredClone(d.workloads[1]!);
    wasm.id = 'general:qwen2.5-0.5b-instruct:wasm';
    wasm.real = { ...wasm.real!, executionProvider: 'wasm', agreement: { measured: false, reason: 'is-reference' } };
    expect(energyWorkload({ workloads: [wasm, ...d.workloads] }, 'general')?.id).toBe('general:qwen2.5-0.5b-instruct:webgpu');
    expect(energyWorkload({ workloads: [wasm, d.workloads[0]!] }, 'general')?.id).toBe('general:qwen2.5-0.5b-instruct:wasm');
    // Real models present: a missing role never falls back to a synthetic replica.
    expect(energyWorkload({ workloads: [d.workloads[0]!, d.workloads[3]!] }, 'general')).toBeUndefined();
    expect(energyWorkload(sampleResult(), 'general')?.id).toBe('general:tiny-decoder');
  });
});

describe('per correct answer', () => {
  test('the sample verifies, rests on the real models, and carries per-correct figures', () => {
    const d = fresh();
    expect(verifyEnergy(d)).toEqual([]);
    const e = d.energy!;
    expect(e.perQuery.general.inputs?.workloadId).toBe('general:qwen2.5-0.5b-instruct:webgpu');
    expect(e.perQuery.general.inputs?.timingSource).toBe('wall-clock');
    const g = e.perQuery.general.perCorrect;
    expect(g?.available).toBe(true);
    if (g?.available) expect(g.joules.p50).toBeCloseTo(e.perQuery.general.joules.p50 / (31 / 40), 12);
    const r = e.ratioPerCorrect;
    expect(r?.available).toBe(true);
    if (r?.available) expect(r.ratio.p50).toBeCloseTo((e.ratio.p50 * (36 / 40)) / (31 / 40), 12);
    expect(e.provenance?.busyTime.general).toEqual({ kind: 'measured', method: 'wall-clock' });
  });

  test('computeEnergy (the page) gives what the server recomputes, per-correct figures included', () => {
    const base = fresh();
    delete base.energy;
    const profile = profileFromCatalog('nvidia-lovelace-desktop');
    const energy = computeEnergy(base, { profile, grid: gridIntensity('DEU'), embodied: embodiedFor(profile.embodiedClasses) });
    expect(energy.perQuery.specialized.inputs.workloadId).toBe('specialized:distilbert-sst2:webgpu');
    const parsed = parseResult(anonymize({ ...base, energy }));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const r = recomputeEnergy(parsed.value);
    expect(r.perCorrect?.perCorrect.general).toEqual(energy.perQuery.general.perCorrect);
    expect(r.perCorrect?.ratioPerCorrect).toEqual(energy.ratioPerCorrect);
    expect(parsed.value.energy?.ratioPerCorrect).toEqual(energy.ratioPerCorrect);
    expect(verifyEnergy(parsed.value)).toEqual([]);
  });

  test('a tampered figure, ratio or accuracy is refused, naming the field', () => {
    const a = fresh();
    const pc = a.energy!.perQuery.general.perCorrect!;
    if (pc.available) pc.joules.p50 *= 0.5;
    expect(verifyEnergy(a)).toEqual([expect.stringMatching(/^energy\.perQuery\.general\.perCorrect: joules\.p50 must be the per-query joules ÷ accuracy/)]);
    const b = fresh();
    const rc = b.energy!.ratioPerCorrect!;
    if (rc.available) rc.ratio.p95 *= 1.01;
    expect(verifyEnergy(b)).toEqual([expect.stringMatching(/^energy\.ratioPerCorrect: ratio\.p95 must be/)]);
    const c = fresh();
    delete c.energy!.ratioPerCorrect;
    expect(verifyEnergy(c)).toEqual([expect.stringMatching(/^energy\.ratioPerCorrect: is required/)]);
    // A better accuracy with its own (consistent) interval: the stored per-correct figures no longer follow.
    const d = fresh();
    const w = wilson(38, 40);
    d.workloads[1]!.real!.accuracy = { correct: 38, n: 40, low: w.low, high: w.high };
    expect(parseResult(d).ok).toBe(true);
    expect(verifyEnergy(d)).toEqual(expect.arrayContaining([expect.stringMatching(/^energy\.perQuery\.general\.perCorrect: /), expect.stringMatching(/^energy\.ratioPerCorrect: /)]) as unknown);
    // An interval that is not the Wilson interval of correct/n: refused by the schema.
    const e = fresh();
    e.workloads[1]!.real!.accuracy.high = 0.99;
    const p = parseResult(e);
    expect(p.ok).toBe(false);
    if (!p.ok) expect(p.issues.join('\n')).toMatch(/workloads\.1\.real\.accuracy: low and high must be the 95 % Wilson interval/);
  });

  test('no correct answer: the figures say so, and a synthetic document carries none', () => {
    const ws = sampleRealWorkloads();
    ws[1]!.real = { ...ws[1]!.real!, accuracy: { correct: 0, n: 40, low: 0, high: wilson(0, 40).high }, parseFailures: 2 };
    const d = sampleResult({ workloads: ws });
    expect(d.energy!.perQuery.general.perCorrect).toEqual({ available: false, reason: 'no-correct-answers' });
    expect(d.energy!.ratioPerCorrect).toEqual({ available: false, reason: 'no-correct-answers' });
    expect(verifyEnergy(d)).toEqual([]);
    const s = sampleResult();
    expect(s.energy!.ratioPerCorrect).toBeUndefined();
    s.energy!.ratioPerCorrect = { available: false, reason: 'no-correct-answers' };
    expect(verifyEnergy(s)).toEqual([expect.stringMatching(/^energy\.ratioPerCorrect: only a real-model document/)]);
  });
});
