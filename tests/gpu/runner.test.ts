import { expect, test } from 'vitest';
import { buildPlan } from '../../src/lab/plan.ts';
import { runPlan, type Progress } from '../../src/engine/run-plan.ts';
import { RunControl } from '../../src/engine/timing.ts';
import { countQuery } from '../../src/engine/models/flops.ts';
import { buildDocument } from '../../src/lab/session.ts';
import { computeEnergy, defaultEnergyContext } from '../../src/energy/index.ts';
import { anonymize, parseResult } from '../../src/shared/schema.ts';
import { verifyEnergy } from '../../src/shared/recompute.ts';
import { PROVENANCE_INPUTS } from '../../src/shared/provenance.ts';

test('the ci plan runs end to end in the engine: micro ceilings, both models, kernel breakdown', async () => {
  const { plan } = buildPlan({ preset: 'ci' });
  const events: Progress[] = [];
  const out = await runPlan(plan, new RunControl(), (p) => events.push(p));
  expect(out.timing).toBe('gpu-timestamp');
  expect(out.adapter.vendor).toBe('google');
  expect(out.workloads.map((w) => w.id)).toEqual([...plan.micro.map((m) => m.id), ...plan.models.map((m) => m.id)]);
  for (const w of out.workloads) {
    expect(w.timing.samplesMs.length).toBeGreaterThanOrEqual(2);
    expect(w.timing.medianMs).toBeGreaterThan(0);
  }
  // Model timings: enough samples for the median's 95 % CI, a preheat, one timing source for both.
  const models = out.workloads.filter((w) => w.kind === 'model');
  expect(new Set(models.map((w) => w.timing.source)).size).toBe(1);
  for (const w of models) {
    expect(w.timing.samplesMs.length + (w.timing.dropped ?? 0)).toBeGreaterThanOrEqual(6);
    expect(w.timing.ciMedianMs).toBeDefined();
    expect(w.timing.preheatMs).toBeGreaterThanOrEqual(plan.modelPreheatMs);
    expect(w.timing.targetBatchMs).toBe(w.timing.source === 'gpu-timestamp' ? plan.minBatchMs : plan.minWallBatchMs);
    expect(w.timing.wallBaselineMs).toBeGreaterThanOrEqual(0);
    expect(w.timing.flags).not.toContain('busy-exceeds-wall');
  }
  for (const spec of plan.models) {
    const w = out.workloads.find((x) => x.id === spec.id)!;
    const c = countQuery(spec);
    expect(w.role).toBe(spec.role);
    expect(w.flops).toBe(c.flops);
    expect(w.bytes).toBe(c.bytes);
    expect(w.kernels?.length).toBeGreaterThan(0);
    // The breakdown's FLOPs come from the dispatches actually recorded; the independent count
    // from the config must agree within 2 %.
    const dispatched = w.kernels!.reduce((s, k) => s + k.flops, 0);
    expect(Math.abs(dispatched - c.flops) / c.flops).toBeLessThan(0.02);
    if (spec.family === 'decoder') {
      expect(w.tokensPerSecond?.prefill).toBeGreaterThan(0);
      const steps = events.filter((e) => e.type === 'step' && e.id === spec.id);
      expect(steps.length).toBe(spec.outputTokens); // prefill + outputTokens − 1 decode steps
    }
  }
  expect(events.filter((e) => e.type === 'workload-done')).toHaveLength(out.workloads.length);

  // The document this run makes, with the energy the page computes, is what the results server
  // accepts: closed vocabulary, every figure recomputed from what it records, provenance complete.
  const doc = buildDocument(out, plan);
  const ctx = defaultEnergyContext(out.adapter, { hasBattery: null, country: 'FRA' });
  const energy = computeEnergy(doc, ctx);
  const parsed = parseResult(anonymize({ ...doc, energy }));
  expect(parsed.ok ? [] : parsed.issues).toEqual([]);
  if (!parsed.ok) return;
  expect(verifyEnergy(parsed.value)).toEqual([]);
  const prov = parsed.value.energy!.provenance!;
  expect(Object.keys(prov).sort()).toEqual([...PROVENANCE_INPUTS].sort());
  expect(prov.busyTime.general).toEqual({ kind: 'measured', method: out.timing });
  expect(prov.grid).toEqual({ kind: 'sourced', sources: ['grid:ember'], year: 2024 });
  for (const role of ['general', 'specialized'] as const) expect(parsed.value.energy!.perQuery[role].label?.version).toBe('label-v1');
});
