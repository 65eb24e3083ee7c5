// The browser-free runner (`npm run lab -- --runtime node`): the real CLI in a child process, on
// SwiftShader through Dawn for Node, with a fake `nvidia-smi` on PATH playing a constant 123.4 W.
// The document it writes must carry the measured block of that sensor, validate and recompute
// like a browser's, and count the same FLOPs and kernels as the engine's plan. Then the
// in-process recorder's failures, fed with the progress a run emits, without a run.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { countQuery } from '../../src/engine/models/flops.ts';
import type { Progress } from '../../src/engine/run-plan.ts';
import { measuredFrom } from '../../src/lab/power.ts';
import { buildPlan } from '../../src/lab/plan.ts';
import type { ResultDocument } from '../../src/shared/result.ts';
import { verifyEnergy } from '../../src/shared/recompute.ts';
import { sampleResult } from '../../src/shared/sample-result.ts';
import { anonymize, parseResult } from '../../src/shared/schema.ts';
import { startNodeRecording } from '../../scripts/node/power.ts';
import { installFakeNvidiaSmi } from './fake-nvidia-smi.ts';
import { runScript, tempDir } from './helpers.ts';

const WATTS = 123.4;
/** A SwiftShader this machine can run the runner on (the system Chromium's); without it, the run is skipped. */
const SWIFTSHADER = existsSync('/usr/lib/chromium/vk_swiftshader_icd.json') || process.env['VK_ICD_FILENAMES'] !== undefined;

const tmp = tempDir('node-runner-');
const nvidia = installFakeNvidiaSmi(tmp.path);
afterAll(() => tmp.remove());

describe.skipIf(!SWIFTSHADER)('lab --runtime node --preset ci --measure-power', () => {
  const out = join(tmp.path, 'r.json');
  let doc: ResultDocument;
  let stdout = '';
  beforeAll(async () => {
    nvidia.play([WATTS]);
    // The adapter is SwiftShader (vendor google): no NVIDIA board covers it, so the sensor is
    // named by hand; on an NVIDIA machine the runner picks it by itself.
    const res = await runScript('scripts/lab.ts', ['--runtime', 'node', '--preset', 'ci', '--measure-power', '--power-sensor', 'nvidia:0', '--out', out], { ...nvidia.env(), LAB_PROFILE_DIR: join(tmp.path, 'profiles') });
    expect(res.code, `${res.stdout}\n${res.stderr}`).toBe(0);
    stdout = res.stdout;
    doc = JSON.parse(readFileSync(out, 'utf8')) as ResultDocument;
  }, 600_000);

  test('the measured block names the NVIDIA sensor: 123.4 W, joules = that power × the measured time', () => {
    const m = doc.measured;
    if (!m?.available) throw new Error(`no measured figures: ${JSON.stringify(m)}`);
    expect(m.sensor).toEqual({ kind: 'nvidia-smi', coverage: 'gpu-board', periodMs: 100 });
    expect(Math.abs(m.idleW - WATTS)).toBeLessThanOrEqual(0.5);
    for (const role of ['general', 'specialized'] as const) {
      const r = m.perQuery[role];
      if (!r) throw new Error(`no ${role} window`);
      const w = doc.workloads.find((x) => x.role === role)!;
      expect(Math.abs(r.meanW - WATTS)).toBeLessThanOrEqual(0.5);
      expect(r.samples).toBeGreaterThanOrEqual(3);
      expect(r.queryMs).toBe(w.timing.wallMedianMs ?? w.timing.medianMs);
      // With the idle baseline: the sensor's power × the wall time of one query.
      expect(Math.abs(r.attributionalJoules - (WATTS * r.queryMs) / 1000)).toBeLessThanOrEqual((0.5 * r.queryMs) / 1000);
      expect(r.attributionalJoules).toBeCloseTo((r.meanW * r.queryMs) / 1000, 9);
      // Above idle: a constant power adds nothing.
      expect(Math.abs(r.joules)).toBeLessThanOrEqual((0.5 * r.queryMs) / 1000);
    }
    // The summary prints it; a flat trace gives no power under load, so no profile is kept from it.
    expect(stdout).toMatch(/Measured \(nvidia-smi, gpu-board, \d+ readings every 100 ms\): idle 123\.4 W/);
    expect(stdout).toMatch(/No measured profile kept: a model drew no more than idle/);
  });

  test('the document is a Node one that the results server accepts: schema, recomputed energy', () => {
    expect(doc.environment.browser).toEqual({ name: 'node', major: Number(process.versions.node.split('.')[0]) });
    // SwiftShader is the adapter; the API under it is Dawn's Vulkan backend.
    expect(doc.environment.runtime).toEqual({ kind: 'node', backend: 'vulkan' });
    expect(doc.environment.adapter).toMatchObject({ vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: true });
    expect(doc.energy).toBeDefined();
    const parsed = parseResult(anonymize(doc));
    expect(parsed.ok ? [] : parsed.issues).toEqual([]);
    if (parsed.ok) expect(verifyEnergy(parsed.value)).toEqual([]);
  });

  test('the same workloads, FLOPs, bytes and kernels as the engine\'s plan for this adapter', () => {
    const a = doc.environment.adapter;
    const { plan } = buildPlan({ preset: 'ci', preferF16: a.features.includes('shader-f16'), limits: a.limits });
    expect(doc.suite).toEqual({ preset: 'ci', version: plan.suiteVersion });
    expect(doc.workloads.map((w) => w.id)).toEqual([...plan.micro.map((m) => m.id), ...plan.models.map((m) => m.id)]);
    for (const spec of plan.models) {
      const w = doc.workloads.find((x) => x.id === spec.id)!;
      const c = countQuery(spec);
      expect(w.flops).toBe(c.flops);
      expect(w.bytes).toBe(c.bytes);
      // The kernels the plan counts, each with the FLOPs the config gives it, and no other.
      // (Dispatch counts differ by convention for the classifier head: one entry for its two dense layers.)
      const flopsByName = (ks: readonly { name: string; flops: number }[]) => Object.fromEntries(ks.map((k) => [k.name, k.flops]));
      expect(flopsByName(w.kernels ?? [])).toEqual(flopsByName(c.kernels));
      const dispatched = (w.kernels ?? []).reduce((s, k) => s + k.flops, 0);
      expect(Math.abs(dispatched - c.flops) / c.flops).toBeLessThan(0.02);
    }
  });
});

