// The browser-free runner on Mesa's lavapipe (`lab --runtime node --adapter lavapipe`), the one
// software adapter with shader-f16: the real CLI in a child process runs the whole f16 path (the
// plan prefers f16, the device gets shader-f16, the models store f16 weights) and writes a
// document that validates, recomputes, counts what the f16 plan counts, and is labelled and
// estimated as a software adapter on the CPU, never as a GPU. Lavapipe compiles shaders slowly:
// the ci preset takes about a minute here.
//
// Without lavapipe, or with a Mesa too old for shader-f16, the tests are skipped with the reason,
// except under CI=true, where the first one fails instead (.ci/run installs the driver, so a skip
// there would hide a broken setup). The f16 kernels' internals are not looked at: only the dtype
// recorded and the agreement with the plan.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, type TestContext } from 'vitest';
import { countQuery } from '../../src/engine/models/flops.ts';
import { buildPlan } from '../../src/lab/plan.ts';
import type { ResultDocument } from '../../src/shared/result.ts';
import { verifyEnergy } from '../../src/shared/recompute.ts';
import { anonymize, parseResult } from '../../src/shared/schema.ts';
import { runScript, tempDir } from './helpers.ts';

const required = process.env['CI'] === 'true';
const tmp = tempDir('node-runner-f16-');
afterAll(() => tmp.remove());

/** The run, or why there is none worth checking on this machine. */
type Outcome = { ok: true; doc: ResultDocument; stdout: string } | { ok: false; why: string };

let outcome: Outcome = { ok: false, why: 'not run' };

beforeAll(async () => {
  const out = join(tmp.path, 'r.json');
  // The user's VK_ICD_FILENAMES would be replaced by --adapter lavapipe anyway; dropped to keep the log quiet.
  const { VK_ICD_FILENAMES: _icd, ...env } = process.env;
  const res = await runScript('scripts/lab.ts', ['--runtime', 'node', '--adapter', 'lavapipe', '--preset', 'ci', '--out', out], { ...env, LAB_PROFILE_DIR: join(tmp.path, 'profiles') });
  // Exit 4: no lavapipe (its manifest, the Vulkan loader, or an adapter through it), with what to install.
  if (res.code === 4) {
    outcome = { ok: false, why: res.stderr.trim() };
    return;
  }
  expect(res.code, `${res.stdout}\n${res.stderr}`).toBe(0);
  if (!existsSync(out)) throw new Error(`no document written:\n${res.stdout}\n${res.stderr}`);
  const doc = JSON.parse(readFileSync(out, 'utf8')) as ResultDocument;
  outcome = doc.environment.adapter.features.includes('shader-f16')
    ? { ok: true, doc, stdout: res.stdout }
    : { ok: false, why: `this lavapipe offers no shader-f16 (Mesa < 23): install Mesa ≥ 23 (Debian bookworm: apt-get install -t bookworm-backports mesa-vulkan-drivers libvulkan1)` };
}, 600_000);

/** The run's document, or the test skipped with the reason (the availability test fails under CI). */
function run(ctx: TestContext): { doc: ResultDocument; stdout: string } {
  if (!outcome.ok) ctx.skip(outcome.why);
  return outcome;
}

test('lavapipe with shader-f16 is available (required under CI=true)', (ctx) => {
  if (!outcome.ok && !required) ctx.skip(outcome.why);
  expect(outcome.ok ? 'ok' : outcome.why).toBe('ok');
  if (outcome.ok) expect(outcome.doc.environment.adapter.features).toContain('shader-f16');
});

describe('lab --runtime node --adapter lavapipe --preset ci', () => {
  test('every model ran in f16', (ctx) => {
    const { doc } = run(ctx);
    const models = doc.workloads.filter((w) => w.kind === 'model');
    expect(models.length).toBeGreaterThan(0);
    for (const w of models) expect([w.id, w.dtype]).toEqual([w.id, 'f16']);
  });

  test('a software adapter on the CPU: recorded, estimated and printed as one, never as a GPU', (ctx) => {
    const { doc, stdout } = run(ctx);
    // Dawn reports lavapipe as mesa / software, a fallback (CPU) adapter; both words are in the vocabulary.
    expect(doc.environment.adapter).toMatchObject({ vendor: 'mesa', isFallbackAdapter: true });
    expect(doc.environment.runtime).toEqual({ kind: 'node', backend: 'vulkan' });
    expect(doc.environment.browser).toEqual({ name: 'node', major: Number(process.versions.node.split('.')[0]) });
    // The energy model's software class, chosen for the fallback flag as for SwiftShader.
    expect(doc.energy?.profile).toMatchObject({ id: 'software-adapter', basis: { kind: 'fallback' } });
    expect(stdout).toMatch(/Adapter: mesa \/ \S+ \(fallback\)/);
    expect(stdout).toMatch(/Software adapter on the CPU: these timings and the estimate say nothing of a GPU's performance\./);
    expect(stdout).toMatch(/Energy \(estimate, profile software-adapter,/);
  });

  test('the document is one the results server accepts: schema, recomputed energy', (ctx) => {
    const { doc } = run(ctx);
    const parsed = parseResult(anonymize(doc));
    expect(parsed.ok ? [] : parsed.issues).toEqual([]);
    if (parsed.ok) expect(verifyEnergy(parsed.value)).toEqual([]);
  });

  test('the same workloads, FLOPs, bytes and kernels as the engine\'s plan for an f16 adapter', (ctx) => {
    const { doc } = run(ctx);
    const limits = doc.environment.adapter.limits;
    const { plan } = buildPlan({ preset: 'ci', preferF16: true, limits });
    const { plan: f32 } = buildPlan({ preset: 'ci', preferF16: false, limits });
    expect(plan.preferF16).toBe(true);
    expect(doc.suite).toEqual({ preset: 'ci', version: plan.suiteVersion });
    expect(doc.workloads.map((w) => w.id)).toEqual([...plan.micro.map((m) => m.id), ...plan.models.map((m) => m.id)]);
    const flopsByName = (ks: readonly { name: string; flops: number }[]) => Object.fromEntries(ks.map((k) => [k.name, k.flops]));
    for (const spec of plan.models) {
      const w = doc.workloads.find((x) => x.id === spec.id)!;
      const c = countQuery(spec);
      expect(spec.model.dtype).toBe('f16');
      expect(w.flops).toBe(c.flops);
      expect(w.bytes).toBe(c.bytes);
      // f16 weights move fewer bytes than f32's: the byte count above is the f16 plan's, not the f32 one's.
      const spec32 = f32.models.find((m) => m.id === spec.id)!;
      expect(c.bytes).toBeLessThan(countQuery(spec32).bytes);
      expect(flopsByName(w.kernels ?? [])).toEqual(flopsByName(c.kernels));
      const dispatched = (w.kernels ?? []).reduce((s, k) => s + k.flops, 0);
      expect(Math.abs(dispatched - c.flops) / c.flops).toBeLessThan(0.02);
    }
  });
});
