/**
 * `npm run lab -- --preset ci --out result.json`: runs a preset headless in Chromium through the
 * real app and worker (the same code a visitor runs), writes one schema-v1 result document, and
 * exits non-zero with a clear message when no browser, no WebGPU adapter, or the run fails.
 *
 * `--runtime node` runs the same session, engine and kernels in this process through Dawn for
 * Node instead (scripts/node/), with `--measure-power` reading the machine's sensor in-process.
 */
import { ENERGY_LABEL_VERSION, type EnergyLabel } from '../src/shared/energy-label.ts';
import type { EnergyProvenance, Provenance } from '../src/shared/provenance-types.ts';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { register } from 'node:module';
import { chromium } from 'playwright-core';
import { chromiumArgs, ChromiumNotFoundError, findChromium } from './chromium.ts';
import { labQuery, LabUsageError, parseLabArgs, USAGE, type LabArgs } from './lab-args.ts';
import { runReal } from './lab-real.ts';
import { ensureBuilt, serveDist } from './serve-dist.ts';
import type { ResultDocument } from '../src/shared/result.ts';
import type { MeasuredSection } from '../src/shared/power.ts';
import { LAVAPIPE_INSTALL, NodeWebGpuError, installWebGpu, restartedEnv, webgpuEnv } from './node/webgpu.ts';
import { loadProfile, profileDir, profileFromDocument, saveProfile, withSensorProfile } from './node/profiles.ts';

type RunArgs = Extract<LabArgs, { kind: 'run' }>;

/** The energy catalog's class of CPU adapters (data/power-profiles.json). */
const SOFTWARE_PROFILE = 'software-adapter';

function fail(message: string, code = 1): never {
  process.stderr.write(`lab: ${message}\n`);
  process.exit(code);
}

function parseCli(): LabArgs {
  try {
    return parseLabArgs(process.argv.slice(2));
  } catch (e) {
    if (e instanceof LabUsageError) fail(`${e.message}\n${USAGE}`, 2);
    throw e;
  }
}

async function main(): Promise<void> {
  const args = parseCli();
  if (args.kind === 'help') {
    console.log(USAGE);
    return;
  }
  if (args.runtime === 'node') return runNode(args);
  const { preset, json, timeoutS } = args;
  const log = (s: string) => (json ? process.stderr.write(`${s}\n`) : console.log(s));

  let executablePath: string;
  try {
    executablePath = findChromium();
  } catch (e) {
    if (e instanceof ChromiumNotFoundError) fail(e.message, 3);
    throw e;
  }

  await ensureBuilt(json);
  if (args.real) return runReal({ args, real: args.real, executablePath, log, fail, emit });
  const server = await serveDist();
  const browser = await chromium.launch({ executablePath, args: chromiumArgs({ realGpu: args.realGpu }), headless: true });
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => log(`page error: ${e.message}`));
    const params = labQuery(args);
    await page.goto(`${server.url}#/?${params}`);
    log(`lab: running preset "${preset}" in ${executablePath}…`);
    const deadline = Date.now() + timeoutS * 1000;
    let lastLine = '';
    for (;;) {
      const state = await page.evaluate(() => ({
        result: (window as unknown as { __labResult?: unknown }).__labResult ?? null,
        error: (window as unknown as { __labError?: { name: string; message: string } }).__labError ?? null,
        available: document.querySelector('[data-testid="webgpu-status"]')?.getAttribute('data-available') ?? null,
        unavailableText: document.querySelector('[data-testid="webgpu-status"][data-available="false"]')?.textContent ?? null,
        progress: [...document.querySelectorAll('.progress-list li[data-status="running"]')]
          .map((li) => `${li.querySelector('.mono')?.textContent ?? ''}: ${li.querySelector('.small')?.textContent ?? ''}`)
          .join(' | '),
      }));
      if (state.available === 'false') fail(`no WebGPU adapter in this browser: ${state.unavailableText ?? ''}`, 4);
      if (state.error) fail(`the run failed: ${state.error.name}: ${state.error.message}`, 5);
      if (state.result) return emit(state.result as ResultDocument, args);
      if (state.progress && state.progress !== lastLine && !json) {
        lastLine = state.progress;
        log(`  ${state.progress}`);
      }
      if (Date.now() > deadline) fail(`timed out after ${timeoutS} s`, 6);
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

/** Writes the document where the options say, and the summary unless --json. */
function emit(doc: ResultDocument, { out, json }: RunArgs): void {
  if (out) writeFileSync(out, `${JSON.stringify(doc, null, 2)}\n`);
  if (json) process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  else printSummary(doc, out ?? undefined);
}

/**
 * The Node runtime: restart once with SwiftShader's Vulkan loader on the library path when it
 * is needed (the path is read at process start), then register the `?raw` loader the engine's
 * WGSL imports need, and run the session in this process.
 */
async function runNode(args: RunArgs): Promise<void> {
  const log = (s: string) => (args.json ? process.stderr.write(`${s}\n`) : console.log(s));
  // An adapter that is missing, unusable or not the one named: what to install, exit status 4.
  const orFail = async <T>(f: () => T | Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (e) {
      if (e instanceof NodeWebGpuError) fail(e.message, 4);
      throw e;
    }
  };
  const setup = await orFail(() => webgpuEnv(process.env, args.adapter ?? 'auto'));
  const before = process.env['VK_ICD_FILENAMES'];
  if (before && setup.choice.kind === 'lavapipe' && before !== setup.env['VK_ICD_FILENAMES']) log(`lab: --adapter lavapipe replaces VK_ICD_FILENAMES=${before} for this run.`);
  if (setup.restart) {
    const child = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env: restartedEnv(setup.env) });
    process.exit(child.status ?? 1);
  }
  Object.assign(process.env, setup.env);
  const { info } = await orFail(() => installWebGpu(setup.choice));
  const software = (info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter ? ', a software adapter on the CPU' : '';
  log(`lab: running preset "${args.preset}" in Node ${process.version} through Dawn on ${info.vendor || '?'} / ${info.architecture || '?'} (${info.description || 'no description'}${software})…`);
  register(new URL('./node/raw-hook.ts', import.meta.url));
  const { runInNode } = await import('./node/run.ts');
  const timer = setTimeout(() => fail(`timed out after ${args.timeoutS} s`, 6), args.timeoutS * 1000);
  timer.unref();
  let doc: ResultDocument;
  try {
    doc = await runInNode({
      preset: args.preset, country: args.country, params: args.params, log, ...(args.tune === false ? { tune: false } : {}),
      power: args.measurePower ? { sensorId: args.powerSensor, log } : null,
    });
  } catch (e) {
    fail(`the run failed: ${(e as Error).name}: ${(e as Error).message}`, 5);
  }
  // Lavapipe is asked for its 16-bit floats: say so when this Mesa has none (before 23).
  if (setup.choice.kind === 'lavapipe' && !doc.environment.adapter.features.includes('shader-f16')) log(`lab: this lavapipe offers no shader-f16, so the models ran in f32: ${LAVAPIPE_INSTALL}.`);
  const dir = profileDir();
  emit(useKeptProfile(doc, dir, args.country, log), args);
  keepProfile(doc, args, dir, log);
  // Dawn keeps handles open after the run; the document is written, so end here.
  process.exit(0);
}

