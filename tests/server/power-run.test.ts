// Measured watts in a run, page and server together over real HTTP: the page's PowerRecording
// (src/lab/power.ts) against a local server whose fake `nvidia-smi` plays a known power trace,
// fed with the progress events a run emits; then runLab itself, with the worker replaced, for the
// failures that must leave the estimate as it was.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { startServer, type RunningServer } from '../../server/app.ts';
import type { EngineRunOutput, Progress } from '../../src/engine/run-plan.ts';
import type { EnergySection, ResultDocument, Role } from '../../src/shared/result.ts';
import { sampleResult } from '../../src/shared/sample-result.ts';
import { tempDir } from './helpers.ts';
import { installFakeNvidiaSmi } from './fake-nvidia-smi.ts';

const lab = vi.hoisted(() => ({ capabilities: vi.fn(), run: vi.fn(), computeEnergy: vi.fn() }));
vi.mock('../../src/lab/client.ts', () => ({ getLab: () => lab, lastWorkerError: () => null, Comlink: { proxy: <T>(f: T) => f } }));

const { measuredFrom, PowerRecording } = await import('../../src/lab/power.ts');
const { runLab } = await import('../../src/lab/session.ts');

const tmp = tempDir('power-run-');
const nvidia = installFakeNvidiaSmi(tmp.path);
/** The power trace the fake plays from its next start: one value per 100 ms period. */
const playTrace = (values: (number | string)[]) => nvidia.play(values);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let s: RunningServer;
beforeAll(async () => {
  playTrace([123.4]);
  const env = nvidia.env();
  // No sysfs sensors: the fixture root is empty.
  s = await startServer({ port: 0, dataDir: join(tmp.path, 'db'), log: false, power: { env, platform: 'linux', sysfsRoot: join(tmp.path, 'sys') } });
});
afterAll(async () => {
  await s.close();
  tmp.remove();
});

const doc = sampleResult(); // wall time per query: specialized 48 ms, general 360 ms
const ID: Record<Role, string> = { general: 'general:tiny-decoder', specialized: 'specialized:bert-tiny' };

/** The progress a run emits around one model, `loadMs` of timed queries after a short build. */
async function modelRun(emit: (p: Progress) => void, role: Role, loadMs: number): Promise<void> {
  const id = ID[role];
  emit({ type: 'workload-start', index: 0, total: 2, id, kind: 'model', role });
  emit({ type: 'phase', id, phase: 'build' });
  await sleep(100);
  emit({ type: 'phase', id, phase: 'measure' });
  emit({ type: 'sample', id, sample: 1, samples: 3, ms: 1 });
  await sleep(loadMs);
  emit({ type: 'phase', id, phase: 'profile' });
  await sleep(50);
  emit({ type: 'workload-done', id, workload: doc.workloads.find((w) => w.id === id)! });
}

/** Micro workloads are not marked. */
function microRun(emit: (p: Progress) => void): void {
  emit({ type: 'workload-start', index: 0, total: 2, id: 'gemm', kind: 'micro' });
  emit({ type: 'phase', id: 'gemm', phase: 'measure' });
  emit({ type: 'workload-done', id: 'gemm', workload: doc.workloads.find((w) => w.id === 'gemm')! });
}

