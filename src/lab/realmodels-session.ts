/**
 * The real-models race, end to end, on the page side: the worker loads and runs both models
 * (LabApi.runRealModels), then this module turns its output into a ResultDocument: one
 * `real-model` workload per model and execution provider (WebGPU, and the WASM reference when it
 * ran), the synthetic replicas (`model` workloads of the same shapes and token counts, with the
 * kernel tuning they ran with as `environment.tuning`), and the
 * energy estimate made exactly as for the synthetic race (session.ts). The UI and the headless
 * `lab --models real` both go through here. Raw replies and item ids stay in `output` (local).
 */
import type { EngineRunOutput } from '../engine/run-plan.ts';
import { SUITE_VERSIONS } from '../engine/models/presets.ts';
import type { AdapterSummary, ResultDocument, TimingSource, Workload } from '../shared/result.ts';
import type { ModelRun, ClassifierItem, GeneratorItem, RealRaceResult } from '../engine/realmodels/race.ts';
import { raceRecordFields } from '../shared/realmodels/race-record.ts';
import { familyOf, realModelConfig, realModelCost } from '../shared/realmodels/cost.ts';
import { realWorkloadId, type RealDtype, type RealModelRecord } from '../shared/realmodels/record.ts';
import type { PresetName } from '../shared/presets.ts';
import type { LabApi } from './api.ts';
import { agreedOriginFor } from './base-agreement.ts';
import { Comlink, getLab } from './client.ts';
import { realModelKey, type ModelDtype } from './model-files.ts';
import type { LoadedModelInfo, RealRaceOutput, RealRaceProgress, RealSessionRequest } from './realmodels-api.ts';
import { buildDocument, estimateEnergy } from './session.ts';

/** The document's dtype for a file variant (transformers.js names → the closed vocabulary). */
export function realDtype(d: ModelDtype): RealDtype {
  switch (d) {
    case 'fp32':
      return 'fp32';
    case 'fp16':
      return 'fp16';
    case 'quantized':
      return 'q8';
    case 'q4':
      return 'q4';
    case 'q4f16':
      return 'q4f16';
  }
}

/**
 * One model run as a workload: its timing record (wall clock, text in → answer out), tokens per
 * second, the `real` block, and the closed config (the architecture read from config.json, the
 * reply budget, the ONNX file's size) with the FLOPs and bytes `realModelCost` estimates from it
 * (the schema recomputes them; onnxruntime-web counts none).
 */
export function realWorkload(run: ModelRun<ClassifierItem | GeneratorItem>, info: LoadedModelInfo, race: RealRaceResult, taskSet: RealRaceOutput['taskSet']): Workload {
  const model = realModelKey(info.ref.id);
  const real: RealModelRecord = {
    ...raceRecordFields(run),
    model,
    // A custom model is identified by its file's SHA-256 only: no revision of the repository typed.
    revision: model === 'custom' ? null : info.revision,
    sha256: info.sha256,
    dtype: realDtype(info.ref.dtype),
    promptVersion: run.answer === 'generation' ? race.promptVersion : null,
    taskSet: { id: taskSet.id, version: taskSet.version, language: race.language },
    sessionMedianMs: run.sessionMedianMs,
  };
  const family = familyOf(run.answer);
  const config = realModelConfig(info.config, family, info.onnxBytes, family === 'decoder' ? race.maxNewTokens : undefined);
  const cost = realModelCost(config, real.tokens);
  return {
    id: realWorkloadId(run.role, model, run.executionProvider),
    kind: 'real-model',
    role: run.role,
    config,
    flops: cost.flops,
    ...(cost.flopsUnknown ? { flopsUnknown: cost.flopsUnknown } : {}),
    bytes: cost.bytes,
    timing: run.timing,
    ...(run.tokensPerSecond ? { tokensPerSecond: run.tokensPerSecond } : {}),
    real,
  };
}

export interface RealDocumentContext {
  preset: PresetName;
  /** The adapter when the replicas did not run (they report the one that ran them). */
  adapter: AdapterSummary;
  ua?: string;
}

/**
 * The document of a real-models race: the WebGPU workloads, the WASM reference's (agreement
 * `is-reference`), the replicas. No energy yet (runRealModelsSession adds it).
 */