/**
 * Measured profiles (scripts/node/profiles.ts): the estimate of the document is computed with the
 * sensor profile an earlier run kept for this adapter (profile source `sensor`, in the document).
 */
function useKeptProfile(doc: ResultDocument, dir: string, country: string | null, log: (s: string) => void): ResultDocument {
  const kept = loadProfile(doc.environment.adapter, dir);
  if (!kept || !doc.energy) return doc;
  try {
    const out = withSensorProfile(doc, kept, country);
    if (out !== doc) log(`Estimate with the measured profile of this adapter (${kept.sensor.kind}, ${kept.sensor.coverage}, ${kept.date}: ${kept.idleW} W idle, +${kept.deltaW.typ} W under load), kept in ${dir}.`);
    return out;
  } catch (e) {
    log(`The measured profile in ${dir} could not be used (catalog estimate kept): ${(e as Error).message}`);
    return doc;
  }
}

/** This run's measurement kept for the next runs on this adapter. */
function keepProfile(doc: ResultDocument, args: RunArgs, dir: string, log: (s: string) => void): void {
  if (!args.measurePower) return;
  const made = profileFromDocument(doc);
  if (made.ok) log(`Measured profile for this adapter kept in ${saveProfile(made.profile, dir)} (used by the next runs' estimates).`);
  else log(`No measured profile kept: ${made.why}.`);
}

function printMeasured(m: MeasuredSection): void {
  if (!m.available) {
    console.log(`Measured: none (${m.reason}); the estimate stands alone.`);
    return;
  }
  console.log(`Measured (${m.sensor.kind}, ${m.sensor.coverage}, ${m.samples} readings every ${m.sensor.periodMs} ms): idle ${m.idleW.toFixed(1)} W`);
  for (const role of ['specialized', 'general'] as const) {
    const r = m.perQuery[role];
    if (!r) continue;
    console.log(`  ${role.padEnd(11)} ${r.meanW.toFixed(1)} W over ${r.windowSeconds.toFixed(1)} s; ${r.joules.toPrecision(3)} J/query above idle, ${r.attributionalJoules.toPrecision(3)} J with it${r.estimateOverMeasured === null ? '' : `; estimate ÷ measured ${r.estimateOverMeasured.toPrecision(3)}`}`);
  }
}

