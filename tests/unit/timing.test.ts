import { describe, expect, test } from 'vitest';
import { type GpuTimer, measure, RunControl, type BatchTime } from '../../src/engine/timing.ts';
import { TabHiddenError } from '../../src/engine/errors.ts';
import type { Dispatch } from '../../src/engine/dispatch.ts';
import { parseResult } from '../../src/shared/schema.ts';
import { sampleResult } from '../../src/shared/sample-result.ts';

/**
 * A timer whose batches take `unitMs` per unit on the GPU (or report no GPU time) and 1.25× on the
 * wall, plus `latencyMs` of fixed submit → done latency on the wall (an empty submission takes
 * exactly that). `gpuScale` multiplies the GPU time (above 1.25, busy exceeds wall).
 */
function fakeTimer(opts: {
  source: 'gpu-timestamp' | 'wall-clock';
  unitMs: number[] | number;
  gpu?: 'ok' | 'invalid';
  latencyMs?: number;
  wallFactor?: number;
  gpuScale?: number;
}): GpuTimer & { calls: number[]; empties: number } {
  const units = Array.isArray(opts.unitMs) ? opts.unitMs : [opts.unitMs];
  const latency = opts.latencyMs ?? 0;
  let i = 0;
  const calls: number[] = [];
  const timer = {
    source: opts.source,
    calls,
    empties: 0,
    async run(_list: readonly Dispatch[], batch = 1): Promise<BatchTime> {
      calls.push(batch);
      const u = units[Math.min(i++, units.length - 1)]!;
      const gpuMs = opts.gpu === 'invalid' || opts.source === 'wall-clock' ? null : u * batch * (opts.gpuScale ?? 1);
      return { gpuMs, wallMs: (opts.wallFactor ?? 1.25) * u * batch + latency };
    },
    async emptySubmit(): Promise<number> {
      timer.empties++;
      return latency;
    },
  };
  return timer as unknown as GpuTimer & { calls: number[]; empties: number };
}

