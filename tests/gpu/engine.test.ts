import { describe, expect, test } from 'vitest';
import { withDevice } from '../helpers/with-device.ts';
import { PipelineCache } from '../../src/engine/dispatch.ts';
import { prepareMicro, microCounts, type MicroSpec } from '../../src/engine/micro.ts';
import { GpuTimer, measure, RunControl } from '../../src/engine/timing.ts';
import { RunCancelledError } from '../../src/engine/errors.ts';
import { runGpuLoad } from '../../src/engine/gpu-load.ts';
import { fmaPeakMeta } from '../../kernels/fma-peak/fma-peak.meta.ts';

const specs: MicroSpec[] = [
  { id: 'fma-peak', invocations: 4096, iterations: 8 },
  { id: 'copy', bytes: 1 << 18 },
  { id: 'gemm', m: 33, n: 65, k: 17 },
];

describe('device microbenchmarks', () => {
  test.each(specs)('$id is verified against the CPU reference, then timed with GPU timestamps', async (spec) => {
    await withDevice(
      async ({ device }) => {
        const cache = new PipelineCache(device);
        const w = await prepareMicro(device, cache, spec);
        try {
          expect(w.verified).toBe(true);
          expect({ flops: w.flops, bytes: w.bytes }).toEqual(microCounts(spec));
          const timer = new GpuTimer(device);
          expect(timer.source).toBe('gpu-timestamp');
          const samples: number[] = [];
          const rec = await measure(timer, w.dispatches, { warmup: 1, samples: 4, minBatchMs: 2, onSample: (ms) => samples.push(ms) });
          timer.destroy();
          expect(rec.source).toBe('gpu-timestamp');
          expect(rec.warmup).toBe(3); // 1 warm-up + 2 calibration probes
          expect(rec.samplesMs.length + (rec.dropped ?? 0)).toBe(4);
          expect(rec.samplesMs.length).toBeGreaterThanOrEqual(2);
          expect(rec.medianMs).toBeGreaterThan(0);
          expect(rec.p10Ms).toBeLessThanOrEqual(rec.medianMs);
          expect(rec.p90Ms).toBeGreaterThanOrEqual(rec.medianMs);
          expect(rec.batch).toBeGreaterThanOrEqual(1);
          expect(rec.wallMedianMs).toBeGreaterThan(0);
          expect(samples).toHaveLength(4);
          expect(rec.targetBatchMs).toBe(2);
          expect(rec.wallBaselineMs).toBeGreaterThanOrEqual(0);
          expect(rec.preheatMs).toBe(0);
        } finally {
          w.destroy();
        }
      },
      { features: ['timestamp-query'] },
    );
  });

  test('fma-peak counts FLOPs from its shape', () => {
    // 256 invocations × (10 iterations × 128 + 12 epilogue)
    expect(fmaPeakMeta.flops({ invocations: 256, iterations: 10 })).toBe(256 * (10 * 128 + 12));
    expect(microCounts({ id: 'copy', bytes: 1024 })).toEqual({ flops: 0, bytes: 2048 });
    expect(microCounts({ id: 'gemm', m: 2, n: 3, k: 4 }).flops).toBe(2 * 2 * 3 * 4);
  });

  test('cancellation stops a measurement at the next sample', async () => {
    await withDevice(async ({ device }) => {
      const cache = new PipelineCache(device);
      const w = await prepareMicro(device, cache, { id: 'copy', bytes: 1 << 16 });
      const control = new RunControl();
      const timer = new GpuTimer(device);
      try {
        await expect(
          measure(timer, w.dispatches, { warmup: 0, samples: 50, control, onSample: (_ms, i) => i === 1 && control.cancel() }),
        ).rejects.toBeInstanceOf(RunCancelledError);
      } finally {
        timer.destroy();
        w.destroy();
      }
    });
  });

  test('a hidden tab pauses the measurement, flags it, and resumes when visible', async () => {
    await withDevice(async ({ device }) => {
      const cache = new PipelineCache(device);
      const w = await prepareMicro(device, cache, { id: 'copy', bytes: 1 << 16 });
      const control = new RunControl();
      const timer = new GpuTimer(device);
      let pauses = 0;
      try {
        const p = measure(timer, w.dispatches, {
          warmup: 0,
          samples: 4,
          control,
          onPause: () => {
            pauses++;
            setTimeout(() => control.setHidden(false), 20);
          },
          onSample: (_ms, i) => i === 0 && control.setHidden(true),
        });
        const rec = await p;
        expect(pauses).toBeGreaterThanOrEqual(1);
        expect(rec.flags).toContain('tab-hidden');
        expect(rec.samplesMs.length + (rec.dropped ?? 0)).toBe(4);
      } finally {
        timer.destroy();
        w.destroy();
      }
    });
  });

  test('on the wall clock: batches aimed at ≥ 50 ms and an empty-submit baseline, recorded', async () => {
    await withDevice(
      async ({ device }) => {
        const cache = new PipelineCache(device);
        const w = await prepareMicro(device, cache, { id: 'copy', bytes: 1 << 16 });
        const timer = new GpuTimer(device);
        try {
          const empty = await timer.emptySubmit();
          expect(empty).toBeGreaterThanOrEqual(0);
          const rec = await measure(timer, w.dispatches, { warmup: 0, samples: 6, wallOnly: true, preheatMs: 50 });
          expect(rec.source).toBe('wall-clock');
          expect(rec.targetBatchMs).toBe(50);
          expect(rec.wallBaselineMs).toBeGreaterThanOrEqual(0);
          expect(rec.preheatMs).toBeGreaterThanOrEqual(50);
          // Aimed at 50 ms: a 64 KiB copy takes far less, so the batch grew past one dispatch. How
          // long it really lasted depends on the machine's load (no wall-clock threshold here):
          // when a batch ran shorter than the target, the record says so.
          expect(rec.batch!).toBeGreaterThan(1);
          expect(rec.flags?.includes('below-wall-batch-target') ?? false).toBe(rec.batch! * rec.medianMs < 50);
        } finally {
          timer.destroy();
          w.destroy();
        }
      },
      { features: ['timestamp-query'] },
    );
  });

  test('per-dispatch profile returns one reading per dispatch', async () => {
    await withDevice(
      async ({ device }) => {
        const cache = new PipelineCache(device);
        const w = await prepareMicro(device, cache, { id: 'copy', bytes: 1 << 16 });
        const timer = new GpuTimer(device);
        try {
          const list = [...w.dispatches, ...w.dispatches, ...w.dispatches];
          const p = await timer.profile(list);
          expect(p).not.toBeNull();
          expect(p).toHaveLength(3);
          for (const v of p!) expect(v).toBeGreaterThanOrEqual(0);
        } finally {
          timer.destroy();
          w.destroy();
        }
      },
      { features: ['timestamp-query'] },
    );
  });
});

describe('battery-calibration GPU load', () => {
  test('runs on its own device until the signal aborts, then resolves', async () => {
    const ac = new AbortController();
    const started = performance.now();
    setTimeout(() => ac.abort(), 300);
    await runGpuLoad(ac.signal, { invocations: 4096, iterations: 8 });
    expect(ac.signal.aborted).toBe(true);
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
  });
});
