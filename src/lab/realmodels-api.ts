/**
 * The real-models race as the page and the lab CLI ask the worker for it: which models, from
 * where, how many items, and what comes back. Types only: `LabApi.runRealModels` and
 * `LabApi.answerSentence` (src/lab/api.ts) take and give these; the worker implements them in
 * workers/, and src/lab/realmodels-session.ts turns the output into a ResultDocument.
 *
 * The worker loads the files itself (src/lab/model-download.ts, with the Cache Storage cache,
 * which workers share with the page), so 500 MB never cross the postMessage boundary.
 */
import type { RaceProgress, RealRaceResult, OwnSentenceAnswers } from '../engine/realmodels/race.ts';
import type { EngineRunOutput } from '../engine/run-plan.ts';
import type { PresetName } from '../shared/presets.ts';
import type { TaskLanguage, TaskSetId } from '../shared/realmodels/task-set.ts';
import type { BaseAgreement } from './base-agreement.ts';
import type { ModelProgress } from './model-download.ts';
import type { ModelRef, ModelTask } from './model-files.ts';

export type { OwnSentenceAnswers, RealRaceResult };

export interface RealRaceRequest {
  /** The pair: `classifier` answers for the specialized role, `generator` for the general one. */
  models: { classifier: ModelRef; generator: ModelRef };
  /** Where the files are: the hub when absent, else `<base><id>/<path>` (our `/models/`). */
  base?: string;
  /** The page's origin, to resolve a relative base in the worker. */
  origin?: string;
  /**
   * The one origin other than the page's and the hub's the visitor agreed to load from: the
   * worker refuses a request to any other (src/lab/base-agreement.ts). Filled by the session from
   * a checked `BaseAgreement`, never by a view.
   */
  agreedOrigin?: string;
  language: TaskLanguage;
  /** How many task items (the first n of the set, balanced); the whole set when absent. */
  items?: number;
  /** The general model's reply budget (the race's default when absent). */
  maxNewTokens?: number;
  /** Run the WASM reference on the first items, for the agreement rate. */
  reference: boolean;
  /** Run the synthetic replicas (our engine, random weights) at the same shapes and token counts. */
  replicas: boolean;
  /**
   * The synthetic race preset whose measurement settings the worker takes from its plan (lab/plan.ts
   * `buildPlan`): the real race's warm-up queries and pre-heat, and the replicas' warm-up, samples,
   * batches and pre-heat; the document records it as its suite. `quick` when absent. There is no
   * per-request warm-up or pre-heat, so the page, the demo and the CLI time the same way.
   */
  preset?: PresetName;
}

/** What the worker knows of a model file it ran (the document's `real.revision`/`sha256`). */
export interface LoadedModelInfo {
  ref: ModelRef;
  /** SHA-256 of the ONNX file run, 64 lower-case hex digits. */
  sha256: string;
  /**
   * The commit the hub resolved the revision to: the `x-repo-commit` header of config.json's response
   * (the LFS files come from a CDN without it), when it said; always null for a custom model.
   */
  revision: string | null;
  /** Bytes of all the model's files, and how many came over the network in this load. */
  bytes: number;
  /** Bytes of the ONNX file run (the workload's `config.onnxBytes`). */
  onnxBytes: number;
  downloadedBytes: number;
  notCached: string[];
  /** The architecture read from config.json, for the synthetic replica. */
  config: Record<string, unknown>;
}

export type RealRaceProgress =
  | { phase: 'download'; model: ModelTask; progress: ModelProgress }
  | { phase: 'load'; model: ModelTask; ep: 'webgpu' | 'wasm' }
  | { phase: 'race'; ep: 'webgpu' | 'wasm'; progress: RaceProgress }
  | { phase: 'replica'; role: 'general' | 'specialized'; done: number; of: number };

export interface RealRaceOutput {
  models: { classifier: LoadedModelInfo; generator: LoadedModelInfo };
  /** The task set the items came from (the document's `real.taskSet`). */
  taskSet: { id: TaskSetId; version: number };
  /** The race on WebGPU (the measured one). Items keep ids and raw replies: local only. */
  webgpu: RealRaceResult;
  /** The WASM reference on the first items, when asked for. */
  wasm: RealRaceResult | null;
  /** The synthetic replicas' run (workloads `ROLE:MODEL` of kind `model`), when asked for and it succeeded. */
  replicas: EngineRunOutput | null;
  /**
   * Why the replicas failed (error name and message, local only), when they were asked for and did
   * not finish: the real race is kept and the document flags `replica-failed`. A cancel during the
   * replicas cancels the whole run instead.
   */
  replicaError?: string;
}

/**
 * What a view asks of src/lab/realmodels-session.ts `runRealModelsSession(req)`: the race, then the
 * ResultDocument (real-model workloads, the replicas, the energy estimate with per-correct
 * figures). The page's origin and the worker are filled in there.
 */
export interface RealSessionRequest extends Omit<RealRaceRequest, 'origin' | 'agreedOrigin'> {
  /** The visitor's agreement to the base's origin, when it is neither the page's nor the hub's (BaseNotAgreedError without). */
  agreement?: BaseAgreement;
  /** Grid country for the energy estimate (ISO alpha-3), or null for the default. */
  country?: string | null;
  onProgress?: (p: RealRaceProgress) => void;
}
