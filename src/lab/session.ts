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
import type { SuiteNote } from '../engine/models/presets.ts';
import { cpuThreadsHere, defaultEnergyContext, detectBattery, measuredPeakGflops } from '../energy/index.ts';

export const APP_VERSION: string = typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : '0.0.0-dev';

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export function buildDocument(out: EngineRunOutput, plan: MeasurementPlan, ua: string = navigator.userAgent): ResultDocument {
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
    },
    workloads: out.workloads,
    ...(out.flags.length ? { flags: out.flags } : {}),
  };
}

export interface RunRequest {
  preset: PresetName;
  custom?: URLSearchParams;
  modelsOnly?: boolean;
  country?: string | null;
  onProgress?: (p: Progress) => void;
  onPlan?: (plan: MeasurementPlan, notes: SuiteNote[]) => void;
}

/** The energy estimate for a document whose model workloads are both present (else null). */
export async function estimateEnergy(doc: ResultDocument, country?: string | null): Promise<EnergySection | null> {
  const roles = new Set(doc.workloads.filter((w) => w.kind === 'model').map((w) => w.role));
  if (!roles.has('general') || !roles.has('specialized')) return null;
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
  return getLab().computeEnergy(doc, ctx);
}

export async function runLab(req: RunRequest): Promise<ResultDocument> {
  const lab = getLab();
  const caps = await lab.capabilities();
  const limits = caps.available ? caps.adapter.limits : undefined;
  const { plan, notes } = buildPlan({
    preset: req.preset,
    preferF16: caps.available && caps.adapter.features.includes('shader-f16'),
    ...(limits ? { limits } : {}),
    ...(req.custom ? { custom: req.custom } : {}),
    ...(req.modelsOnly ? { modelsOnly: true } : {}),
  });
  req.onPlan?.(plan, notes);
  const out = await lab.run(plan, Comlink.proxy((p: Progress) => req.onProgress?.(p)));
  const doc = buildDocument(out, plan);
  // The measurement stands on its own: an estimate that cannot be made must not lose it.
  try {
    const energy = await estimateEnergy(doc, req.country);
    if (energy) doc.energy = energy;
  } catch (e) {
    console.warn('Energy estimate failed:', e);
    doc.flags = [...(doc.flags ?? []), 'energy-unavailable'];
  }
  return doc;
}
