/**
 * The one typed interface between the page and the lab worker (comlink). The UI never touches
 * WebGPU: it calls these methods and renders what comes back.
 */
import type { Capabilities } from '../engine/device.ts';
import type { EngineRunOutput, MeasurementPlan, Progress } from '../engine/run-plan.ts';
import type { EnergySection, ResultDocument, Workload } from '../shared/result.ts';
import type { OnnxGraphInfo, OnnxMeasureOptions, OnnxProgress } from '../shared/onnx.ts';
import type { EnergyContext, WorkloadEnergy } from '../energy/index.ts';
import type { TaskLanguage } from '../shared/realmodels/task-set.ts';
import type { OwnSentenceAnswers, RealRaceOutput, RealRaceProgress, RealRaceRequest } from './realmodels-api.ts';

export type { Capabilities, EngineRunOutput, MeasurementPlan, Progress };

export interface LabApi {
  /** What the browser exposes (adapter, features, limits) without keeping a device. */
  capabilities(): Promise<Capabilities>;
  /** Runs a plan; progress arrives through the (comlink-proxied) callback. */
  run(plan: MeasurementPlan, onProgress: (p: Progress) => void): Promise<EngineRunOutput>;
  /** Cancels the current run at the next sample boundary. */
  cancel(): void;
  /** The page forwards visibilitychange: workers do not get it. */
  setHidden(hidden: boolean): void;
  /**
   * Step-through (the classroom demo): while on, a run's walkthrough holds after each phase
   * (encode; prefill, then each decode step) with a `held` progress, until `nextStep()`. Kept
   * for later runs until turned off; turning it off lets a held run go on.
   */
  setStepThrough(on: boolean): void;
  /** Lets a run held by step-through go on to its next phase. */
  nextStep(): void;
  /** Monte Carlo energy estimate, off the main thread. */
  computeEnergy(doc: ResultDocument, ctx: EnergyContext, opts?: { draws?: number; seed?: number }): Promise<EnergySection>;
  /** The same Monte Carlo for one workload (a measured ONNX model), off the main thread. */
  computeWorkloadEnergy(w: Workload, ctx: EnergyContext, opts?: { draws?: number; seed?: number }): Promise<WorkloadEnergy>;
  /**
   * Measures a user ONNX model through onnxruntime-web (`#/model`). The page transfers the bytes
   * (`Comlink.transfer(bytes, [bytes.buffer])`); `cancel()` stops it between samples.
   */
  measureOnnx(bytes: Uint8Array, opts: OnnxMeasureOptions, onProgress: (p: OnnxProgress) => void): Promise<Workload>;
  /** Parses an ONNX file's graph (inputs, outputs, opset, dims) off the main thread. */
  inspectOnnx(bytes: Uint8Array): Promise<OnnxGraphInfo>;
  /**
   * Battery calibration: keeps the GPU busy (in the worker, on its own device) until
   * `stopGpuLoad()`, then resolves. Rejects with RunInProgressError while a measurement runs (and
   * a run is refused while the load runs), with GpuLoadUnavailableError without WebGPU.
   */
  startGpuLoad(): Promise<void>;
  /** Stops the load started by `startGpuLoad()` (no-op when none runs). */
  stopGpuLoad(): void;
  /**
   * The real-models race (src/lab/realmodels-api.ts): loads the pair (cache or network, with
   * progress), runs it on WebGPU, the WASM reference and the synthetic replicas as asked. The
   * sessions stay loaded for `answerSentence`; `cancel()` stops it between queries or downloads.
   */
  runRealModels(req: RealRaceRequest, onProgress: (p: RealRaceProgress) => void): Promise<RealRaceOutput>;
  /**
   * Drops the bytes of interrupted model downloads this worker keeps for a resume ("forget
   * downloaded models": the page clears Cache Storage itself, but these live in the worker's memory).
   */
  forgetPartialDownloads(): void;
  /** "Type your own sentence": both models of the last race answer one text (rejects when none is loaded). */
  answerSentence(text: string, language: TaskLanguage): Promise<OwnSentenceAnswers>;
  /** Test and demo hook: destroys the current device as a driver reset would. */
  loseDevice(): Promise<boolean>;
}
