/**
 * Device microbenchmarks: FMA peak (compute ceiling), copy (bandwidth ceiling) and fp32 GEMM.
 * Each is verified against a CPU reference on the device before it is timed: a fast wrong
 * kernel would make every ratio meaningless.
 */
import { readBuffer } from './readback.ts';
import fmaCode from '../../kernels/fma-peak/fma-peak.wgsl?raw';
import copyCode from '../../kernels/copy/copy.wgsl?raw';
import { FMA_ROW_WORKGROUPS, FMA_WORKGROUP, fmaPeakMeta, fmaPeakRef, type FmaPeakShape } from '../../kernels/fma-peak/fma-peak.meta.ts';
import { COPY_ROW_WORKGROUPS, COPY_WORKGROUP, copyMeta, type CopyShape } from '../../kernels/copy/copy.meta.ts';
import { gemmMeta } from '../../kernels/gemm/gemm.meta.ts';
import type { Dispatch, PipelineCache } from './dispatch.ts';
import { VerificationError } from './errors.ts';
import { createGemm } from './ops/gemm.ts';
import { synthValues } from './synth-cpu.ts';

export type MicroSpec =
  | ({ id: 'fma-peak' } & FmaPeakShape)
  | ({ id: 'copy' } & CopyShape)
  | { id: 'gemm'; m: number; n: number; k: number };

export interface PreparedWorkload {
  dispatches: Dispatch[];
  flops: number;
  bytes: number;
  config: Record<string, unknown>;
  verified: boolean;
  /** The buffer holding the result (for benchmarks that time a full round trip). */
  output: GPUBuffer;
  destroy(): void;
}

/** Bytes of the largest single binding a micro workload needs (for requiredLimits). */
export function microBindingBytes(spec: MicroSpec): number {
  switch (spec.id) {
    case 'fma-peak':
      return spec.invocations * 16;
    case 'copy':
      return spec.bytes;
    case 'gemm':
      return 4 * Math.max(spec.m * spec.k, spec.k * spec.n, spec.m * spec.n);
    default: {
      const never: never = spec;
      throw new Error(`unknown micro workload ${JSON.stringify(never)}`);
    }
  }
}

export function microCounts(spec: MicroSpec): { flops: number; bytes: number } {
  switch (spec.id) {
    case 'fma-peak':
      return { flops: fmaPeakMeta.flops(spec), bytes: fmaPeakMeta.bytes(spec) };
    case 'copy':
      return { flops: copyMeta.flops(spec), bytes: copyMeta.bytes(spec) };
    case 'gemm':
      return { flops: gemmMeta.flops(spec), bytes: gemmMeta.bytes(spec) };
    default: {
      const never: never = spec;
      throw new Error(`unknown micro workload ${JSON.stringify(never)}`);
    }
  }
}

function runOnce(device: GPUDevice, list: readonly Dispatch[]): void {
  const enc = device.createCommandEncoder({ label: 'Micro.verify' });
  const pass = enc.beginComputePass({ label: 'Micro.verify' });
  for (const d of list) {
    pass.setPipeline(d.pipeline);
    d.bindGroups.forEach((bg, i) => pass.setBindGroup(i, bg));
    pass.dispatchWorkgroups(...d.workgroups);
  }
  pass.end();
  device.queue.submit([enc.finish()]);
}

function storage(device: GPUDevice, label: string, bytes: number, extra = 0): GPUBuffer {
  return device.createBuffer({ label, size: bytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST | extra });
}

