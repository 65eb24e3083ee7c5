/**
 * The GEMV's K reduction, workgroup memory vs subgroup operations, on the decode shapes of the
 * preset: both kernels on the same resident data, GPU-timed the same way (`measure`), so the
 * autotuner's choice can be checked against a longer measurement. Where the device has no
 * `subgroups` the subgroup row is skipped with that reason. On a software adapter the figures say
 * nothing of GPU performance (the report's header says so).
 */
import { createGemv } from '../engine/ops/gemv.ts';
import { createGemvSubgroup } from '../engine/ops/gemv-subgroup.ts';
import { synthValues } from '../engine/synth-cpu.ts';
import { measure } from '../engine/timing.ts';
import type { GemvReduction } from '../shared/tuning.ts';
import { residentInput } from './feeding.ts';
import type { KernelBenchContext } from './kernels.ts';
import type { GemvReductionRow } from './report.ts';

export interface GemvReductionResult {
  rows: GemvReductionRow[];
  skipped: { what: string; reason: string }[];
}

/** y[n] = x[k]·W[k, n] with each reduction the device supports. */
export async function gemvReductionRows(ctx: KernelBenchContext, k: number, n: number): Promise<GemvReductionResult> {
  const { device } = ctx;
  const xb = residentInput(device, 'Bench.gemvReduction.x', synthValues(3, k, 1));
  const wb = residentInput(device, 'Bench.gemvReduction.w', synthValues(4, k * n, 1 / Math.sqrt(k)));
  const yb = device.createBuffer({ label: 'Bench.gemvReduction.y', size: 4 * n, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
  const uniforms: GPUBuffer[] = [];
  const out: GemvReductionResult = { rows: [], skipped: [] };
  try {
    const reductions: GemvReduction[] = ['workgroup', 'subgroup'];
    for (const reduction of reductions) {
      if (reduction === 'subgroup' && !device.features.has('subgroups')) {
        out.skipped.push({ what: `gemv reduction subgroup 1×${k}×${n}`, reason: 'the device has no subgroups feature' });
        continue;
      }
      const args = { x: xb, w: wb, y: yb, n, k, resources: uniforms, label: `Bench.gemv.${reduction}` };
      const d = reduction === 'subgroup' ? createGemvSubgroup(device, ctx.cache, args) : createGemv(device, ctx.cache, args);
      const r = await measure(ctx.timer, [d], ctx.opts);
      const achieved = d.bytes / (r.medianMs * 1e6);
      out.rows.push({ kind: 'gemv-reduction', reduction, shape: { m: 1, k, n }, bytes: d.bytes, kernelMs: r.medianMs, timing: r.source, achieved, fractionOfCeiling: achieved / ctx.ceilings.bandwidthGbps });
    }
    return out;
  } finally {
    xb.destroy();
    wb.destroy();
    yb.destroy();
    for (const u of uniforms) u.destroy();
  }
}
