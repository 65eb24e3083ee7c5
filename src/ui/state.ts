/** App state as signals: WebGPU capabilities, the current run and its live progress. */
import { signal } from '@preact/signals';
import type { Capabilities } from '../engine/device.ts';
import type { MeasurementPlan, Progress } from '../engine/run-plan.ts';
import type { AdapterSummary, PresetName, ResultDocument, TimingSource } from '../shared/result.ts';
import { getLab, lastWorkerError } from '../lab/client.ts';
import { runLab } from '../lab/session.ts';
import { tuneFromParams } from '../lab/page-params.ts';
import { saveRun } from '../results/history.ts';
import { t } from '../i18n/index.ts';
import type { SuiteNote } from '../engine/models/presets.ts';
import { errorName } from '../shared/errors.ts';
import { rememberSensorProfile } from './energy/sensor-store.ts';

export type CapsState = { status: 'loading' } | { status: 'ready'; caps: Capabilities } | { status: 'error'; message: string };

export interface WorkloadProgress {
  id: string;
  kind: 'micro' | 'model';
  role?: 'general' | 'specialized';
  status: 'pending' | 'running' | 'done';
  phase: string;
  step: number;
  steps: number;
  stepLabel: string;
  sample: number;
  samples: number;
  samplesMs: number[];
}

export type RunState =
  | { kind: 'idle' }
  | { kind: 'running'; preset: PresetName; startedAt: number }
  | { kind: 'done'; doc: ResultDocument }
  | { kind: 'cancelled' }
  | { kind: 'error'; name: string; message: string };

export const capsState = signal<CapsState>({ status: 'loading' });
export const runState = signal<RunState>({ kind: 'idle' });
/** What the real-models race says in the app's live region (App.tsx), set by its views, which load on demand. */
export const realAnnouncement = signal('');
export const progress = signal<WorkloadProgress[]>([]);
export const planNotes = signal<SuiteNote[]>([]);
export const paused = signal(false);
/** Step-through: the phase the run is held after, waiting for the demo's "next" (null when not held). */
export const heldStep = signal<Extract<Progress, { type: 'held' }> | null>(null);
export const device = signal<{ adapter: AdapterSummary; timing: TimingSource } | null>(null);
export const lastDoc = signal<ResultDocument | null>(null);
export const lastLocalId = signal<string | null>(null);
/** Why the last finished run is not in the local history (null when it was saved). */
export const historySaveError = signal<string | null>(null);

export async function loadCapabilities(): Promise<void> {
  capsState.value = { status: 'loading' };
  try {
    if (typeof Worker === 'undefined') throw new Error('This browser cannot run Web Workers.');
    const caps = await Promise.race([
      getLab().capabilities(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(lastWorkerError() ?? 'The lab worker did not answer.')), 15_000)),
    ]);
    capsState.value = { status: 'ready', caps };
  } catch (e) {
    capsState.value = { status: 'error', message: (e as Error).message };
  }
}

function initialProgress(plan: MeasurementPlan): WorkloadProgress[] {
  const base = { status: 'pending' as const, phase: '', step: 0, steps: 0, stepLabel: '', sample: 0, samples: 0, samplesMs: [] };
  return [
    ...plan.micro.map((m) => ({ ...base, id: m.id, kind: 'micro' as const, samples: plan.samples })),
    ...plan.models.map((m) => ({ ...base, id: m.id, kind: 'model' as const, role: m.role, samples: plan.modelSamples })),
  ];
}

/** Localized text for a model step: prefill / encode / token i of N. */
function stepText(p: Extract<Progress, { type: 'step' }>): string {
  switch (p.phase) {
    case 'encode':
      return t('run.stepEncode');
    case 'prefill':
      return p.token ? t('run.stepPrefill', { total: p.token.total }) : t('run.stepPrefill', { total: '?' });
    case 'decode':
      return p.token ? t('run.stepToken', { index: p.token.index, total: p.token.total }) : p.label;
    default: {
      const never: never = p.phase;
      return String(never);
    }
  }
}

function update(id: string, patch: (w: WorkloadProgress) => Partial<WorkloadProgress>): void {
  progress.value = progress.value.map((w) => (w.id === id ? { ...w, ...patch(w) } : w));
}

export function onProgress(p: Progress): void {
  switch (p.type) {
    case 'device':
      device.value = { adapter: p.adapter, timing: p.timing };
      break;
    case 'workload-start':
      paused.value = false;
      update(p.id, () => ({ status: 'running', ...(p.role ? { role: p.role } : {}) }));
      break;
    case 'phase':
      heldStep.value = null;
      update(p.id, () => ({ phase: p.phase }));
      break;
    case 'step':
      heldStep.value = null;
      update(p.id, () => ({ step: p.step, steps: p.steps, stepLabel: stepText(p) }));
      break;
    case 'held':
      heldStep.value = p;
      break;
    case 'sample':
      paused.value = false;
      update(p.id, (w) => ({ sample: p.sample + 1, samples: p.samples, samplesMs: [...w.samplesMs, p.ms] }));
      break;
    case 'paused':
      paused.value = true;
      break;
    case 'workload-done':
      update(p.id, () => ({ status: 'done' }));
      break;
    default: {
      const never: never = p;
      throw new Error(`unknown progress ${JSON.stringify(never)}`);
    }
  }
}

/**
 * Saves a finished run in the local history. A storage failure must not lose the result on
 * screen, nor pass unnoticed: the run view shows `historySaveError` next to the result.
 */
async function keep(doc: ResultDocument): Promise<void> {
  historySaveError.value = null;
  try {
    lastLocalId.value = await saveRun(doc);
  } catch (e) {
    lastLocalId.value = null;
    historySaveError.value = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
}

export async function startRun(opts: { preset: PresetName; custom?: URLSearchParams; modelsOnly?: boolean; country?: string | null }): Promise<ResultDocument | null> {
  if (runState.value.kind === 'running') return null;
  runState.value = { kind: 'running', preset: opts.preset, startedAt: performance.now() };
  progress.value = [];
  planNotes.value = [];
  paused.value = false;
  heldStep.value = null;
  try {
    const doc = await runLab({
      ...opts,
      tune: tuneFromParams(opts.custom),
      onPlan: (plan, notes) => {
        progress.value = initialProgress(plan);
        planNotes.value = notes;
      },
      onProgress,
    });
    // A run that measured watts leaves this adapter a sensor profile for later estimates.
    rememberSensorProfile(doc);
    lastDoc.value = doc;
    runState.value = { kind: 'done', doc };
    await keep(doc);
    return doc;
  } catch (e) {
    if (errorName(e) === 'RunCancelledError') runState.value = { kind: 'cancelled' };
    else {
      const err = e as Partial<Error> | null;
      runState.value = { kind: 'error', name: (typeof err?.name === 'string' && err.name) || 'Error', message: (typeof err?.message === 'string' && err.message) || String(e) };
    }
    return null;
  } finally {
    paused.value = false;
    heldStep.value = null;
  }
}

export function cancelRun(): void {
  if (runState.value.kind === 'running') void getLab().cancel();
}

/** Step-through (the demo): the worker holds each run after every phase while on. */
export function setStepThrough(on: boolean): void {
  void getLab().setStepThrough(on);
}

/** Lets a run held by step-through go on to its next phase. */
export function nextStep(): void {
  if (heldStep.value) void getLab().nextStep();
}
