/**
 * runLab on the page side, with the worker replaced: an energy estimate that fails must keep the
 * measurement and flag it, never lose the run.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { EngineRunOutput } from '../../../src/engine/run-plan.ts';
import type { EnergySection } from '../../../src/shared/result.ts';
import { sampleResult } from '../../../src/shared/sample-result.ts';

const lab = vi.hoisted(() => ({
  capabilities: vi.fn(),
  run: vi.fn(),
  computeEnergy: vi.fn(),
}));

vi.mock('../../../src/lab/client.ts', () => ({
  getLab: () => lab,
  lastWorkerError: () => null,
  Comlink: { proxy: <T>(f: T) => f },
}));

const { runLab } = await import('../../../src/lab/session.ts');

function engineOutput(): EngineRunOutput {
  const doc = sampleResult();
  return { adapter: doc.environment.adapter, timing: 'gpu-timestamp', workloads: doc.workloads, flags: [] };
}

beforeEach(() => {
  vi.stubGlobal('navigator', { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0 Safari/537.36' });
  lab.capabilities.mockResolvedValue({ available: false, reason: 'no-adapter', message: 'none' });
  lab.run.mockResolvedValue(engineOutput());
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.clearAllMocks();
});

describe('runLab and the energy estimate', () => {
  test('energy failed: the measurement is kept and flagged "energy-unavailable"', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    lab.computeEnergy.mockRejectedValue(Object.assign(new Error('worker crashed'), { name: 'InvalidTimingError' }));
    const doc = await runLab({ preset: 'ci', modelsOnly: true });
    expect(doc.workloads).toEqual(engineOutput().workloads);
    expect(doc.suite.preset).toBe('ci');
    expect(doc.energy).toBeUndefined();
    expect(doc.flags).toEqual(['energy-unavailable']);
    expect(warn).toHaveBeenCalledWith('Energy estimate failed:', expect.objectContaining({ message: 'worker crashed' }));
    warn.mockRestore();
  });

  test('energy failed after the engine flagged the run: both flags are kept, in order', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    lab.run.mockResolvedValue({ ...engineOutput(), flags: ['tab-hidden'] });
    lab.computeEnergy.mockRejectedValue(new Error('no'));
    const doc = await runLab({ preset: 'ci' });
    expect(doc.flags).toEqual(['tab-hidden', 'energy-unavailable']);
  });

  test('energy succeeds: the section is attached and no flag is added', async () => {
    const section = { ratio: { p5: 1, p50: 2, p95: 3 } } as unknown as EnergySection;
    lab.computeEnergy.mockResolvedValue(section);
    const doc = await runLab({ preset: 'ci', country: 'FRA' });
    expect(doc.energy).toBe(section);
    expect(doc.flags).toBeUndefined();
    // The grid country chosen in the address reaches the energy context.
    expect(lab.computeEnergy.mock.calls[0]?.[1]).toMatchObject({ grid: expect.objectContaining({ country: 'FRA' }) as unknown });
  });

  test('a bad custom address fails before the worker runs anything, naming the field', async () => {
    await expect(runLab({ preset: 'custom', custom: new URLSearchParams('preset=custom&g.layers=zero') })).rejects.toMatchObject({ name: 'CustomSuiteError', message: expect.stringContaining('g.layers') as unknown });
    expect(lab.run).not.toHaveBeenCalled();
  });
});
