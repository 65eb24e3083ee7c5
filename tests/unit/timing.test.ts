import { describe, expect, test } from 'vitest';
import { type GpuTimer, measure, RunControl, type BatchTime } from '../../src/engine/timing.ts';
import { TabHiddenError } from '../../src/engine/errors.ts';
import type { Dispatch } from '../../src/engine/dispatch.ts';

/** A timer whose batches take `unitMs` per unit on the GPU (or report no GPU time) and 1.25× on the wall. */
function fakeTimer(opts: { source: 'gpu-timestamp' | 'wall-clock'; unitMs: number[] | number; gpu?: 'ok' | 'invalid' }): GpuTimer & { calls: number[] } {
  const units = Array.isArray(opts.unitMs) ? opts.unitMs : [opts.unitMs];
  let i = 0;
  const calls: number[] = [];
  return {
    source: opts.source,
    calls,
    async run(_list: readonly Dispatch[], batch = 1): Promise<BatchTime> {
      calls.push(batch);
      const u = units[Math.min(i++, units.length - 1)]!;
      return { gpuMs: opts.gpu === 'invalid' || opts.source === 'wall-clock' ? null : u * batch, wallMs: 1.25 * u * batch };
    },
  } as unknown as GpuTimer & { calls: number[] };
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
  });

  test('long units are not batched', async () => {
    const timer = fakeTimer({ source: 'gpu-timestamp', unitMs: 50 });
    const rec = await measure(timer, [], { warmup: 0, samples: 3, minBatchMs: 2 });
    expect(rec.batch).toBe(1);
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
    const rec = await measure(timer, [], { warmup: 0, samples: 4, minBatchMs: 2 });
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
});
