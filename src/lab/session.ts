/**
 * One run, end to end, on the page side: plan → worker → result document → energy estimate.
 * The UI and the headless `lab` CLI both go through here, so the CLI measures exactly what a
 * visitor gets.
 */
import type { EngineRunOutput, MeasurementPlan, Progress } from '../engine/run-plan.ts';
import type { EnergySection, PresetName, ResultDocument } from '../shared/result.ts';
import { SCHEMA_VERSION } from '../shared/result.ts';
import { Comlink, getLab } from './client.ts';
import { browserFamily, osFamily } from './environment.ts';
import { buildPlan } from './plan.ts';
import { measuredFrom, PowerRecording, type PowerRecordingOptions, type RunRecorder } from './power.ts';
import type { LabApi } from './api.ts';
import type { SuiteNote } from '../engine/models/presets.ts';
import { cpuThreadsHere, defaultEnergyContext, detectBattery, measuredPeakGflops } from '../energy/index.ts';
import { energyWorkload } from '../shared/energy-workload.ts';

export const APP_VERSION: string = typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : '0.0.0-dev';

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export function buildDocument(out: EngineRunOutput, plan: Pick<MeasurementPlan, 'preset' | 'suiteVersion'>, ua: string = navigator.userAgent): ResultDocument {
  return {
    schemaVersion: SCHEMA_VERSION,
    suite: { preset: plan.preset, version: plan.suiteVersion },
    app: { version: APP_VERSION },
    date: today(),
    environment: {
      browser: browserFamily(ua),
      os: { family: osFamily(ua) },
      adapter: out.adapter,
      timing: out.timing,
      crossOriginIsolated: typeof crossOriginIsolated === 'boolean' ? crossOriginIsolated : false,
      // A browser does not say which native API its WebGPU uses; the Node runner replaces this.
      runtime: { kind: 'browser', backend: null },
      ...(out.tuning ? { tuning: out.tuning } : {}),
    },
    workloads: out.workloads,
    ...(out.flags.length ? { flags: out.flags } : {}),
  };
}

export interface RunRequest {
  preset: PresetName;
  custom?: URLSearchParams;
  modelsOnly?: boolean;
  /** Kernel autotuning before the run (default on); off: the default kernels, recorded as 'disabled'. */
  tune?: boolean;
  country?: string | null;
  onProgress?: (p: Progress) => void;
  onPlan?: (plan: MeasurementPlan, notes: SuiteNote[]) => void;
  /** Measured watts through the local server (src/lab/power.ts): options, or false to skip. */
  power?: Omit<PowerRecordingOptions, 'adapterVendor'> | false;
  /**
   * Where the run goes and how watts are read, when not the page's worker and local server:
   * the Node runner (scripts/node/) passes the worker's API object in-process and a recorder
   * that reads the sensor itself.
   */
  host?: { lab: LabHost; startRecorder(adapterVendor: string): Promise<RunRecorder> };
}

/** The LabApi methods a run uses, remote (the worker) or in-process. */
type LabHost = Pick<LabApi, 'capabilities' | 'run' | 'computeEnergy'>;

/** The energy estimate for a document whose model workloads are both present (else null). */
export async function estimateEnergy(doc: ResultDocument, country?: string | null, lab: Pick<LabApi, 'computeEnergy'> = getLab()): Promise<EnergySection | null> {
  // The workloads the estimate rests on (the real models when the document has them).
  if (!energyWorkload(doc, 'general') || !energyWorkload(doc, 'specialized')) return null;
  const a = doc.environment.adapter;
  const ctx = defaultEnergyContext(
    { vendor: a.vendor, architecture: a.architecture, isFallbackAdapter: a.isFallbackAdapter },
    {
      hasBattery: await detectBattery(),
      // Read here, right after the run, on the machine that measured (an Apple tier hint).
      hints: { cpuThreads: cpuThreadsHere(), measuredPeakGflops: measuredPeakGflops(doc) },
      country: country ?? null,
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    },
  );
  return lab.computeEnergy(doc, ctx);
}

export async function runLab(req: RunRequest): Promise<ResultDocument> {
  const lab = req.host?.lab ?? getLab();
  const caps = await lab.capabilities();
  const limits = caps.available ? caps.adapter.limits : undefined;
  const { plan, notes } = buildPlan({
    preset: req.preset,
    preferF16: caps.available && caps.adapter.features.includes('shader-f16'),
    ...(limits ? { limits } : {}),
    ...(req.custom ? { custom: req.custom } : {}),
    ...(req.modelsOnly ? { modelsOnly: true } : {}),
    ...(req.tune === false ? { tune: false } : {}),
  });
  req.onPlan?.(plan, notes);
  // Started (with its idle baseline) before the run; inert when the page has no local server.
  const vendor = caps.available ? caps.adapter.vendor : '';
  const power = req.power === false ? null : req.host ? await req.host.startRecorder(vendor) : await PowerRecording.start({ ...req.power, adapterVendor: vendor });
  let out: EngineRunOutput;
  try {
    out = await lab.run(plan, Comlink.proxy((p: Progress) => {
      power?.onProgress(p);
      req.onProgress?.(p);
    }));
  } finally {
    // Stopped as soon as the run ends (or fails): the sensor must not sample the estimate.
    void power?.stop();
  }
  const doc = buildDocument(out, plan);
  // The measurement stands on its own: an estimate that cannot be made must not lose it.
  try {
    const energy = await estimateEnergy(doc, req.country, lab);
    if (energy) doc.energy = energy;
  } catch (e) {
    console.warn('Energy estimate failed:', e);
    doc.flags = [...(doc.flags ?? []), 'energy-unavailable'];
  }
  // Measured beside the estimate; a page with no local server keeps the document as it was.
  const measured = power ? measuredFrom(await power.stop(), doc) : null;
  if (measured && !(!measured.available && measured.reason === 'no-local-server')) doc.measured = measured;
  return doc;
}
