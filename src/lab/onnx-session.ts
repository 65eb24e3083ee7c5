/**
 * The `#/model` session on the page side: the loaded ONNX model, the run settings, the runs
 * through the lab worker (one per execution provider) and their energy estimate. State is module
 * signals, so a loaded model and its results survive a visit to another view; the view in
 * src/ui/model/ only renders them and calls the actions here. Parsing, measuring and the energy
 * Monte Carlo all run in the worker (see docs/ARCHITECTURE.md).
 */
import { signal } from '@preact/signals';
import { cpuThreadsHere, currentTimeZone, defaultEnergyContext, detectBattery, profileFromCatalog, type EnergyContext, type WorkloadEnergy } from '../energy/index.ts';
import { errorName } from '../shared/errors.ts';
import { shapesForDims, type OnnxEp, type OnnxGraphInfo, type OnnxProgress } from '../shared/onnx.ts';
import type { Workload } from '../shared/result.ts';
import { Comlink, getLab } from './client.ts';
import { download, DownloadHttpError, DownloadNetworkError, type DownloadProgress } from './download.ts';

export { dynamicDims, shapesForDims } from '../shared/onnx.ts';
export type { OnnxEp, OnnxGraphInfo, OnnxProgress } from '../shared/onnx.ts';

/** Why loading failed, for the view to word (it owns the dictionary). */
export type SourceProblem =
  | { kind: 'external-data' }
  | { kind: 'bad-url' }
  | { kind: 'network'; host: string; detail: string }
  | { kind: 'http'; status: number; text: string }
  | { kind: 'read'; detail: string }
  | { kind: 'load'; message: string };

export type SourceState =
  | { kind: 'none' }
  | { kind: 'downloading'; label: string; received: number; total: number | null; cancellable: boolean }
  | { kind: 'ready'; label: string; bytes: Uint8Array; info: OnnxGraphInfo }
  | { kind: 'error'; problem: SourceProblem };

export type EpChoice = OnnxEp | 'both';

export type EpResult = { kind: 'ok'; workload: Workload } | { kind: 'error'; name: string; message: string };

export type RunStatus =
  | { kind: 'idle' }
  | { kind: 'running'; ep: OnnxEp; phase: OnnxProgress['phase']; sample: number; samples: number; liveMs: number[] }
  | { kind: 'cancelled' }
  | { kind: 'done' };

export interface EnergyRow {
  ep: OnnxEp;
  ctx: EnergyContext;
  e: WorkloadEnergy;
}

export type EnergyState = { kind: 'none' } | { kind: 'pending' } | { kind: 'ready'; rows: EnergyRow[] } | { kind: 'error'; message: string };

/** What the page knows of the adapter (from its capability probe), for runs and the energy profile. */
export interface AdapterInfo {
  vendor: string;
  architecture: string;
  isFallbackAdapter: boolean;
}

export const source = signal<SourceState>({ kind: 'none' });
export const dimValues = signal<Record<string, number>>({});
export const epChoice = signal<EpChoice>('both');
export const warmup = signal(3);
export const samples = signal(20);
export const status = signal<RunStatus>({ kind: 'idle' });
export const results = signal<Partial<Record<OnnxEp, EpResult>>>({});
export const energy = signal<EnergyState>({ kind: 'none' });
export const url = signal('');
let downloading: AbortController | null = null;
/**
 * Bumped by every new model and every new run: an energy estimate still pending from an earlier
 * run checks it before writing, so it can never land on another run's results.
 */
let generation = 0;

// ---------------------------------------------------------------------------------------------
// Loading.

async function accept(bytes: Uint8Array, label: string): Promise<void> {
  try {
    // Parsed in the worker: a large model would block the page for a long task.
    const info = await getLab().inspectOnnx(bytes);
    generation++;
    dimValues.value = {};
    results.value = {};
    energy.value = { kind: 'none' };
    status.value = { kind: 'idle' };
    source.value = info.externalData ? { kind: 'error', problem: { kind: 'external-data' } } : { kind: 'ready', label, bytes, info };
  } catch (e) {
    source.value = { kind: 'error', problem: { kind: 'load', message: (e as Error).message } };
  }
}

export async function loadFile(file: File): Promise<void> {
  source.value = { kind: 'downloading', label: file.name, received: 0, total: file.size, cancellable: false };
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch (e) {
    source.value = { kind: 'error', problem: { kind: 'read', detail: (e as Error).message } };
    return;
  }
  await accept(bytes, file.name);
}

