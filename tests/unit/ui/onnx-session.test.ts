/**
 * The `#/model` session with the worker replaced: runs per execution provider, cancellation, the
 * energy estimate kept apart from the measurement, and no stale estimate landing on a newer run.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { WorkloadEnergy } from '../../../src/energy/index.ts';
import type { OnnxGraphInfo } from '../../../src/shared/onnx.ts';
import type { Workload } from '../../../src/shared/result.ts';
import { sampleResult } from '../../../src/shared/sample-result.ts';

const lab = vi.hoisted(() => ({
  inspectOnnx: vi.fn(),
  measureOnnx: vi.fn(),
  computeWorkloadEnergy: vi.fn(),
  cancel: vi.fn(),
}));

vi.mock('../../../src/lab/client.ts', () => ({
  getLab: () => lab,
  lastWorkerError: () => null,
  Comlink: { proxy: <T>(f: T) => f, transfer: <T>(v: T) => v },
}));

const session = await import('../../../src/lab/onnx-session.ts');

const info: OnnxGraphInfo = {
  inputs: [{ name: 'input_ids', elemType: 7, type: 'int64', dims: [1, 8] }],
  outputs: [],
  opset: 17,
  producer: 'test',
  nodes: 1,
  ops: { MatMul: 1 },
  initializerBytes: 0,
  externalData: false,
} as unknown as OnnxGraphInfo;

const workload = (): Workload => sampleResult().workloads[0]!;
const energyOf = (joules: number) => ({ joules: { p5: joules, p50: joules, p95: joules } }) as unknown as WorkloadEnergy;
const file = () => new File([new Uint8Array([8, 1])], 'tiny.onnx');

beforeEach(() => {
  lab.inspectOnnx.mockResolvedValue(info);
  lab.measureOnnx.mockResolvedValue(workload());
  session.epChoice.value = 'wasm';
});
afterEach(() => vi.clearAllMocks());

describe('#/model session', () => {
  test('a loaded model runs on the chosen provider, then gets its energy estimate from the worker', async () => {
    lab.computeWorkloadEnergy.mockResolvedValue(energyOf(0.25));
    await session.loadFile(file());
    expect(session.source.value.kind).toBe('ready');
    await session.runModel(null);
    expect(lab.measureOnnx).toHaveBeenCalledTimes(1);
    expect((lab.measureOnnx.mock.calls[0] as unknown[])[1]).toMatchObject({ ep: 'wasm', inputShapes: { input_ids: [1, 8] } });
    expect(session.status.value.kind).toBe('done');
    expect(session.results.value.wasm?.kind).toBe('ok');
    const e = session.energy.value;
    expect(e.kind === 'ready' ? e.rows.map((r) => [r.ep, r.e.joules.p50]) : e).toEqual([['wasm', 0.25]]);
  });

  test('cancelled in the worker: the status says cancelled and no estimate is made', async () => {
    lab.measureOnnx.mockRejectedValue(Object.assign(new Error('The run was cancelled.'), { name: 'RunCancelledError' }));
    await session.loadFile(file());
    await session.runModel(null);
    expect(session.status.value.kind).toBe('cancelled');
    expect(lab.computeWorkloadEnergy).not.toHaveBeenCalled();
  });

  test('an estimate that fails keeps the measurement and says why', async () => {
    lab.computeWorkloadEnergy.mockRejectedValue(new Error('no profile'));
    await session.loadFile(file());
    await session.runModel(null);
    expect(session.results.value.wasm?.kind).toBe('ok');
    expect(session.energy.value).toEqual({ kind: 'error', message: 'no profile' });
  });

  test('an estimate still pending when another model is loaded never lands on it', async () => {
    let finish: (e: WorkloadEnergy) => void = () => {};
    lab.computeWorkloadEnergy.mockReturnValue(new Promise<WorkloadEnergy>((resolve) => (finish = resolve)));
    await session.loadFile(file());
    const run = session.runModel(null);
    await vi.waitFor(() => expect(lab.computeWorkloadEnergy).toHaveBeenCalled());
    expect(session.energy.value.kind).toBe('pending');
    await session.loadFile(file()); // a new model: its results start empty
    finish(energyOf(9));
    await run;
    expect(session.energy.value).toEqual({ kind: 'none' });
    expect(session.results.value).toEqual({});
  });
});
