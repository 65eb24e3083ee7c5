/**
 * `npm run bench -- --out bench.json [--preset ci|quick|paper]… [--repeat N] [--real-gpu]`:
 * the benchmark of src/bench/ in headless Chromium (the same worker-free engine and kernels as the
 * app), one report per preset, a printed table, and with `--repeat` the coefficient of variation
 * of each row's median across runs. A benchmark, not a test: it reports ratios against their
 * targets and asserts nothing.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { chromiumArgs, findChromium } from './chromium.ts';
import { ensureBuilt, serveDist } from './serve-dist.ts';
import { formatReport, medianCv, type BenchReport, type BenchRow } from '../src/bench/report.ts';

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    preset: { type: 'string', multiple: true },
    repeat: { type: 'string', default: '1' },
    'real-gpu': { type: 'boolean', default: false },
    timeout: { type: 'string', default: '1200' },
  },
});

async function runOnce(browser: Browser, url: string, preset: string): Promise<BenchReport> {
  const page = await browser.newPage();
  page.on('console', (m) => m.type() === 'error' && console.error(`[page] ${m.text()}`));
  try {
    await page.goto(`${url}bench.html?preset=${preset}`);
    const deadline = Date.now() + Number(values.timeout) * 1000;
    let printed = 0;
    for (;;) {
      const s = await page.evaluate(() => ({ r: window.__benchResult ?? null, e: window.__benchError ?? null, log: document.getElementById('log')?.textContent ?? '' }));
      const lines = s.log.split('\n');
      for (const l of lines.slice(printed)) if (l) console.error(`  ${l}`);
      printed = lines.length;
      if (s.e) throw new Error(s.e);
      if (s.r) return s.r;
      if (Date.now() > deadline) throw new Error(`bench timed out after ${values.timeout} s`);
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await page.close();
  }
}

function rowKey(r: BenchRow): string {
  switch (r.kind) {
    case 'gemm':
    case 'gemv':
      return `${r.kind} ${r.shape.m}×${r.shape.k}×${r.shape.n}`;
    case 'model':
      return `model ${r.model} ${r.phase}`;
    case 'decode':
      return `decode ${r.model}`;
    case 'splitk':
      return `splitk ${r.shape.m}×${r.shape.k}×${r.shape.n} S=${r.splitK}`;
    case 'gemv-reduction':
      return `gemv ${r.reduction} ${r.shape.m}×${r.shape.k}×${r.shape.n}`;
  }
}

function rowMedianMs(r: BenchRow): number {
  switch (r.kind) {
    case 'gemm':
    case 'gemv':
    case 'splitk':
      return r.oursKernelMs;
    case 'model':
      return r.oursWallMs;
    case 'decode':
      return r.msPerToken;
    case 'gemv-reduction':
      return r.kernelMs;
  }
}

/** Per row: the CV of our median across the repeated runs (target ≤ 3 %). */
function repeatability(runs: readonly BenchReport[]): Record<string, number | null> {
  const byRow = new Map<string, number[]>();
  for (const run of runs) for (const r of run.rows) byRow.set(rowKey(r), [...(byRow.get(rowKey(r)) ?? []), rowMedianMs(r)]);
  return Object.fromEntries([...byRow].map(([k, ms]) => [k, medianCv(ms)]));
}

async function main(): Promise<void> {
  const presets = values.preset?.length ? values.preset : ['ci'];
  const repeat = Math.max(1, Number.parseInt(values.repeat ?? '1', 10) || 1);
  await ensureBuilt();
  const server = await serveDist();
  const browser = await chromium.launch({ executablePath: findChromium(), args: chromiumArgs({ realGpu: values['real-gpu'] }), headless: true });
  const out: { generatedBy: string; reports: BenchReport[]; repeatability: Record<string, Record<string, number | null>> } = {
    generatedBy: 'npm run bench',
    reports: [],
    repeatability: {},
  };
  try {
    for (const preset of presets) {
      const runs: BenchReport[] = [];
      for (let i = 0; i < repeat; i++) {
        console.error(`bench: preset ${preset}, run ${i + 1}/${repeat}`);
        runs.push(await runOnce(browser, server.url, preset));
      }
      out.reports.push(runs[0]!);
      console.log(formatReport(runs[0]!));
      if (repeat > 1) {
        const cv = repeatability(runs);
        out.repeatability[preset] = cv;
        console.log(`repeatability over ${repeat} runs (CV of the medians; target ≤ 3 %):`);
        for (const [k, v] of Object.entries(cv)) console.log(`  ${k.padEnd(28)} ${v === null ? '—' : `${(v * 100).toFixed(2)} %`}${v !== null && v > 0.03 ? ' · NOT met' : ''}`);
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  if (values.out) writeFileSync(values.out, `${JSON.stringify(out, null, 2)}\n`);
}

main().catch((e: unknown) => {
  console.error(`bench: ${(e as Error).message}`);
  process.exit(1);
});