/** Downloads with progress; a new download or `stopDownload` aborts the one in flight. */
export async function loadUrl(address: string, base: string = globalThis.location?.href ?? 'http://localhost/'): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(address, base);
  } catch {
    source.value = { kind: 'error', problem: { kind: 'bad-url' } };
    return;
  }
  downloading?.abort();
  const ctrl = new AbortController();
  downloading = ctrl;
  const label = decodeURIComponent(parsed.pathname.split('/').pop() || parsed.host);
  source.value = { kind: 'downloading', label, received: 0, total: null, cancellable: true };
  let bytes: Uint8Array;
  try {
    bytes = await download(parsed, {
      signal: ctrl.signal,
      onProgress: (p: DownloadProgress) => (source.value = { kind: 'downloading', label, ...p, cancellable: true }),
    });
  } catch (e) {
    if (ctrl.signal.aborted) source.value = { kind: 'none' };
    else if (e instanceof DownloadNetworkError) source.value = { kind: 'error', problem: { kind: 'network', host: e.host, detail: e.detail } };
    else if (e instanceof DownloadHttpError) source.value = { kind: 'error', problem: { kind: 'http', status: e.status, text: e.statusText } };
    else source.value = { kind: 'error', problem: { kind: 'read', detail: (e as Error).message } };
    return;
  } finally {
    if (downloading === ctrl) downloading = null;
  }
  await accept(bytes, label);
}

export function stopDownload(): void {
  downloading?.abort();
}

// ---------------------------------------------------------------------------------------------
// Running.

export function epsOf(choice: EpChoice): OnnxEp[] {
  switch (choice) {
    case 'both':
      return ['webgpu', 'wasm'];
    case 'webgpu':
    case 'wasm':
      return [choice];
  }
}

/** What runs: without WebGPU, only the CPU reference can, whatever was chosen before. */
export function effectiveChoice(webgpu: boolean): EpChoice {
  return webgpu ? epChoice.value : 'wasm';
}

/**
 * Measures the loaded model on the chosen execution providers, one after the other, then
 * estimates the energy of each run in the worker. `adapter` is null when WebGPU is unavailable.
 */
export async function runModel(adapter: AdapterInfo | null): Promise<void> {
  const src = source.value;
  if (src.kind !== 'ready' || status.value.kind === 'running') return;
  const eps = epsOf(effectiveChoice(adapter !== null));
  let inputShapes: Record<string, number[]>;
  try {
    inputShapes = shapesForDims(src.info.inputs, dimValues.value);
  } catch (e) {
    results.value = { [eps[0]!]: { kind: 'error', name: (e as Error).name, message: (e as Error).message } };
    return;
  }
  const run = ++generation;
  results.value = {};
  energy.value = { kind: 'none' };
  const lab = getLab();
  for (const ep of eps) {
    status.value = { kind: 'running', ep, phase: 'load', sample: 0, samples: samples.value, liveMs: [] };
    const onProgress = (p: OnnxProgress) => {
      const s = status.value;
      if (s.kind !== 'running') return;
      status.value = { ...s, phase: p.phase, sample: p.sample ?? 0, samples: p.samples ?? s.samples, liveMs: p.ms !== undefined ? [...s.liveMs, p.ms] : s.liveMs };
    };
    // Each run transfers its own copy: the page keeps the model for the next run.
    const copy = src.bytes.slice();
    try {
      const workload = await lab.measureOnnx(
        Comlink.transfer(copy, [copy.buffer]),
        { ep, warmup: warmup.value, samples: samples.value, inputShapes, name: src.label },
        Comlink.proxy(onProgress),
      );
      results.value = { ...results.value, [ep]: { kind: 'ok', workload } };
    } catch (e) {
      const err = e as Error;
      if (errorName(e) === 'RunCancelledError') {
        status.value = { kind: 'cancelled' };
        return;
      }
      results.value = { ...results.value, [ep]: { kind: 'error', name: err.name, message: err.message } };
    }
  }
  status.value = { kind: 'done' };
  await estimateEnergy(adapter, run);
}

export function cancelRun(): void {
  void getLab().cancel();
}

/**
 * The same energy model as the race, one workload at a time: the GPU profile for the WebGPU EP,
 * the CPU profile for WASM (it runs on the processor). ort gives no GPU timestamps, so t_busy is
 * the wall-clock time per run: an upper bound, and the view says so.
 */
async function estimateEnergy(adapter: AdapterInfo | null, run: number): Promise<void> {
  const runs = (['webgpu', 'wasm'] as const).flatMap((ep) => {
    const r = results.value[ep];
    return r?.kind === 'ok' ? [{ ep, w: r.workload }] : [];
  });
  if (!runs.length) return;
  const current = () => run === generation;
  energy.value = { kind: 'pending' };
  try {
    const base = defaultEnergyContext(adapter ?? { vendor: '', architecture: '', isFallbackAdapter: false }, {
      hasBattery: await detectBattery(),
      hints: { cpuThreads: cpuThreadsHere() },
      timeZone: currentTimeZone(),
    });
    const lab = getLab();
    const rows: EnergyRow[] = [];
    for (const { ep, w } of runs) {
      const ctx = ep === 'wasm' ? { ...base, profile: profileFromCatalog('software-adapter') } : base;
      rows.push({ ep, ctx, e: await lab.computeWorkloadEnergy(w, ctx) });
    }
    if (current()) energy.value = { kind: 'ready', rows };
  } catch (e) {
    // The measurement stands on its own: an estimate that cannot be made must not hide it.
    console.warn('ONNX energy estimate failed:', e);
    if (current()) energy.value = { kind: 'error', message: (e as Error).message };
  }
}
