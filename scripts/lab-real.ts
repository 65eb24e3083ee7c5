/**
 * `npm run lab -- --models real [--models-dir DIR] [--preset ci] [--language en|fr] [--items N]`:
 * the real-models race headless, through the real app and worker in Chromium (the same session a
 * visitor runs, src/lab/realmodels-session.ts). DIR is served as `/models/` beside the app, by the
 * production server's handler. Writes the document and prints accuracy with its interval, energy
 * per query and per correct answer, the gap ratio both ways, and real/synthetic time per model.
 */
import { chromium } from 'playwright-core';
import { chromiumArgs } from './chromium.ts';
import type { LabArgs, RealArgs } from './lab-args.ts';
import { serveDist } from './serve-dist.ts';
import { DEFAULT_CLASSIFIER_ID, DEFAULT_GENERATOR_ID } from '../src/lab/model-files.ts';
import type { RealRaceOutput, RealRaceProgress, RealSessionRequest } from '../src/lab/realmodels-api.ts';
import { gapRatios, perCorrect, type Range3 } from '../src/shared/realmodels/scoring.ts';
import type { ResultDocument, Workload } from '../src/shared/result.ts';

type RunArgs = Extract<LabArgs, { kind: 'run' }>;

export interface RealRun {
  args: RunArgs;
  real: RealArgs;
  executablePath: string;
  log: (s: string) => void;
  fail: (message: string, code?: number) => never;
  emit: (doc: ResultDocument, args: RunArgs) => void;
}

/** The session request the page runs (plain data: it crosses page.evaluate). */
export function realRequest(args: RunArgs, real: RealArgs): Omit<RealSessionRequest, 'onProgress'> {
  return {
    models: {
      classifier: { task: 'classifier', id: DEFAULT_CLASSIFIER_ID, dtype: real.classifierDtype },
      generator: { task: 'generator', id: DEFAULT_GENERATOR_ID, dtype: real.generatorDtype },
    },
    ...(real.modelsDir ? { base: '/models/' } : {}),
    language: real.language,
    ...(real.items !== null ? { items: real.items } : {}),
    ...(real.maxNewTokens !== null ? { maxNewTokens: real.maxNewTokens } : {}),
    reference: real.reference,
    replicas: true,
    preset: args.preset,
    country: args.country,
  };
}

function progressLine(p: RealRaceProgress): string {
  switch (p.phase) {
    case 'download': {
      const mb = (n: number) => (n / 1e6).toFixed(1);
      return `download ${p.model}: ${mb(p.progress.received)}${p.progress.total === null ? '' : ` of ${mb(p.progress.total)}`} MB`;
    }
    case 'load':
      return `load ${p.model} (${p.ep})`;
    case 'race':
      return `race ${p.ep} ${p.progress.role} ${p.progress.phase} ${p.progress.index}/${p.progress.of}`;
    case 'replica':
      return `synthetic replica ${p.role} (${p.done}/${p.of})`;
  }
}

export async function runReal({ args, real, executablePath, log, fail, emit }: RealRun): Promise<void> {
  const server = await serveDist(real.modelsDir ? { modelsDir: real.modelsDir } : {});
  const browser = await chromium.launch({ executablePath, args: chromiumArgs({ realGpu: args.realGpu }), headless: true });
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => log(`page error: ${e.message}`));
    let last = '';
    await page.exposeFunction('__labRealProgress', (p: RealRaceProgress) => {
      const line = progressLine(p);
      if (line !== last && !args.json) log(`  ${line}`);
      last = line;
    });
    await page.goto(`${server.url}#/`);
    await page.waitForFunction(() => typeof window.__labRealModels === 'function');
    log(`lab: real-models race (${real.language}, ${real.items ?? 'all'} items, replicas with preset "${args.preset}") from ${real.modelsDir ?? 'the Hugging Face hub'} in ${executablePath}…`);
    const timer = setTimeout(() => fail(`timed out after ${args.timeoutS} s`, 6), args.timeoutS * 1000);
    type Outcome = { ok: true; doc: ResultDocument; output: RealRaceOutput } | { ok: false; name: string; message: string };
    let result: Outcome;
    try {
      // A string, not a function: the CLI runs under tsx, whose name-keeping helper (`__name`) does not exist in the page.
      result = await page.evaluate<Outcome>(`(async (req) => {
        try {
          const r = await window.__labRealModels({ ...req, report: (p) => window.__labRealProgress(p) });
          return { ok: true, doc: r.doc, output: r.output };
        } catch (e) {
          return { ok: false, name: (e && e.name) || 'Error', message: (e && e.message) || String(e) };
        }
      })(${JSON.stringify(realRequest(args, real))})`);
    } finally {
      clearTimeout(timer);
    }
    if (!result.ok) {
      if (result.name === 'WebGpuUnavailableError') return fail(`no WebGPU adapter in this browser: ${result.message}`, 4);
      return fail(`the run failed: ${result.name}: ${result.message}`, 5);
    }
    emit(result.doc, args);
    if (!args.json) printReal(result.doc, result.output);
  } finally {
    await browser.close();
    await server.close();
  }
}