describe('PowerRecording against the local server', () => {
  test('a constant 123.4 W: idle and load 123.4 W, the marginal energy ≈ 0', async () => {
    playTrace([123.4]);
    const rec = await PowerRecording.start({ adapterVendor: 'nvidia', base: s.url, idleMs: 500 });
    expect(rec.sensor?.id).toBe('nvidia:0');
    microRun(rec.onProgress);
    await modelRun(rec.onProgress, 'general', 600);
    await modelRun(rec.onProgress, 'specialized', 600);
    const outcome = await rec.stop();
    if (!outcome.ok) throw new Error(outcome.reason);
    expect(outcome.summary.marks.map((m) => m.name)).toEqual([
      'idle:start', 'idle:end',
      'general:start', 'general:load', 'general:profile', 'general:end',
      'specialized:start', 'specialized:load', 'specialized:profile', 'specialized:end',
    ]);
    const m = measuredFrom(outcome, doc);
    if (!m.available) throw new Error(m.reason);
    expect(m.sensor).toEqual({ kind: 'nvidia-smi', coverage: 'gpu-board', periodMs: 100 });
    expect(m.idleW).toBeCloseTo(123.4, 6);
    for (const role of ['general', 'specialized'] as const) {
      const r = m.perQuery[role]!;
      expect(Math.abs(r.meanW - 123.4)).toBeLessThanOrEqual(0.5);
      expect(Math.abs(r.joules)).toBeLessThan(1e-6);
      expect(r.attributionalJoules).toBeCloseTo(123.4 * (r.queryMs / 1000), 6);
      expect(r.samples).toBeGreaterThanOrEqual(4);
    }
    expect(m.ratio).toBeNull();
    // Stopping twice asks once.
    expect(await rec.stop()).toBe(outcome);
  });

  test('a step from 20 W idle to 80 W under load: marginal = 60 W × the wall time per query', async () => {
    // 1.2 s at 20 W (the idle window), then 80 W for both models' load windows.
    playTrace([...Array<number>(12).fill(20), 80]);
    const rec = await PowerRecording.start({ adapterVendor: 'nvidia', base: s.url, idleMs: 500 });
    await sleep(1500);
    await modelRun(rec.onProgress, 'general', 700);
    await modelRun(rec.onProgress, 'specialized', 700);
    const m = measuredFrom(await rec.stop(), doc);
    if (!m.available) throw new Error(m.reason);
    expect(m.idleW).toBeCloseTo(20, 6);
    const g = m.perQuery.general!;
    const sp = m.perQuery.specialized!;
    expect(g.meanW).toBeCloseTo(80, 6);
    expect(g.joules / (60 * 0.36)).toBeGreaterThan(0.97);
    expect(g.joules / (60 * 0.36)).toBeLessThan(1.03);
    expect(sp.joules / (60 * 0.048)).toBeGreaterThan(0.97);
    expect(sp.joules / (60 * 0.048)).toBeLessThan(1.03);
    expect(m.ratio).toBeCloseTo(360 / 48, 1);
    expect(g.estimateOverMeasured).toBeCloseTo(doc.energy!.perQuery.general.joules.p50 / g.joules, 9);
  });

  test('a sensor that stops answering mid-run: sensor-failed', async () => {
    playTrace([...Array<number>(10).fill(50), 'exit']);
    const rec = await PowerRecording.start({ adapterVendor: 'nvidia', base: s.url, idleMs: 300 });
    await sleep(900);
    await modelRun(rec.onProgress, 'general', 300);
    expect(measuredFrom(await rec.stop(), doc)).toEqual({ available: false, reason: 'sensor-failed' });
  });

  test('no local server: a static host (404 HTML), nothing listening, or another machine\'s refusal', async () => {
    const hosted: Server = createServer((_req, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not found</h1>'));
    await new Promise<void>((r) => hosted.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(hosted.address() as AddressInfo).port}`;
      const rec = await PowerRecording.start({ adapterVendor: 'nvidia', base: url, idleMs: 0 });
      expect(rec.sensor).toBeNull();
      rec.onProgress({ type: 'workload-start', index: 0, total: 1, id: ID.general, kind: 'model', role: 'general' });
      expect(measuredFrom(await rec.stop(), doc)).toEqual({ available: false, reason: 'no-local-server' });
    } finally {
      await new Promise((r) => hosted.close(r));
    }
    const closed = await PowerRecording.start({ adapterVendor: 'nvidia', base: 'http://127.0.0.1:9', idleMs: 0 });
    expect(await closed.stop()).toEqual({ ok: false, reason: 'no-local-server' });
    // A sensor listed but not covering this adapter's GPU (an Intel adapter beside an NVIDIA board).
    const other = await PowerRecording.start({ adapterVendor: 'intel', base: s.url, idleMs: 0 });
    expect(await other.stop()).toEqual({ ok: false, reason: 'no-readable-sensor' });
  });
});

describe('runLab with measured watts', () => {
  const energy = { ratio: { p5: 1, p50: 2, p95: 3 }, perQuery: doc.energy!.perQuery } as unknown as EnergySection;
  beforeEach(() => {
    vi.stubGlobal('navigator', { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0 Safari/537.36' });
    lab.capabilities.mockResolvedValue({ available: true, adapter: { vendor: 'nvidia', architecture: 'hopper', features: [], limits: {} } });
    lab.computeEnergy.mockResolvedValue(energy);
    lab.run.mockImplementation(async (_plan: unknown, onProgress: (p: Progress) => void): Promise<EngineRunOutput> => {
      microRun(onProgress);
      await modelRun(onProgress, 'specialized', 400);
      await modelRun(onProgress, 'general', 400);
      return { adapter: doc.environment.adapter, timing: 'gpu-timestamp', workloads: doc.workloads, flags: [] };
    });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.clearAllMocks();
  });

  test('a readable sensor: the document carries the measured block beside the estimate', async () => {
    playTrace([100]);
    const out: ResultDocument = await runLab({ preset: 'ci', power: { base: s.url, idleMs: 400 } });
    expect(out.energy).toBe(energy);
    expect(out.measured).toMatchObject({ available: true, sensor: { kind: 'nvidia-smi', coverage: 'gpu-board' } });
    if (!out.measured?.available) throw new Error('no measured block');
    expect(out.measured.idleW).toBeCloseTo(100, 6);
    expect(out.measured.perQuery.general?.meanW).toBeCloseTo(100, 6);
  });

  test('the sensor failing mid-run: measured says why, the estimate is kept', async () => {
    playTrace([100, 100, 100, 100, 100, 100, 100, 100, 'exit']);
    const out = await runLab({ preset: 'ci', power: { base: s.url, idleMs: 300 } });
    expect(out.energy).toBe(energy);
    expect(out.measured).toEqual({ available: false, reason: 'sensor-failed' });
    expect(out.flags).toBeUndefined();
  });

  test('hosted (no /api/power): the document is as it was, no measured block', async () => {
    const out = await runLab({ preset: 'ci', power: { base: 'http://127.0.0.1:9', idleMs: 0 } });
    expect(out.energy).toBe(energy);
    expect('measured' in out).toBe(false);
  });

  test('a run that fails stops the recording', async () => {
    playTrace([100]);
    lab.run.mockRejectedValue(new Error('device lost'));
    await expect(runLab({ preset: 'ci', power: { base: s.url, idleMs: 100 } })).rejects.toThrow('device lost');
    await sleep(200);
    // The server holds no recording any more: four at once start (it allows four; a leaked one would make the fourth busy).
    const recs = [];
    for (let i = 0; i < 4; i++) recs.push(await PowerRecording.start({ adapterVendor: 'nvidia', base: s.url, idleMs: 0 }));
    expect(recs.map((r) => r.sensor?.id)).toEqual(['nvidia:0', 'nvidia:0', 'nvidia:0', 'nvidia:0']);
    await Promise.all(recs.map((r) => r.stop()));
  });
});