test('no adapter: a clear message naming the variables, exit 4', async () => {
  const res = await runScript('scripts/lab.ts', ['--runtime', 'node', '--preset', 'ci'], { ...process.env, VK_ICD_FILENAMES: join(tmp.path, 'missing-icd.json') });
  expect(res.code).toBe(4);
  expect(res.stderr).toMatch(/lab: no WebGPU adapter through Dawn/);
  expect(res.stderr).toMatch(/VK_ICD_FILENAMES/);
  expect(res.stderr).toMatch(/LD_LIBRARY_PATH/);
}, 120_000);

describe('the in-process recorder', () => {
  const doc = sampleResult();
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const power = (withNvidia = true) => ({ env: nvidia.env(withNvidia), platform: 'linux' as const, sysfsRoot: join(tmp.path, 'sys') });
  async function general(emit: (p: Progress) => void, loadMs: number): Promise<void> {
    const id = 'general:tiny-decoder';
    emit({ type: 'workload-start', index: 0, total: 1, id, kind: 'model', role: 'general' });
    emit({ type: 'phase', id, phase: 'measure' });
    await sleep(loadMs);
    emit({ type: 'workload-done', id, workload: doc.workloads.find((w) => w.id === id)! });
  }

  test('a step from 20 W to 80 W: idle 20 W, load 80 W, the marginal 60 W × the time per query', async () => {
    nvidia.play([...Array<number>(8).fill(20), 80]);
    const rec = await startNodeRecording('nvidia', { idleMs: 500, power: power() });
    expect(rec.sensor?.id).toBe('nvidia:0');
    await sleep(500);
    await general(rec.onProgress, 600);
    const m = measuredFrom(await rec.stop(), doc);
    if (!m.available) throw new Error(m.reason);
    expect(m.idleW).toBeCloseTo(20, 6);
    expect(m.perQuery.general!.meanW).toBeCloseTo(80, 6);
    expect(m.perQuery.general!.joules).toBeCloseTo((60 * m.perQuery.general!.queryMs) / 1000, 6);
  });

  test('a sensor that stops answering mid-run: sensor-failed, never 0', async () => {
    nvidia.play([...Array<number>(8).fill(50), 'exit']);
    const rec = await startNodeRecording('nvidia', { idleMs: 300, power: power() });
    await sleep(600);
    await general(rec.onProgress, 300);
    expect(measuredFrom(await rec.stop(), doc)).toEqual({ available: false, reason: 'sensor-failed' });
  });

  test('no sensor, or none that covers the adapter: no-readable-sensor, and the log says why', async () => {
    const lines: string[] = [];
    const none = await startNodeRecording('nvidia', { idleMs: 0, power: power(false), log: (l) => lines.push(l) });
    expect(none.sensor).toBeNull();
    expect(await none.stop()).toEqual({ ok: false, reason: 'no-readable-sensor' });
    expect(lines.join('\n')).toMatch(/nvidia-smi is not on PATH/);
    nvidia.play([WATTS]);
    const other = await startNodeRecording('google', { idleMs: 0, power: power() });
    expect(await other.stop()).toEqual({ ok: false, reason: 'no-readable-sensor' });
  });
});
