// The validation table (scripts/validation-table.ts) on documents measured through the real
// recorder and parsers, with the fake nvidia-smi playing a known step: idle 20 W, then a load.
// Each row's figures are the document's; "inside" is the measured marginal joules against the
// estimate's p5–p95 redone at the sensor's scope (a GPU board: no power-supply loss, no host).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Progress } from '../../src/engine/run-plan.ts';
import { measuredFrom } from '../../src/lab/power.ts';
import type { MeasuredSection } from '../../src/shared/power.ts';
import type { ResultDocument, Role } from '../../src/shared/result.ts';
import { sampleResult } from '../../src/shared/sample-result.ts';
import { parseResult } from '../../src/shared/schema.ts';
import { startNodeRecording } from '../../scripts/node/power.ts';
import { GAP_HEADER, MODEL_HEADER, parseTableArgs, validationMarkdown, validationRows } from '../../scripts/validation-table.ts';
import { installFakeNvidiaSmi } from './fake-nvidia-smi.ts';
import { ROOT, tempDir } from './helpers.ts';

const tmp = tempDir('validation-table-');
const nvidia = installFakeNvidiaSmi(tmp.path);
afterAll(() => tmp.remove());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const IDLE_W = 20;

/** A Node-runner document (sample timings and estimate) whose measured block the fake sensor gives at `loadW`. */
async function measuredDoc(loadW: number): Promise<ResultDocument> {
  const base = sampleResult();
  const { crossOriginIsolated: _none, ...env } = base.environment;
  const doc: ResultDocument = { ...base, environment: { ...env, browser: { name: 'node', major: 22 }, runtime: { kind: 'node', backend: 'vulkan' } } };
  nvidia.play([...Array<number>(8).fill(IDLE_W), loadW]);
  const rec = await startNodeRecording('nvidia', { idleMs: 500, power: { env: nvidia.env(), platform: 'linux', sysfsRoot: join(tmp.path, 'sys') } });
  expect(rec.sensor?.id).toBe('nvidia:0');
  await sleep(500);
  for (const role of ['specialized', 'general'] as const) {
    const w = doc.workloads.find((x) => x.kind === 'model' && x.role === role)!;
    const events: Progress[] = [
      { type: 'workload-start', index: 0, total: 2, id: w.id, kind: 'model', role },
      { type: 'phase', id: w.id, phase: 'measure' },
    ];
    events.forEach(rec.onProgress);
    await sleep(600);
    rec.onProgress({ type: 'workload-done', id: w.id, workload: w });
  }
  const measured = measuredFrom(await rec.stop(), doc);
  const out = { ...doc, measured };
  const parsed = parseResult(out);
  expect(parsed.ok ? [] : parsed.issues).toEqual([]);
  return out;
}

const wallS = (doc: ResultDocument, role: Role) => {
  const t = doc.workloads.find((x) => x.kind === 'model' && x.role === role)!.timing;
  return (t.wallMedianMs ?? t.medianMs) / 1000;
};

