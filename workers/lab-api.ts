/**
 * The lab worker's API object, separate from the worker entry so that its guards can be tested
 * with fake engine functions. One activity at a time: a measurement run, an ONNX measurement,
 * the real-models race or the calibration GPU load; a second one is refused with RunInProgressError.
 */
import type { AcquiredDevice, Capabilities } from '../src/engine/device.ts';
import { RunInProgressError } from '../src/engine/errors.ts';
import type { EngineRunOutput, MeasurementPlan, Progress } from '../src/engine/run-plan.ts';
import { RunControl } from '../src/engine/timing.ts';
import type { LabApi } from '../src/lab/api.ts';
import { DOWNLOAD_PARTIALS } from '../src/lab/model-cache.ts';
import { NoModelsLoadedError } from './realmodels-errors.ts';
import type { RealModelsRunner } from './realmodels.ts';

/** A LabApi method as the engine may implement it: synchronously or not. */
type MaybeAsync<F> = F extends (...args: infer A) => Promise<infer R> ? (...args: A) => R | Promise<R> : never;

/** The engine functions the API calls (the worker passes the real ones, tests pass fakes). */
export interface LabEngine {
  probeCapabilities(): Promise<Capabilities>;
  runPlan(plan: MeasurementPlan, control: RunControl, onProgress: (p: Progress) => void, hooks: { onDevice?: (d: AcquiredDevice) => void }): Promise<EngineRunOutput>;
  computeEnergy: MaybeAsync<LabApi['computeEnergy']>;
  computeWorkloadEnergy: MaybeAsync<LabApi['computeWorkloadEnergy']>;
  inspectOnnx: MaybeAsync<LabApi['inspectOnnx']>;
  measureOnnx(bytes: Uint8Array, opts: Parameters<LabApi['measureOnnx']>[1], onProgress: Parameters<LabApi['measureOnnx']>[2], control: RunControl): ReturnType<LabApi['measureOnnx']>;
  runGpuLoad(signal: AbortSignal): Promise<void>;
  /** The real-models race (workers/realmodels.ts); absent, both its methods are refused by name. */
  realModels?: RealModelsRunner;
}

export function createLabApi(engine: LabEngine): LabApi {
  let control: RunControl | null = null;
  /** Aborts the real-models race's downloads and queries (the control stops its replicas). */
  let abort: AbortController | null = null;
  let load: AbortController | null = null;
  let current: AcquiredDevice | null = null;
  let hidden = false;
  let stepping = false;

  /** Claims the worker for one measurement; throws when another activity holds it. */
  const claim = (): RunControl => {
    if (control || load) throw new RunInProgressError();
    control = new RunControl();
    control.setHidden(hidden);
    control.setStepping(stepping);
    return control;
  };

  return {
    capabilities: () => engine.probeCapabilities(),
    async run(plan, onProgress) {
      const c = claim();
      try {
        return await engine.runPlan(plan, c, (p) => onProgress(p), { onDevice: (d) => (current = d) });
      } finally {
        control = null;
        current = null;
      }
    },
    cancel() {
      control?.cancel();
      abort?.abort();
    },
    setHidden(h) {
      hidden = h;
      control?.setHidden(h);
    },
    setStepThrough(on) {
      stepping = on;
      control?.setStepping(on);
    },
    nextStep() {
      control?.nextStep();
    },
    async computeEnergy(doc, ctx, opts) {
      return engine.computeEnergy(doc, ctx, opts);
    },
    async computeWorkloadEnergy(w, ctx, opts) {
      return engine.computeWorkloadEnergy(w, ctx, opts);
    },
    async inspectOnnx(bytes) {
      return engine.inspectOnnx(bytes);
    },
    async measureOnnx(bytes, opts, onProgress) {
      const c = claim();
      try {
        return await engine.measureOnnx(bytes, opts, (p) => onProgress(p), c);
      } finally {
        control = null;
      }
    },
    async startGpuLoad() {
      if (control || load) throw new RunInProgressError();
      const ac = new AbortController();
      load = ac;
      try {
        await engine.runGpuLoad(ac.signal);
      } finally {
        if (load === ac) load = null;
      }
    },
    stopGpuLoad() {
      // Only ask: the load still holds its device until its last submission is done, and
      // startGpuLoad's `finally` frees the worker then, so a run cannot start on a busy GPU.
      load?.abort();
    },
    async runRealModels(req, onProgress) {
      if (!engine.realModels) throw new NoModelsLoadedError();
      const c = claim();
      const ac = new AbortController();
      abort = ac;
      try {
        return await engine.realModels.run(req, { signal: ac.signal, control: c, onDevice: (d) => (current = d) }, (p) => onProgress(p));
      } finally {
        control = null;
        abort = null;
        current = null;
      }
    },
    forgetPartialDownloads() {
      DOWNLOAD_PARTIALS.clear();
    },
    async answerSentence(text, language) {
      // One query each on the kept sessions: not while a race (which replaces them) or another activity runs.
      // It holds the worker while it answers, so a race, a run or the GPU load cannot start under
      // it and release the sessions it is using.
      if (!engine.realModels) throw new NoModelsLoadedError();
      claim();
      try {
        return await engine.realModels.answer(text, language);
      } finally {
        control = null;
      }
    },
    async loseDevice() {
      if (!current) return false;
      current.device.destroy();
      return true;
    },
  };
}
