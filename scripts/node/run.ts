/**
 * The browser-free runner: the page's run (src/lab/session.ts: plan → engine → result document
 * → energy estimate → measured watts) with the worker's API object (workers/lab-api.ts) built
 * in this process over the real engine, and WebGPU from Dawn for Node (./webgpu.ts). Loaded
 * only after ./raw-hook.ts is registered: the engine imports its WGSL with Vite's `?raw`.
 */
import { probeCapabilities } from '../../src/engine/device.ts';
import { runGpuLoad } from '../../src/engine/gpu-load.ts';
import { runPlan, type Progress } from '../../src/engine/run-plan.ts';
import { computeEnergy, computeWorkloadEnergy } from '../../src/energy/index.ts';
import { runLab } from '../../src/lab/session.ts';
import type { PresetName, ResultDocument } from '../../src/shared/result.ts';
import { createLabApi } from '../../workers/lab-api.ts';
import { startNodeRecording, type NodeRecorderOptions } from './power.ts';
import { nodeRuntime } from './webgpu.ts';

/** An activity of the page's worker that the Node runner does not offer. */
export class NotInNodeRunnerError extends Error {
  override name = 'NotInNodeRunnerError';
}

const notHere = (what: string) => (): never => {
  throw new NotInNodeRunnerError(`${what} is not offered by the Node runner (use the page)`);
};

export interface NodeRunOptions {
  preset: PresetName;
  country: string | null;
  /** Model fields of the custom preset. */
  params: [string, string][];
  /** Record a power sensor around the run (null: do not). */
  power: NodeRecorderOptions | null;
  log: (line: string) => void;
  /** false: no kernel autotune (the default kernels, recorded as 'disabled'). */
  tune?: boolean;
}

/** The OS family as the document records it, from Node's platform. */
const OS_FAMILY: Partial<Record<NodeJS.Platform, string>> = { linux: 'linux', darwin: 'macos', win32: 'windows', android: 'android' };
const osFamily = (platform: NodeJS.Platform): string => OS_FAMILY[platform] ?? 'other';

function progressLine(p: Progress): string | null {
  switch (p.type) {
    case 'device': return `adapter ${p.adapter.vendor || '?'} / ${p.adapter.architecture || '?'}${p.adapter.isFallbackAdapter ? ' (fallback)' : ''}, timing ${p.timing}`;
    case 'workload-start': return `  ${p.index + 1}/${p.total} ${p.id}`;
    case 'phase':
    case 'step':
    case 'sample':
    case 'paused':
    case 'held':
    case 'workload-done':
      return null;
  }
}

export async function runInNode(opts: NodeRunOptions): Promise<ResultDocument> {
  const lab = createLabApi({
    probeCapabilities, runPlan, computeEnergy, computeWorkloadEnergy, runGpuLoad,
    inspectOnnx: notHere('ONNX inspection'),
    measureOnnx: notHere('ONNX measurement'),
  });
  const doc = await runLab({
    preset: opts.preset,
    ...(opts.preset === 'custom' ? { custom: new URLSearchParams(opts.params) } : {}),
    country: opts.country,
    ...(opts.tune === false ? { tune: false } : {}),
    power: opts.power ? {} : false,
    host: { lab, startRecorder: (vendor) => startNodeRecording(vendor, opts.power ?? {}) },
    onProgress: (p) => {
      const line = progressLine(p);
      if (line !== null) opts.log(line);
    },
  });
  // The runtime is Node, not a browser: the family 'node' with Node's major version, and the
  // Dawn backend the runner asked for. The page's isolation flag means nothing here.
  const { crossOriginIsolated: _none, ...environment } = doc.environment;
  doc.environment = {
    ...environment,
    browser: { name: 'node', major: Number(process.versions.node.split('.')[0]) },
    os: { family: osFamily(process.platform) },
    runtime: nodeRuntime(process.env),
  };
  return doc;
}