export function buildRealDocument(out: RealRaceOutput, ctx: RealDocumentContext): ResultDocument {
  const replicas = out.replicas?.workloads ?? [];
  const workloads: Workload[] = [];
  for (const race of [out.webgpu, out.wasm]) {
    if (!race) continue;
    workloads.push(realWorkload(race.specialized, out.models.classifier, race, out.taskSet));
    workloads.push(realWorkload(race.general, out.models.generator, race, out.taskSet));
  }
  workloads.push(...replicas);
  const engineOut: EngineRunOutput = {
    adapter: out.replicas?.adapter ?? ctx.adapter,
    // The replicas' timing source when they ran (the energy estimate reads their workloads); real models are always wall-clock.
    timing: out.replicas?.timing ?? ('wall-clock' satisfies TimingSource),
    workloads,
    // Replicas asked for but failed: the real race stands, and the document says the comparison is missing.
    flags: out.replicaError !== undefined ? ['replica-failed'] : out.replicas?.flags ?? [],
    // The kernel choices the replicas ran with (onnxruntime's kernels, which run the real models, are
    // not ours to tune): absent when the replicas did not run, so the field never claims a tuning.
    ...(out.replicas?.tuning ? { tuning: out.replicas.tuning } : {}),
  };
  return buildDocument(engineOut, { preset: ctx.preset, suiteVersion: SUITE_VERSIONS[ctx.preset] }, ctx.ua ?? (typeof navigator === 'undefined' ? '' : navigator.userAgent));
}

/**
 * The address a relative model base is resolved against, for the worker and for the page's own
 * size check alike: the page's full address (`location.href`), so `models/` under an app served
 * from a sub-path resolves where the page is, not at the origin's root. Undefined outside a page.
 */
export function pageUrl(): string | undefined {
  return typeof location === 'undefined' ? undefined : location.href;
}

/** The LabApi methods the real-models session uses (the worker, or an in-process object). */
export type RealLabHost = Pick<LabApi, 'capabilities' | 'runRealModels' | 'computeEnergy'>;

/**
 * Runs the race in the worker and returns the document (with its energy estimate, made as for the
 * synthetic race; a failed estimate flags `energy-unavailable` and keeps the measurement) and the
 * worker's output (raw replies, per-item answers: local only).
 */
export async function runRealModelsSession(req: RealSessionRequest, lab: RealLabHost = getLab()): Promise<{ doc: ResultDocument; output: RealRaceOutput }> {
  const { country, onProgress, agreement, ...race } = req;
  const origin = pageUrl();
  // Before the worker is asked anything: a base on another host needs the visitor's agreement to it.
  const agreedOrigin = agreedOriginFor(race.base, origin, agreement);
  const output = await lab.runRealModels(
    { ...race, ...(origin !== undefined ? { origin } : {}), ...(agreedOrigin !== null ? { agreedOrigin } : {}) },
    Comlink.proxy((p: RealRaceProgress) => onProgress?.(p)),
  );
  // The race ran on WebGPU, so an adapter was there; the replicas report the one that ran them.
  const caps = output.replicas ? null : await lab.capabilities();
  if (caps && !caps.available) throw new Error(`WebGPU went away after the race: ${caps.message}`);
  const adapter = output.replicas?.adapter ?? caps?.adapter;
  if (!adapter) throw new Error('No adapter to record.');
  const doc = buildRealDocument(output, { preset: req.preset ?? 'quick', adapter });
  try {
    const energy = await estimateEnergy(doc, country, lab);
    if (energy) doc.energy = energy;
  } catch (e) {
    console.warn('Energy estimate failed:', e);
    doc.flags = [...(doc.flags ?? []), 'energy-unavailable'];
  }
  return { doc, output };
}

/**
 * The headless `lab --models real` (scripts/lab.ts) calls this in the page: the session with its
 * progress forwarded to `report` (a function the CLI exposes), and the document and output back
 * as plain data.
 */
export async function runRealModelsHeadless(
  req: Omit<RealSessionRequest, 'onProgress'> & { report?: (p: RealRaceProgress) => unknown },
): Promise<{ doc: ResultDocument; output: RealRaceOutput }> {
  const { report, ...rest } = req;
  return runRealModelsSession({ ...rest, ...(report ? { onProgress: (p: RealRaceProgress) => void report(p) } : {}) });
}