describe('measure', () => {
  test('batches short units to ≥ 1.5 × minBatchMs and reports per-unit times', async () => {
    const timer = fakeTimer({ source: 'gpu-timestamp', unitMs: 0.1 });
    const rec = await measure(timer, [], { warmup: 1, samples: 4, minBatchMs: 2 });
    // warm-up (1) + two calibration probes, then 4 samples of ceil(3 / 0.1) = 30 units.
    expect(timer.calls).toEqual([1, 1, 1, 30, 30, 30, 30]);
    expect(rec.batch).toBe(30);
    expect(rec.warmup).toBe(3);
    expect(rec.source).toBe('gpu-timestamp');
    expect(rec.samplesMs).toHaveLength(4);
    for (const s of rec.samplesMs) expect(s).toBeCloseTo(0.1, 12);
    expect(rec.medianMs).toBeCloseTo(0.1, 12);
    expect(rec.wallMedianMs).toBeCloseTo(0.125, 12);
    expect(rec.cv).toBeCloseTo(0, 12);
    expect(rec.flags).toEqual([]);
    expect(rec.wallBaselineMs).toBe(0);
  });

  test('long units are not batched', async () => {
    const timer = fakeTimer({ source: 'gpu-timestamp', unitMs: 50 });
    const rec = await measure(timer, [], { warmup: 0, samples: 3, minBatchMs: 2 });
    expect(rec.batch).toBe(1);
    expect(rec.targetBatchMs).toBe(2);
    expect(rec.preheatMs).toBe(0);
    expect(rec.medianMs).toBe(50);
  });

  test('falls back to the wall clock, and says so, when every timestamp delta is invalid', async () => {
    const timer = fakeTimer({ source: 'gpu-timestamp', unitMs: 4, gpu: 'invalid' });
    const rec = await measure(timer, [], { warmup: 0, samples: 3, minBatchMs: 2 });
    expect(rec.source).toBe('wall-clock');
    expect(rec.flags).toContain('timestamps-invalid');
    expect(rec.medianMs).toBeCloseTo(5, 12);
  });

  test('wall-clock timers measure wall time', async () => {
    const timer = fakeTimer({ source: 'wall-clock', unitMs: [8, 8, 8, 8, 16, 8] });
    const rec = await measure(timer, [], { warmup: 0, samples: 4, minBatchMs: 2, minWallBatchMs: 2 });
    expect(rec.source).toBe('wall-clock');
    expect(rec.samplesMs).toEqual([10, 10, 20, 10]);
    expect(rec.medianMs).toBe(10);
    expect(rec.flags).toContain('high-variability'); // CV = 0.4
  });

  test('a tab that keeps being hidden ends the measurement with TabHiddenError', async () => {
    const control = new RunControl();
    const timer = fakeTimer({ source: 'gpu-timestamp', unitMs: 5 });
    const run = timer.run.bind(timer);
    // Every sample is interrupted by the tab going hidden, then visible again.
    (timer as { run: typeof run }).run = async (l, b) => {
      const r = await run(l, b);
      control.setHidden(true);
      control.setHidden(false);
      return r;
    };
    await expect(measure(timer, [], { warmup: 0, samples: 2, control })).rejects.toBeInstanceOf(TabHiddenError);
  });

  test('the wall clock subtracts the empty-submit latency and batches ≥ 50 ms, so a short encoder is no longer inflated', async () => {
    // Before: a 3 ms encoder query timed alone with 0.4 ms of submit → done latency read 3.4 ms
    // (+13 %), a 30 ms decoder 30.4 ms (+1.3 %): the decoder/encoder ratio fell from 10 to 8.9.
    const opts = { warmup: 0, samples: 6 };
    const enc = await measure(fakeTimer({ source: 'wall-clock', unitMs: 3, wallFactor: 1, latencyMs: 0.4 }), [], opts);
    const dec = await measure(fakeTimer({ source: 'wall-clock', unitMs: 30, wallFactor: 1, latencyMs: 0.4 }), [], opts);
    for (const rec of [enc, dec]) {
      expect(rec.source).toBe('wall-clock');
      expect(rec.targetBatchMs).toBe(50);
      expect(rec.wallBaselineMs).toBeCloseTo(0.4, 12);
      expect(rec.batch! * rec.medianMs).toBeGreaterThanOrEqual(50);
      expect(rec.flags).toEqual([]);
    }
    expect(enc.medianMs).toBeCloseTo(3, 9);
    expect(dec.medianMs).toBeCloseTo(30, 9);
    expect(dec.medianMs / enc.medianMs).toBeCloseTo(10, 9);
  });

  test('the baseline is taken from empty submissions, median of several', async () => {
    const timer = fakeTimer({ source: 'wall-clock', unitMs: 3, latencyMs: 0.4 });
    await measure(timer, [], { warmup: 0, samples: 6 });
    expect(timer.empties).toBeGreaterThanOrEqual(5);
  });

  test('GPU timestamps batch to ≥ 10 ms by default (100 µs rounding ≤ 1 %) and record the target', async () => {
    const rec = await measure(fakeTimer({ source: 'gpu-timestamp', unitMs: 0.5 }), [], { warmup: 0, samples: 6 });
    expect(rec.targetBatchMs).toBe(10);
    expect(rec.batch).toBe(30); // ceil(1.5 × 10 / 0.5)
    expect(0.1 / (rec.batch! * rec.medianMs)).toBeLessThanOrEqual(0.01);
  });

  test('preheats for the time asked, records it, and re-sizes the batch once clocks have risen', async () => {
    // Probes at 2 ms per query (cold clocks) size a batch of 8; the preheat runs at 1 ms.
    const timer = fakeTimer({ source: 'gpu-timestamp', unitMs: [2, 2, 1] });
    const rec = await measure(timer, [], { warmup: 0, samples: 6, minBatchMs: 10, preheatMs: 1000 });
    expect(rec.preheatMs).toBeGreaterThanOrEqual(1000);
    expect(timer.calls[2]).toBe(8);
    expect(rec.batch).toBe(15);
    expect(rec.batch! * rec.medianMs).toBeGreaterThanOrEqual(10);
    expect(rec.samplesMs).toHaveLength(6);
    expect(rec.ciMedianMs).toBeDefined();
  });

  test('GPU busy time above the wall time around it is flagged, and the workload is timed on the wall clock', async () => {
    // The GPU reports 2 ms per unit while submit → done took 1.25 ms: impossible, the counters lie.
    const timer = fakeTimer({ source: 'gpu-timestamp', unitMs: 1, gpuScale: 2 });
    const rec = await measure(timer, [], { warmup: 0, samples: 6 });
    expect(rec.flags).toContain('busy-exceeds-wall');
    expect(rec.source).toBe('wall-clock');
    expect(rec.medianMs).toBeCloseTo(1.25, 9);
    expect(rec.targetBatchMs).toBe(50);
    expect(rec.batch! * rec.medianMs).toBeGreaterThanOrEqual(50);
    expect(rec.samplesMs).toHaveLength(6);
  });

  test('busy time within the wall time is kept', async () => {
    const rec = await measure(fakeTimer({ source: 'gpu-timestamp', unitMs: 1, gpuScale: 1.2 }), [], { warmup: 0, samples: 6 });
    expect(rec.source).toBe('gpu-timestamp');
    expect(rec.flags).not.toContain('busy-exceeds-wall');
  });

  test('wallOnly times on the wall clock even when timestamps exist', async () => {
    const rec = await measure(fakeTimer({ source: 'gpu-timestamp', unitMs: 2 }), [], { warmup: 0, samples: 6, wallOnly: true });
    expect(rec.source).toBe('wall-clock');
    expect(rec.medianMs).toBeCloseTo(2.5, 9);
    expect(rec.flags).toEqual([]);
  });
});

describe('timing record fields on upload', () => {
  test('preheatMs, targetBatchMs and wallBaselineMs survive the schema, and stay bounded', async () => {
    const rec = await measure(fakeTimer({ source: 'wall-clock', unitMs: 3, latencyMs: 0.4 }), [], { warmup: 0, samples: 6, preheatMs: 200 });
    const doc = sampleResult();
    const w0 = doc.workloads[0]!;
    const parsed = parseResult({ ...doc, workloads: [{ ...w0, timing: rec }, ...doc.workloads.slice(1)] });
    expect(parsed.ok).toBe(true);
    const timing = parsed.ok ? parsed.value.workloads[0]!.timing : null;
    expect(timing?.preheatMs).toBe(rec.preheatMs);
    expect(timing?.targetBatchMs).toBe(50);
    expect(timing?.wallBaselineMs).toBeCloseTo(0.4, 12);
    const bad = parseResult({ ...doc, workloads: [{ ...w0, timing: { ...rec, wallBaselineMs: -1 } }, ...doc.workloads.slice(1)] });
    expect(bad.ok).toBe(false);
  });
});
