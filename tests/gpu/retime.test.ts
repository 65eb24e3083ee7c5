import { expect, test, vi } from 'vitest';
import { buildPlan } from '../../src/lab/plan.ts';
import { runPlan, type Progress } from '../../src/engine/run-plan.ts';
import { RunControl } from '../../src/engine/timing.ts';
import type * as Timing from '../../src/engine/timing.ts';

/**
 * The wall-clock fallback cannot be provoked on demand on a real adapter (it needs invalid
 * timestamps or a busy time above the wall time), so `measure` is wrapped: the one call named
 * below is made with `wallOnly`, exactly what the engine does once a model fell back. Every other
 * call, and everything around it (device, runners, timer, re-timing), is the real engine.
 */
const forced = vi.hoisted(() => ({ call: -1, calls: 0 }));
vi.mock('../../src/engine/timing.ts', async (importOriginal) => {
  const real = await importOriginal<typeof Timing>();
  return {
    ...real,
    measure: (...args: Parameters<typeof real.measure>) => {
      const [timer, list, opts] = args;
      const call = forced.calls++;
      return real.measure(timer, list, call === forced.call ? { ...opts, wallOnly: true } : opts);
    },
  };
});

test('a model timed on the wall clock while timestamps exist: the other is re-timed on the wall clock and flagged', async () => {
  const { plan: ci } = buildPlan({ preset: 'ci' });
  // Models only, no kernel breakdown: the re-timing is what is under test, not the micro suite.
  const plan = { ...ci, micro: [], profileRuns: 0 };
  expect(plan.models).toHaveLength(2);
  const [first, second] = plan.models as [(typeof plan.models)[0], (typeof plan.models)[0]];
  // measure() calls: first model, second model (forced onto the wall clock), first model again.
  forced.call = 1;
  forced.calls = 0;
  const events: Progress[] = [];
  const out = await runPlan(plan, new RunControl(), (p) => events.push(p));
  expect(out.timing).toBe('gpu-timestamp');
  expect(forced.calls).toBe(3);

  // One record per model, in plan order, both on the wall clock.
  expect(out.workloads.map((w) => w.id)).toEqual([first.id, second.id]);
  const byId = (id: string) => out.workloads.find((w) => w.id === id)!;
  for (const w of out.workloads) expect(w.timing.source).toBe('wall-clock');
  // The model first timed with timestamps was re-timed and says so; the forced one was not re-timed.
  expect(byId(first.id).timing.flags ?? []).toContain('retimed-wall-clock');
  expect(byId(second.id).timing.flags ?? []).not.toContain('retimed-wall-clock');
  expect(byId(first.id).timing.targetBatchMs).toBe(plan.minWallBatchMs);

  // Its first record (timestamps) was published, then replaced by the re-timed one.
  const done = events.filter((e): e is Extract<Progress, { type: 'workload-done' }> => e.type === 'workload-done');
  expect(done.map((e) => [e.id, e.workload.timing.source])).toEqual([
    [first.id, 'gpu-timestamp'],
    [second.id, 'wall-clock'],
    [first.id, 'wall-clock'],
  ]);
});
