/**
 * Small helpers shared by the kernel builders in src/engine/ops/: uniform buffers, bind groups
 * over whole buffers or slices, and a per-device dummy buffer for optional bindings.
 */

import type { Dispatch } from '../dispatch.ts';

/** A buffer, or a slice of one (bytes), bound to one slot. */
export type BufferRef = GPUBuffer | { buffer: GPUBuffer; offset?: number; size?: number };

/** Buffers an op creates for itself (uniforms): whoever owns the Dispatch destroys them. */
export interface OpResources {
  push(...buffers: GPUBuffer[]): unknown;
  /**
   * Optional sharing of read-only uniform buffers with identical contents (a model records
   * thousands of dispatches whose sizes repeat layer after layer and step after step).
   */
  intern?(key: string, create: () => GPUBuffer): GPUBuffer;
}

/** Owns uniform buffers and shares those with identical bytes. */
export class UniformPool implements OpResources {
  private readonly owned: GPUBuffer[] = [];
  private readonly byContent = new Map<string, GPUBuffer>();

  push(...buffers: GPUBuffer[]): number {
    return this.owned.push(...buffers);
  }

  intern(key: string, create: () => GPUBuffer): GPUBuffer {
    let b = this.byContent.get(key);
    if (!b) {
      b = create();
      this.byContent.set(key, b);
      this.owned.push(b);
    }
    return b;
  }

  get size(): number {
    return this.owned.length;
  }

  destroy(): void {
    for (const b of this.owned) b.destroy();
    this.owned.length = 0;
    this.byContent.clear();
  }
}

export function uniformBuffer(device: GPUDevice, label: string, words: Uint32Array | Float32Array | ArrayBuffer, resources?: OpResources): GPUBuffer {
  const bytes = words instanceof ArrayBuffer ? new Uint8Array(words) : new Uint8Array(words.buffer, words.byteOffset, words.byteLength);
  if (resources?.intern) {
    const key = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    return resources.intern(key, () => createUniform(device, 'Ops.sharedUniform', bytes));
  }
  const buf = createUniform(device, label, bytes);
  resources?.push(buf);
  return buf;
}

function createUniform(device: GPUDevice, label: string, bytes: Uint8Array): GPUBuffer {
  const size = Math.max(16, Math.ceil(bytes.byteLength / 16) * 16);
  const buf = device.createBuffer({ label, size, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST, mappedAtCreation: true });
  new Uint8Array(buf.getMappedRange()).set(bytes);
  buf.unmap();
  return buf;
}

/**
 * Where the columns of a product's output go: consecutive column ranges (`cols` each, Σ = n),
 * each stored row-major from element `offset` of the output buffer. A fused Q/K/V projection
 * writes its three blocks this way; one segment at offset 0 is the plain output. At most three.
 */
export interface OutputSegment {
  cols: number;
  offset: number;
}

/** Checks segments against n and returns the uniform words [n0, n1, base0, base1, base2]. */
export function segmentWords(label: string, n: number, segments: readonly OutputSegment[]): [number, number, number, number, number] {
  if (segments.length < 1 || segments.length > 3) throw new RangeError(`${label}: 1 to 3 output segments, got ${segments.length}`);
  if (segments.reduce((s, x) => s + x.cols, 0) !== n) throw new RangeError(`${label}: output segments must cover the ${n} columns`);
  const [a, b, c] = segments;
  return [a!.cols, b?.cols ?? 0, a!.offset, b?.offset ?? 0, c?.offset ?? 0];
}

/** Uniform words mixing u32 and f32 fields (WGSL structs of 4-byte scalars). */
export function packWords(fields: readonly { u?: number; f?: number }[]): ArrayBuffer {
  const ab = new ArrayBuffer(Math.max(16, Math.ceil((fields.length * 4) / 16) * 16));
  const u = new Uint32Array(ab);
  const f = new Float32Array(ab);
  fields.forEach((x, i) => {
    if (x.f !== undefined) f[i] = x.f;
    else u[i] = (x.u ?? 0) >>> 0;
  });
  return ab;
}

export function bindGroup(device: GPUDevice, pipeline: GPUComputePipeline, label: string, entries: readonly (readonly [number, BufferRef])[]): GPUBindGroup {
  return device.createBindGroup({
    label,
    layout: pipeline.getBindGroupLayout(0),
    entries: entries.map(([binding, ref]) => ({
      binding,
      resource: 'buffer' in ref ? { buffer: ref.buffer, offset: ref.offset ?? 0, ...(ref.size !== undefined ? { size: ref.size } : {}) } : { buffer: ref },
    })),
  });
}

const dummies = new WeakMap<GPUDevice, GPUBuffer>();

/**
 * A 16-byte read-only buffer for bindings a pipeline declares but a dispatch does not use
 * (e.g. gemm without bias): with layout 'auto' every statically used binding needs a buffer.
 */
export function dummyBuffer(device: GPUDevice): GPUBuffer {
  let b = dummies.get(device);
  if (!b) {
    b = device.createBuffer({ label: 'Ops.dummy', size: 16, usage: GPUBufferUsage.STORAGE });
    dummies.set(device, b);
  }
  return b;
}

/**
 * What every builder takes besides its own buffers. Every builder returns Dispatch(es) whose
 * flops/bytes follow the kernel's meta (and so models/flops.ts); `label` names the GPU objects
 * `Owner.purpose`.
 */
export interface OpCommon {
  label?: string;
  resources?: OpResources;
  phase?: string;
}

export function dispatch(
  kernel: string,
  pipeline: GPUComputePipeline,
  bindGroup_: GPUBindGroup,
  workgroups: readonly [number, number, number],
  flops: number,
  bytes: number,
  phase: string | undefined,
): Dispatch {
  return { kernel, pipeline, bindGroups: [bindGroup_], workgroups, flops, bytes, ...(phase !== undefined ? { phase } : {}) };
}
