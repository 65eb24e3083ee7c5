/**
 * The benchmark's split-K rows on one tiny skinny product (SwiftShader: the times say nothing of
 * GPU performance; the test checks the rows, not the speed): unsplit, then 2, 4 and 8 slices,
 * each output checked against the unsplit one before it is timed.
 */
import { describe, expect, test } from 'vitest';
import { withDevice } from '../helpers/with-device.ts';
import { PipelineCache } from '../../src/engine/dispatch.ts';
import { GpuTimer } from '../../src/engine/timing.ts';
import { splitKRows } from '../../src/bench/splitk.ts';

describe('bench split-K rows', () => {
  test('8×64×16: one row per split, same FLOPs, the unsplit row is the reference', async () => {
    const [m, k, n] = [8, 64, 16];
    const rows = await withDevice(
      async ({ device }) => {
        const timer = new GpuTimer(device);
        try {
          return await splitKRows({ device, cache: new PipelineCache(device), timer, opts: { warmup: 1, samples: 3, minBatchMs: 2 } }, m, k, n);
        } finally {
          timer.destroy();
        }
      },
      { features: ['timestamp-query'] },
    );
    expect(rows.map((r) => [r.splitK, r.slices, r.dispatches])).toEqual([[1, 1, 1], [2, 2, 2], [4, 4, 2], [8, 8, 2]]);
    for (const r of rows) {
      expect(r.kind).toBe('splitk');
      expect(r.shape).toEqual({ m, k, n });
      expect(r.flops).toBe(2 * m * n * k);
      expect(r.oursKernelMs).toBeGreaterThan(0);
      expect(r.achieved).toBeCloseTo(r.flops / (r.oursKernelMs * 1e6));
    }
    expect(rows[0]!.speedupVsUnsplit).toBe(1);
    // The scratch traffic grows with the split.
    expect(rows[3]!.bytes).toBeGreaterThan(rows[1]!.bytes);
  });
});