describe('validation table from measured documents', () => {
  let inside: ResultDocument;
  let above: ResultDocument;
  beforeAll(async () => {
    inside = await measuredDoc(50); // +30 W: within the software profile's ΔP (10–65 W)
    above = await measuredDoc(200); // +180 W: far above it
  }, 60_000);

  test('a load within the profile: measured = 30 W × the wall time per query, inside the scoped range', () => {
    const { models, gap } = validationRows(inside, 'Fake H200 (nvidia-smi fixture)');
    expect(models.map((r) => r.model)).toEqual(['specialized:bert-tiny', 'general:tiny-decoder']);
    for (const r of models) {
      expect(r.device).toBe('Fake H200 (nvidia-smi fixture)');
      expect(r.preset).toBe('ci');
      expect(r.measured).toBeCloseTo(30 * wallS(inside, r.role), 6);
      expect(r.measuredAttributional).toBeCloseTo(50 * wallS(inside, r.role), 6);
      // The scoped estimate drops η and the host: below the published one, same draws.
      expect(r.published).toEqual(inside.energy!.perQuery[r.role].joules);
      expect(r.scoped!.p50).toBeLessThan(r.published!.p50);
      expect(r.scoped!.p5).toBeLessThanOrEqual(r.measured!);
      expect(r.measured!).toBeLessThanOrEqual(r.scoped!.p95);
      expect(r.verdict).toEqual({ kind: 'inside' });
      expect(r.how).toMatch(/^nvidia-smi \(gpu-board, every 100 ms\): idle 20\.0 W, 50\.0 W under load over 0\.\d s \(\d+ readings\); node, Dawn vulkan$/);
    }
    // The measured gap is the ratio of the wall times (same power above idle for both).
    expect(gap.measured).toBeCloseTo(wallS(inside, 'general') / wallS(inside, 'specialized'), 6);
    expect(gap.verdict).toEqual({ kind: 'inside' });
  });

  test('a load far above the profile: outside, above the range', () => {
    const { models } = validationRows(above);
    for (const r of models) {
      expect(r.device).toBe('google swiftshader (fallback)');
      expect(r.measured).toBeCloseTo(180 * wallS(above, r.role), 6);
      expect(r.measured!).toBeGreaterThan(r.scoped!.p95);
      expect(r.verdict).toEqual({ kind: 'outside', side: 'above' });
    }
  });

  test('no measurement, a failed one, an estimate from a sensor profile: no verdict, and why', () => {
    const failed: ResultDocument = { ...inside, measured: { available: false, reason: 'sensor-failed' } satisfies MeasuredSection };
    const r = validationRows(failed);
    expect(r.models.map((x) => x.verdict)).toEqual([{ kind: 'not-measured', why: 'sensor-failed' }, { kind: 'not-measured', why: 'sensor-failed' }]);
    expect(r.models.every((x) => x.measured === null && x.scoped === null && x.published !== null)).toBe(true);
    const { measured: _m, ...bare } = inside;
    expect(validationRows(bare).gap.verdict.kind).toBe('not-measured');
    const fromSensor: ResultDocument = { ...inside, energy: { ...inside.energy!, profile: { ...inside.energy!.profile, source: 'sensor' } } };
    expect(validationRows(fromSensor).models[0]!.verdict).toEqual({ kind: 'sensor-profile' });
    const { energy: _e, ...noEnergy } = inside;
    expect(validationRows(noEnergy).models[0]!.verdict).toEqual({ kind: 'no-estimate', why: 'the document has no estimate' });
  });

  test('Markdown: both headers, one row per model and one per run; the CLI reads files and labels them', () => {
    const md = validationMarkdown([{ doc: inside, device: 'A' }, { doc: above }]);
    const lines = md.trim().split('\n');
    expect(lines[0]).toBe(`| ${MODEL_HEADER.join(' | ')} |`);
    expect(lines.filter((l) => l.startsWith('| A | ci | '))).toHaveLength(3);
    // Two model rows of A, and both gap rows: 200 W adds the same power to both models, so the
    // measured gap (the ratio of their wall times) stays inside even when the joules do not.
    expect(lines.filter((l) => l.includes('| yes |'))).toHaveLength(4);
    expect(lines.filter((l) => l.includes('| no (above the range) |'))).toHaveLength(2);
    expect(md).toContain(`| ${GAP_HEADER.join(' | ')} |`);
    expect(parseTableArgs(['x.json', '--device', 'H200, driver 570', 'y.json', 'z.json'])).toEqual([{ path: 'x.json' }, { path: 'y.json', device: 'H200, driver 570' }, { path: 'z.json', device: 'H200, driver 570' }]);

    const a = join(tmp.path, 'a.json');
    const b = join(tmp.path, 'b.json');
    writeFileSync(a, JSON.stringify(inside));
    writeFileSync(b, JSON.stringify(above));
    const run = spawnSync(join(ROOT, 'node_modules/.bin/tsx'), ['scripts/validation-table.ts', '--device', 'A', a, b], { cwd: ROOT, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    // The label applies to every file after it.
    expect(run.stdout).toBe(validationMarkdown([{ doc: inside, device: 'A' }, { doc: above, device: 'A' }]));
    writeFileSync(b, '{"schemaVersion": 2}');
    const bad = spawnSync(join(ROOT, 'node_modules/.bin/tsx'), ['scripts/validation-table.ts', b], { cwd: ROOT, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/not a result document this version reads/);
  }, 60_000);
});
