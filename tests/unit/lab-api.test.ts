/**
 * The lab worker's API with fake engine functions: one activity at a time (run, ONNX
 * measurement, calibration GPU load), a second one refused with the named RunInProgressError,
 * and the worker free again once the first one ends, whether it succeeded or failed.
 */
import { describe, expect, test } from 'vitest';
import { createLabApi, type LabEngine } from '../../workers/lab-api.ts';
import { RunInProgressError } from '../../src/engine/errors.ts';
import { errorName } from '../../src/shared/errors.ts';
import type { EngineRunOutput, MeasurementPlan } from '../../src/engine/run-plan.ts';
import type { RunControl } from '../../src/engine/timing.ts';
import type { Workload } from '../../src/shared/result.ts';

const output = { adapter: {}, timing: 'wall-clock', workloads: [], flags: [] } as unknown as EngineRunOutput;
const plan = {} as MeasurementPlan;

/** A promise with its resolve/reject outside, to hold a fake run open. */
function gate<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function fakeEngine(over: Partial<LabEngine> = {}): LabEngine {
  return {
    probeCapabilities: () => Promise.reject(new Error('not used')),
    runPlan: () => Promise.resolve(output),
    computeEnergy: () => Promise.reject(new Error('not used')),
    computeWorkloadEnergy: () => Promise.reject(new Error('not used')),
    inspectOnnx: () => Promise.reject(new Error('not used')),
    measureOnnx: () => Promise.resolve({} as Workload),
    runGpuLoad: () => Promise.resolve(),
    ...over,
  };
}

describe('lab worker API: one activity at a time', () => {
  test('a second run while one is in progress is refused with RunInProgressError, and the first completes', async () => {
    const open = gate<EngineRunOutput>();
    let calls = 0;
    const api = createLabApi(fakeEngine({ runPlan: () => (calls++, open.promise) }));
    const first = api.run(plan, () => {});
    const second = api.run(plan, () => {});
    await expect(second).rejects.toBeInstanceOf(RunInProgressError);
    const err = await second.catch((e: unknown) => e);
    expect(errorName(err)).toBe('RunInProgressError');
    expect((err as Error).message).toBe('A run is already in progress.');
    expect(calls).toBe(1);
    open.resolve(output);
    await expect(first).resolves.toBe(output);
    // Free again: a third run starts.
    await expect(api.run(plan, () => {})).resolves.toBe(output);
    expect(calls).toBe(2);
  });

  test('a failed run frees the worker', async () => {
    const open = gate<EngineRunOutput>();
    const api = createLabApi(fakeEngine({ runPlan: () => open.promise }));
    const first = api.run(plan, () => {});
    open.reject(new Error('boom'));
    await expect(first).rejects.toThrow('boom');
    await expect(api.measureOnnx(new Uint8Array(), {} as never, () => {})).resolves.toEqual({});
  });

  test('an ONNX measurement and a run exclude each other; cancel reaches the active control', async () => {
    const open = gate<Workload>();
    let seen: RunControl | null = null;
    const api = createLabApi(fakeEngine({ measureOnnx: (_b, _o, _p, control) => ((seen = control), open.promise) }));
    const onnx = api.measureOnnx(new Uint8Array(), {} as never, () => {});
    await expect(api.run(plan, () => {})).rejects.toBeInstanceOf(RunInProgressError);
    api.cancel();
    expect(seen!.cancelled).toBe(true);
    open.resolve({} as Workload);
    await onnx;
  });

  test('the GPU load runs until stopped, and refuses a run meanwhile', async () => {
    let signal: AbortSignal | null = null;
    const api = createLabApi(
      fakeEngine({
        runGpuLoad: (s) =>
          new Promise<void>((resolve) => {
            signal = s;
            s.addEventListener('abort', () => resolve());
          }),
      }),
    );
    const load = api.startGpuLoad();
    await expect(api.run(plan, () => {})).rejects.toBeInstanceOf(RunInProgressError);
    await expect(api.startGpuLoad()).rejects.toBeInstanceOf(RunInProgressError);
    api.stopGpuLoad();
    await load;
    expect(signal!.aborted).toBe(true);
    await expect(api.run(plan, () => {})).resolves.toBe(output);
  });

  test('after stop, the worker stays claimed until the load has really ended (its device is still busy)', async () => {
    const ending = gate<void>();
    const api = createLabApi(fakeEngine({ runGpuLoad: (s) => new Promise<void>((resolve) => s.addEventListener('abort', () => void ending.promise.then(resolve))) }));
    const load = api.startGpuLoad();
    api.stopGpuLoad();
    // The load was asked to stop but is still waiting on its last submission.
    await expect(api.run(plan, () => {})).rejects.toBeInstanceOf(RunInProgressError);
    ending.resolve();
    await load;
    await expect(api.run(plan, () => {})).resolves.toBe(output);
  });

  test('the GPU load is refused while a run is in progress', async () => {
    const open = gate<EngineRunOutput>();
    const api = createLabApi(fakeEngine({ runPlan: () => open.promise }));
    const run = api.run(plan, () => {});
    await expect(api.startGpuLoad()).rejects.toBeInstanceOf(RunInProgressError);
    open.resolve(output);
    await run;
  });
});

describe('lab worker API: step-through', () => {
  test('a run started with step-through on holds after each phase until nextStep; off lets it go on', async () => {
    const passed: string[] = [];
    const api = createLabApi(
      fakeEngine({
        // A fake walkthrough of three phases, holding after each as the engine does.
        runPlan: async (_plan, control) => {
          for (const phase of ['prefill', 'decode 2', 'decode 3']) {
            await control.holdStep();
            passed.push(phase);
          }
          return output;
        },
      }),
    );
    api.setStepThrough(true);
    const run = api.run(plan, () => {});
    const settle = () => new Promise((r) => setTimeout(r, 0));
    await settle();
    expect(passed).toEqual([]);
    api.nextStep();
    await settle();
    expect(passed).toEqual(['prefill']);
    api.setStepThrough(false);
    await expect(run).resolves.toBe(output);
    expect(passed).toEqual(['prefill', 'decode 2', 'decode 3']);
    // Off is kept for the next run: it does not hold.
    passed.length = 0;
    await expect(api.run(plan, () => {})).resolves.toBe(output);
    expect(passed).toHaveLength(3);
  });

  test('cancel while held ends the run with RunCancelledError and frees the worker', async () => {
    const api = createLabApi(
      fakeEngine({
        runPlan: async (_plan, control) => {
          await control.holdStep();
          return output;
        },
      }),
    );
    api.setStepThrough(true);
    const run = api.run(plan, () => {});
    await new Promise((r) => setTimeout(r, 0));
    api.cancel();
    const err = await run.catch((e: unknown) => e);
    expect(errorName(err)).toBe('RunCancelledError');
    api.setStepThrough(false);
    await expect(api.run(plan, () => {})).resolves.toBe(output);
  });
});
