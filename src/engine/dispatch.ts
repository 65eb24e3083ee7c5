/**
 * A query, whatever the model, is recorded once as a flat list of dispatches and replayed by the
 * timer: in one compute pass to time the whole query, or one pass per dispatch to break the time
 * down per kernel. Decode steps get their own pre-built bind groups (their uniforms differ), and
 * greedy argmax stays on the GPU, so a whole query is a single submission with no read-back.
 */
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

/** Pipelines are cached on what changes the shader (source + override constants) only. */
export class PipelineCache {
  private readonly modules = new Map<string, GPUShaderModule>();
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  constructor(private readonly device: GPUDevice) {}

  get(label: string, code: string, constants: Record<string, number> = {}, entryPoint = 'main'): GPUComputePipeline {
    const constKey = Object.keys(constants).sort().map((k) => `${k}=${constants[k]}`).join(',');
    const key = `${label}|${entryPoint}|${constKey}|${code.length}:${hash(code)}`;
    let p = this.pipelines.get(key);
    if (p) return p;
    let module = this.modules.get(code);
    if (!module) {
      module = this.device.createShaderModule({ label: `${label}.module`, code });
      this.modules.set(code, module);
    }
    p = this.device.createComputePipeline({ label: `${label}.pipeline`, layout: 'auto', compute: { module, entryPoint, constants } });
    this.pipelines.set(key, p);
    return p;
  }
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
