/**
 * `npm run bench -- --out bench.json [--preset ci|quick|paper] [--real-gpu]`: cross-engine and
 * roofline ratios measured in one run in headless Chromium (see src/bench/bench.ts). A benchmark,
 * not a test: it reports ratios, it asserts nothing.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { chromiumArgs, findChromium } from './chromium.ts';
import { ensureBuilt, serveDist } from './serve-dist.ts';

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    preset: { type: 'string', multiple: true },
    'real-gpu': { type: 'boolean', default: false },
    timeout: { type: 'string', default: '1200' },
  },
});

async function main(): Promise<void> {
  const presets = values.preset?.length ? values.preset : ['ci'];
  await ensureBuilt();
  const server = await serveDist();
  const browser = await chromium.launch({ executablePath: findChromium(), args: chromiumArgs({ realGpu: values['real-gpu'] }), headless: true });
  const reports: unknown[] = [];
  try {
    for (const preset of presets) {
      const page = await browser.newPage();
      page.on('console', (m) => m.type() === 'error' && console.error(`[page] ${m.text()}`));
      await page.goto(`${server.url}bench.html?preset=${preset}`);
      const deadline = Date.now() + Number(values.timeout) * 1000;
      let printed = 0;
      for (;;) {
        const s = await page.evaluate(() => ({ r: window.__benchResult ?? null, e: window.__benchError ?? null, log: document.getElementById('log')?.textContent ?? '' }));
        const lines = s.log.split('\n');
        for (const l of lines.slice(printed)) console.log(l);
        printed = lines.length;
        if (s.e) throw new Error(s.e);
        if (s.r) {
          reports.push(s.r);
          break;
        }
        if (Date.now() > deadline) throw new Error(`bench timed out after ${values.timeout} s`);
        await new Promise((r) => setTimeout(r, 500));
      }
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const out = { generatedBy: 'npm run bench', reports };
  if (values.out) writeFileSync(values.out, `${JSON.stringify(out, null, 2)}\n`);
  else console.log(JSON.stringify(out, null, 2));
}

main().catch((e: unknown) => {
  console.error(`bench: ${(e as Error).message}`);
  process.exit(1);
});