function printSummary(doc: ResultDocument, out: string | undefined): void {
  const a = doc.environment.adapter;
  const b = doc.environment.browser;
  console.log(`\nAdapter: ${a.vendor || '?'} / ${a.architecture || '?'}${a.isFallbackAdapter ? ' (fallback)' : ''} · timing: ${doc.environment.timing} · runtime: ${b.name}${b.major === null ? '' : ` ${b.major}`}`);
  // SwiftShader, lavapipe, WARP: the flag, or the energy model's software class (profiles.ts matches them by name too).
  if (a.isFallbackAdapter || doc.energy?.profile.id === SOFTWARE_PROFILE) console.log('Software adapter on the CPU: these timings and the estimate say nothing of a GPU\'s performance.');
  console.log(`Suite: preset ${doc.suite.preset}, version ${doc.suite.version} · app ${doc.app.version}`);
  const tu = doc.environment.tuning;
  if (tu) {
    const split = Object.entries(tu.tuning.gemmSplitK).map(([shape, k]) => `${shape}→${k}`).join(', ') || 'none';
    const how = tu.source === 'default' ? `defaults (${tu.reason ?? 'failed'})` : tu.source === 'cache' ? 'from the cache' : `tuned in ${(tu.tuneMs ?? 0).toFixed(0)} ms, ${tu.trials.filter((t) => t.medianMs !== null).length}/${tu.trials.length} candidates timed`;
    console.log(`Kernels: ${how} · split-K ${split} · GEMV ${tu.tuning.gemvReduction}`);
  }
  for (const w of doc.workloads) {
    const rate = [w.gflops ? `${w.gflops.toPrecision(3)} GFLOP/s` : '', w.gbps ? `${w.gbps.toPrecision(3)} GB/s` : ''].filter(Boolean).join(', ');
    console.log(
      `  ${w.kind.padEnd(5)} ${(w.role ?? '').padEnd(11)} ${w.id.padEnd(28)} median ${w.timing.medianMs.toPrecision(4)} ms  (p10 ${w.timing.p10Ms.toPrecision(3)}, p90 ${w.timing.p90Ms.toPrecision(3)}, n=${w.timing.samplesMs.length})  ${rate}`,
    );
  }
  const e = doc.energy;
  if (e) {
    const g = e.perQuery.general.joules;
    const s = e.perQuery.specialized.joules;
    console.log(`Energy (estimate, profile ${e.profile.id}, grid ${e.grid.country} ${e.grid.gPerKWh} g/kWh):`);
    console.log(`  specialized ${s.p50.toPrecision(3)} J/query (${s.p5.toPrecision(3)}–${s.p95.toPrecision(3)})`);
    console.log(`  general     ${g.p50.toPrecision(3)} J/query (${g.p5.toPrecision(3)}–${g.p95.toPrecision(3)})`);
    console.log(`  ratio       ${e.ratio.p50.toPrecision(3)}× (${e.ratio.p5.toPrecision(3)}–${e.ratio.p95.toPrecision(3)})`);
    const label = (l: EnergyLabel | undefined) => (l ? `${l.class}${l.low !== l.high ? ` (${l.low}–${l.high} across the range)` : ''}` : '?');
    console.log(`  label       specialized ${label(e.perQuery.specialized.label)}, general ${label(e.perQuery.general.label)} (${ENERGY_LABEL_VERSION})`);
    if (e.provenance) printProvenance(e.provenance);
  }
  if (doc.measured) printMeasured(doc.measured);
  if (out) console.log(`Wrote ${out}`);
}

/** "How these figures were made": each input of the formulas and where its number comes from. */
function printProvenance(p: EnergyProvenance): void {
  const tag = (x: Provenance | null): string => {
    if (x === null) return 'not used (unknown)';
    switch (x.kind) {
      case 'measured':
        return `measured (${x.method})`;
      case 'sourced':
        return `sourced (${x.sources.join(', ')}${x.year === null ? '' : `, ${x.year}`})`;
      case 'modeled':
        return `modeled (${x.basis}${x.sources.length ? `; ${x.sources.join(', ')}` : ''})`;
    }
  };
  const rows: [string, Provenance | null][] = [
    ['busy time, general', p.busyTime.general], ['busy time, specialized', p.busyTime.specialized],
    ['wall time, general', p.wallTime.general], ['wall time, specialized', p.wallTime.specialized],
    ['ΔP (GPU power under load)', p.deltaW], ['idle power', p.idleW], ['host power', p.hostW],
    ['η (power supply)', p.eta], ['grid intensity', p.grid], ['embodied carbon', p.embodied],
  ];
  console.log('How these figures were made:');
  for (const [what, x] of rows) console.log(`  ${what.padEnd(26)} ${tag(x)}`);
}

main().catch((e: unknown) => fail((e as Error).stack ?? String(e)));
