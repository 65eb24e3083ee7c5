/**
 * A query, whatever the model, is recorded once as a flat list of dispatches and replayed by the
 * timer: in one compute pass to time the whole query, or one pass per dispatch to break the time
 * down per kernel. Decode steps get their own pre-built bind groups (their uniforms differ), and
 * greedy argmax stays on the GPU, so a whole query is a single submission with no read-back.
 */
import { DEFAULT_TUNING, type KernelTuning } from '../shared/tuning.ts';

export interface Dispatch {
  /** Kernel name as in kernels/NAME (used for the per-kernel breakdown). */
  kernel: string;
  pipeline: GPUComputePipeline;
  bindGroups: readonly GPUBindGroup[];
  workgroups: readonly [number, number, number];
  flops: number;
  bytes: number;
  /** Which part of the query this dispatch belongs to (e.g. "prefill", "decode"). */
  phase?: string;
}

/** What one pipeline is made of: enough to create it again, synchronously or not. */
export interface PipelineRequest {
  label: string;
  code: string;
  constants: Readonly<Record<string, number>>;
  entryPoint: string;
}

/**
 * Pipelines are cached on what changes the shader (source + override constants) only. The cache
 * remembers every distinct request (`requests()`), and `precompile` creates a list of them ahead
 * of time with createComputePipelineAsync, so the compile time can be measured apart from the
 * first query (the graph builders then find them here and never compile synchronously).
 */
export class PipelineCache {
  private readonly modules = new Map<string, GPUShaderModule>();
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  private readonly seen = new Map<string, PipelineRequest>();
  /** Pipelines created synchronously by get(): not precompiled. */
  misses = 0;
  /**
   * The device's kernel choices (src/shared/tuning.ts): set by the autotuner, or from its cache,
   * before any graph is built; the op builders read it (e.g. createLinear's split-K and GEMV reduction).
   */
  tuning: KernelTuning = DEFAULT_TUNING;
  constructor(private readonly device: GPUDevice) {}

  get(label: string, code: string, constants: Record<string, number> = {}, entryPoint = 'main'): GPUComputePipeline {
    const key = pipelineKey(label, code, constants, entryPoint);
    if (!this.seen.has(key)) this.seen.set(key, { label, code, constants: { ...constants }, entryPoint });
    let p = this.pipelines.get(key);
    if (p) return p;
    this.misses++;
    p = this.device.createComputePipeline({ label: `${label}.pipeline`, layout: 'auto', compute: { module: this.module(label, code), entryPoint, constants } });
    this.pipelines.set(key, p);
    return p;
  }

  /** Every distinct pipeline asked of this cache so far, in first-asked order. */
  requests(): PipelineRequest[] {
    return [...this.seen.values()];
  }

  /**
   * Create these pipelines with createComputePipelineAsync, all at once, and keep them for get().
   * `salt`, when given, is appended to each shader as a WGSL comment: the driver then compiles
   * afresh instead of handing back a pipeline it already holds for the same source (a timing
   * would otherwise measure a cache lookup). Resolves to the wall-clock milliseconds it took.
   */
  async precompile(requests: readonly PipelineRequest[], salt?: string): Promise<number> {
    const t0 = performance.now();
    await Promise.all(
      requests.map(async (r) => {
        const key = pipelineKey(r.label, r.code, r.constants, r.entryPoint);
        if (this.pipelines.has(key)) return;
        const code = salt === undefined ? r.code : `${r.code}\n// ${salt}\n`;
        const module = this.module(r.label, code);
        const p = await this.device.createComputePipelineAsync({ label: `${r.label}.pipeline`, layout: 'auto', compute: { module, entryPoint: r.entryPoint, constants: { ...r.constants } } });
        this.pipelines.set(key, p);
      }),
    );
    return performance.now() - t0;
  }

  private module(label: string, code: string): GPUShaderModule {
    let module = this.modules.get(code);
    if (!module) {
      module = this.device.createShaderModule({ label: `${label}.module`, code });
      this.modules.set(code, module);
    }
    return module;
  }
}

function pipelineKey(label: string, code: string, constants: Readonly<Record<string, number>>, entryPoint: string): string {
  const constKey = Object.keys(constants).sort().map((k) => `${k}=${constants[k]}`).join(',');
  return `${label}|${entryPoint}|${constKey}|${code.length}:${hash(code)}`;
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

export function encodeDispatches(pass: GPUComputePassEncoder, list: readonly Dispatch[]): void {
  for (const d of list) {
    pass.setPipeline(d.pipeline);
    d.bindGroups.forEach((bg, i) => pass.setBindGroup(i, bg));
    pass.dispatchWorkgroups(d.workgroups[0], d.workgroups[1], d.workgroups[2]);
  }
}