const r3 = (r: Range3, unit = ''): string => `${r.p50.toPrecision(3)}${unit} (${r.p5.toPrecision(3)}–${r.p95.toPrecision(3)})`;

/** What the real race adds to the summary: accuracy, per-correct energy, gap ratios, real/synthetic time. */
export function printReal(doc: ResultDocument, output: RealRaceOutput): void {
  const real = (role: 'specialized' | 'general'): Workload | undefined => doc.workloads.find((w) => w.kind === 'real-model' && w.role === role && w.real?.executionProvider === 'webgpu');
  const replica = (role: 'specialized' | 'general'): Workload | undefined => doc.workloads.find((w) => w.kind === 'model' && w.role === role);
  console.log(`\nReal models (${output.webgpu.language}, task set ${output.taskSet.id} v${output.taskSet.version}, prompt ${output.webgpu.promptVersion}):`);
  for (const role of ['specialized', 'general'] as const) {
    const w = real(role);
    if (!w?.real) continue;
    const a = w.real.accuracy;
    const agree = w.real.agreement.measured ? `, agrees with WASM on ${w.real.agreement.agree}/${w.real.agreement.n}` : '';
    console.log(`  ${role.padEnd(11)} ${w.id}: accuracy ${a.correct}/${a.n} = ${((100 * a.correct) / a.n).toFixed(1)} % (95 % Wilson ${(100 * a.low).toFixed(1)}–${(100 * a.high).toFixed(1)} %), ${w.real.parseFailures} unparseable${agree}`);
    const rep = replica(role);
    const ratio = rep ? `; real/synthetic ${(w.real.sessionMedianMs / rep.timing.medianMs).toPrecision(3)}× (session ${w.real.sessionMedianMs.toPrecision(3)} ms vs replica ${rep.timing.medianMs.toPrecision(3)} ms)` : '';
    console.log(`  ${''.padEnd(11)} ${w.timing.medianMs.toPrecision(4)} ms/query (wall clock), tokens in ${w.real.tokens.inputMedian}, out ${w.real.tokens.outputMedian}${ratio}`);
  }
  const e = doc.energy;
  const s = real('specialized')?.real;
  const g = real('general')?.real;
  if (!e || !s || !g) {
    console.log('  Energy per correct answer: no energy estimate.');
    return;
  }
  const basis = `${e.perQuery.specialized.inputs?.workloadId ?? '?'}, ${e.perQuery.general.inputs?.workloadId ?? '?'}`;
  const prop = (x: typeof s.accuracy) => ({ correct: x.correct, rate: x.correct / x.n, low: x.low, high: x.high });
  for (const [role, rec] of [['specialized', s], ['general', g]] as const) {
    const q = e.perQuery[role].joules;
    const pc = perCorrect(q, prop(rec.accuracy));
    console.log(`  ${role.padEnd(11)} energy ${r3(q, ' J')}/query; ${pc.value ? `${r3(pc.value, ' J')}/correct answer` : `per correct answer: none (${pc.reason})`}`);
  }
  const gaps = gapRatios(e.ratio, prop(g.accuracy), prop(s.accuracy));
  console.log(`  gap ratio (general ÷ specialized) per query ${r3(gaps.perQuery, '×')}; per correct answer ${gaps.perCorrect.value ? r3(gaps.perCorrect.value, '×') : `none (${gaps.perCorrect.reason})`}`);
  console.log(`  (energy estimated from the timings of ${basis})`);
}