function uniform(device: GPUDevice, label: string, data: ArrayBuffer): GPUBuffer {
  const buf = device.createBuffer({ label, size: Math.max(16, data.byteLength), usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(buf, 0, data);
  return buf;
}

const FMA_MUL = 0.999;
const FMA_ADD = 0.001;

export async function prepareMicro(device: GPUDevice, cache: PipelineCache, spec: MicroSpec): Promise<PreparedWorkload> {
  switch (spec.id) {
    case 'fma-peak': {
      // Every launched invocation runs the loop (the shader has no bounds check), so count the
      // invocations the 2D grid actually launches.
      const [gx, gy] = fmaPeakMeta.workgroups({ invocations: spec.invocations, iterations: spec.iterations });
      const shape = { invocations: gx * gy * FMA_WORKGROUP, iterations: spec.iterations };
      const out = storage(device, 'FmaPeak.result', shape.invocations * 16);
      const params = new ArrayBuffer(16);
      new Uint32Array(params, 0, 2).set([shape.iterations, FMA_ROW_WORKGROUPS * FMA_WORKGROUP]);
      new Float32Array(params, 8, 2).set([FMA_MUL, FMA_ADD]);
      const u = uniform(device, 'FmaPeak.params', params);
      const pipeline = cache.get('fma-peak', fmaCode, { WORKGROUP_SIZE: FMA_WORKGROUP });
      const bg = device.createBindGroup({
        label: 'FmaPeak.bindGroup',
        layout: pipeline.getBindGroupLayout(0),
        entries: [{ binding: 0, resource: { buffer: u } }, { binding: 1, resource: { buffer: out } }],
      });
      const d: Dispatch = { kernel: 'fma-peak', pipeline, bindGroups: [bg], workgroups: fmaPeakMeta.workgroups(shape), ...microCounts({ id: 'fma-peak', ...shape }) };
      runOnce(device, [d]);
      const got = new Float32Array(await readBuffer(device, out, 'Micro', 0, Math.min(out.size, 4096 * 16)));
      // fma() may be fused or not: allow for the rounding of 4·iterations steps, far below any bug.
      for (let idx = 0; idx < got.length / 4; idx += 97) {
        const want = fmaPeakRef(idx, shape.iterations, Math.fround(FMA_MUL), Math.fround(FMA_ADD));
        for (let l = 0; l < 4; l++) {
          const g = got[idx * 4 + l]!;
          if (!(Math.abs(g - want[l]!) <= 1e-3 * Math.abs(want[l]!))) {
            throw new VerificationError(`fma-peak: invocation ${idx} lane ${l} gave ${g}, expected ${want[l]}`);
          }
        }
      }
      return {
        dispatches: [d], flops: d.flops, bytes: d.bytes, config: { ...shape, workgroupSize: FMA_WORKGROUP }, verified: true, output: out,
        destroy: () => { out.destroy(); u.destroy(); },
      };
    }
    case 'copy': {
      const bytes = Math.ceil(spec.bytes / 16) * 16;
      const src = storage(device, 'Copy.src', bytes);
      const dst = storage(device, 'Copy.dst', bytes);
      // A recognisable pattern: word i holds a hash of i, so a missed or shifted element shows.
      const pattern = new Uint32Array(bytes / 4);
      for (let i = 0; i < pattern.length; i++) pattern[i] = Math.imul(i, 2654435761) >>> 0;
      device.queue.writeBuffer(src, 0, pattern);
      const params = new Uint32Array([bytes / 16, COPY_ROW_WORKGROUPS * COPY_WORKGROUP, 0, 0]);
      const u = uniform(device, 'Copy.params', params.buffer);
      const pipeline = cache.get('copy', copyCode, { WORKGROUP_SIZE: COPY_WORKGROUP });
      const bg = device.createBindGroup({
        label: 'Copy.bindGroup',
        layout: pipeline.getBindGroupLayout(0),
        entries: [{ binding: 0, resource: { buffer: u } }, { binding: 1, resource: { buffer: src } }, { binding: 2, resource: { buffer: dst } }],
      });
      const d: Dispatch = { kernel: 'copy', pipeline, bindGroups: [bg], workgroups: copyMeta.workgroups({ bytes }), ...microCounts({ id: 'copy', bytes }) };
      runOnce(device, [d]);
      const got = new Uint32Array(await readBuffer(device, dst, 'Micro', 0, bytes));
      const stride = Math.max(1, Math.floor(got.length / (1 << 20)));
      for (let i = 0; i < got.length; i += stride) {
        if (got[i] !== pattern[i]) throw new VerificationError(`copy: word ${i} is ${got[i]}, expected ${pattern[i]}`);
      }
      if (got[got.length - 1] !== pattern[pattern.length - 1]) throw new VerificationError('copy: the last word was not copied');
      return {
        dispatches: [d], flops: d.flops, bytes: d.bytes, config: { bytes, workgroupSize: COPY_WORKGROUP }, verified: true, output: dst,
        destroy: () => { src.destroy(); dst.destroy(); u.destroy(); },
      };
    }
    case 'gemm': {
      const { m, n, k } = spec;
      const aData = synthValues(1, m * k, 1);
      const bData = synthValues(2, k * n, 1 / Math.sqrt(k));
      const a = storage(device, 'GemmBench.a', aData.byteLength);
      const b = storage(device, 'GemmBench.b', bData.byteLength);
      const c = storage(device, 'GemmBench.c', 4 * m * n);
      device.queue.writeBuffer(a, 0, aData);
      device.queue.writeBuffer(b, 0, bData);
      const uniforms: GPUBuffer[] = [];
      const d = createGemm(device, cache, { a, b, c, m, n, k, label: 'GemmBench', resources: uniforms });
      runOnce(device, [d]);
      const got = new Float32Array(await readBuffer(device, c, 'Micro', 0, 4 * m * n));
      // Check a spread of output elements (a full CPU GEMM would take seconds on large shapes).
      const checks = Math.min(m * n, 256);
      for (let s = 0; s < checks; s++) {
        const idx = Math.floor((s * (m * n - 1)) / Math.max(1, checks - 1));
        const i = Math.floor(idx / n);
        const j = idx % n;
        let want = 0;
        let mag = 0;
        for (let p = 0; p < k; p++) {
          const t = aData[i * k + p]! * bData[p * n + j]!;
          want += t;
          mag += Math.abs(t);
        }
        // fp32 accumulation error bound ~ k·eps·Σ|a·b|; 4× margin.
        const tol = 4 * k * 1.2e-7 * mag + 1e-6;
        if (!(Math.abs(got[idx]! - want) <= tol)) {
          throw new VerificationError(`gemm ${m}×${n}×${k}: C[${i},${j}] = ${got[idx]}, expected ${want} (tolerance ${tol.toExponential(2)})`);
        }
      }
      return {
        dispatches: [d], flops: d.flops, bytes: d.bytes, config: { m, n, k, dtype: 'f32' }, verified: true, output: c,
        destroy: () => { a.destroy(); b.destroy(); c.destroy(); for (const u of uniforms) u.destroy(); },
      };
    }
    default: {
      const never: never = spec;
      throw new Error(`unknown micro workload ${JSON.stringify(never)}`);
    }
  }
}
