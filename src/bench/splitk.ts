/**
 * Split-K on the skinny products of a preset (few rows, long K: short-prompt prefill): the same
 * product timed unsplit and split into 2, 4 and 8 slices of K, so the autotuner's choice for a
 * shape can be read off the table. Each split's output is checked against the unsplit one before
 * it is timed (a fast wrong kernel is no result).
 */
import { encodeDispatches, type Dispatch } from '../engine/dispatch.ts';
import { VerificationError } from '../engine/errors.ts';
import type { ModelWorkloadSpec } from '../engine/models/config.ts';
import { createGemm } from '../engine/ops/gemm.ts';
import { createGemmSplitK, splitKScratchBytes } from '../engine/ops/gemm-splitk.ts';
import { synthValues } from '../engine/synth-cpu.ts';
import { measure } from '../engine/timing.ts';
import { GEMM_SPLIT_K } from '../shared/tuning.ts';
import { residentInput } from './feeding.ts';
import type { KernelBenchContext } from './kernels.ts';
import type { SplitKRow } from './report.ts';

/** A product is skinny when its rows are this few: below, the plain gemm launches too few workgroups to fill a GPU. */
export const SKINNY_MAX_M = 64;

/** Rows of the skinny product measured for a model whose own input is longer: a short prompt. */
export const SHORT_PROMPT_TOKENS = 32;

/**
 * The skinny [m, k, n] products of a preset's models: each FFN's up and down projections at
 * prefill (the down projection has the long K), with the model's own token count when it is at
 * most SKINNY_MAX_M, else SHORT_PROMPT_TOKENS (the same layer on a short prompt).
 */
export function skinnyShapes(workloads: readonly ModelWorkloadSpec[]): [m: number, k: number, n: number][] {
  const shapes = new Map<string, [number, number, number]>();
  for (const w of workloads) {
    const tokens = w.family === 'encoder' ? w.inputTokens : w.promptTokens;
    const m = tokens <= SKINNY_MAX_M ? tokens : SHORT_PROMPT_TOKENS;
    if (m < 2) continue;
    const { hidden, ffn } = w.model;
    for (const s of [[m, hidden, ffn], [m, ffn, hidden]] as [number, number, number][]) shapes.set(s.join('x'), s);
  }
  return [...shapes.values()];
}

async function readOutput(device: GPUDevice, list: readonly Dispatch[], out: GPUBuffer, bytes: number): Promise<Float32Array> {
  const staging = device.createBuffer({ label: 'Bench.splitK.readback', size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  try {
    const enc = device.createCommandEncoder({ label: 'Bench.splitK.check' });
    const pass = enc.beginComputePass();
    encodeDispatches(pass, list);
    pass.end();
    enc.copyBufferToBuffer(out, 0, staging, 0, bytes);
    device.queue.submit([enc.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    return new Float32Array(staging.getMappedRange().slice(0));
  } finally {
    staging.destroy();
  }
}

/** One row per split (1, 2, 4, 8) of the product A[m,k]·W[k,n]; splits whose scratch exceeds a binding are left out. */
export async function splitKRows(ctx: Pick<KernelBenchContext, 'device' | 'cache' | 'timer' | 'opts'>, m: number, k: number, n: number): Promise<SplitKRow[]> {
  const { device } = ctx;
  const a = residentInput(device, 'Bench.splitK.a', synthValues(5, m * k, 1));
  const w = residentInput(device, 'Bench.splitK.w', synthValues(6, k * n, 1 / Math.sqrt(k)));
  const c = device.createBuffer({ label: 'Bench.splitK.c', size: 4 * m * n, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
  const owned: GPUBuffer[] = [];
  const rows: SplitKRow[] = [];
  try {
    let unsplit: { ms: number; out: Float32Array } | null = null;
    for (const splitK of GEMM_SPLIT_K) {
      if (splitK > 1 && splitKScratchBytes({ m, n, k, splits: splitK }) > device.limits.maxStorageBufferBindingSize) continue;
      const list: Dispatch[] = splitK === 1
        ? [createGemm(device, ctx.cache, { a, b: w, c, m, n, k, resources: owned, label: 'Bench.gemm' })]
        : createGemmSplitK(device, ctx.cache, { a, b: w, c, m, n, k, splits: splitK, resources: owned, label: 'Bench.splitK' });
      const out = await readOutput(device, list, c, 4 * m * n);
      const want = unsplit?.out;
      if (want) {
        // Inputs of magnitude ≤ 1 and weights ≤ 1/√k: a wrong slice moves outputs by ~0.1, f32 reordering by ~1e-6.
        const tol = 1e-5 * (1 + Math.sqrt(k));
        const bad = out.findIndex((v, i) => !(Math.abs(v - (want[i] ?? Number.NaN)) <= tol));
        if (bad >= 0) throw new VerificationError(`split-K ${splitK} on ${m}×${k}×${n}: element ${bad} is ${out[bad]}, unsplit gives ${want[bad]}`);
      }
      const r = await measure(ctx.timer, list, ctx.opts);
      if (!unsplit) unsplit = { ms: r.medianMs, out };
      const flops = list.reduce((s, d) => s + d.flops, 0);
      rows.push({
        kind: 'splitk', shape: { m, k, n }, splitK,
        // The partial pass launches one grid layer per slice (gemm: 1).
        slices: list[0]?.workgroups[2] ?? 1, dispatches: list.length,
        flops, bytes: list.reduce((s, d) => s + d.bytes, 0), oursKernelMs: r.medianMs, oursTiming: r.source,
        achieved: flops / (r.medianMs * 1e6), speedupVsUnsplit: unsplit.ms / r.medianMs,
      });
    }
    return rows;
  } finally {
    a.destroy();
    w.destroy();
    c.destroy();
    for (const b of owned) b.destroy();
  }
}
