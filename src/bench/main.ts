/** Bench page entry: runs the bench for `?preset=` and exposes the report for `npm run bench`. */
import { runBench } from './bench.ts';
import type { BenchReport } from './report.ts';

declare global {
  interface Window {
    __benchResult?: BenchReport;
    __benchError?: string;
  }
}

const log = document.getElementById('log');
const preset = new URLSearchParams(location.search).get('preset') ?? 'ci';
runBench(preset, (line) => {
  if (log) log.textContent += `\n${line}`;
})
  .then((r) => {
    window.__benchResult = r;
  })
  .catch((e: unknown) => {
    window.__benchError = `${(e as Error).name}: ${(e as Error).message}`;
    if (log) log.textContent += `\nFAILED: ${window.__benchError}`;
  });
