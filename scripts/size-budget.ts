/**
 * The initial-JavaScript budget of `#/`: what a visitor's browser must fetch and parse before the
 * first view renders. onnxruntime-web, its wasm, the worker and the views a visitor opens later are
 * loaded on demand and do not count; the entry script and the modules Vite preloads beside it do.
 *
 * `npm run size` prints the table; tests/e2e/size-budget.test.ts fails the suite over budget
 * (it runs after `vite build`, on the same dist/ a visitor gets).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** 150 KB of gzip-compressed JavaScript for `#/`. */
export const INITIAL_JS_BUDGET_BYTES = 150 * 1024;

export class BuildMissingError extends Error {
  override name = 'BuildMissingError';
}

/** The scripts `index.html` makes the browser fetch at once: the module entry and its preloads. */
export function initialScripts(indexHtml: string): string[] {
  const found = new Set<string>();
  for (const m of indexHtml.matchAll(/<script\b[^>]*\btype="module"[^>]*\bsrc="([^"]+)"/g)) found.add(m[1]!);
  for (const m of indexHtml.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g)) found.add(m[1]!);
  return [...found].filter((src) => src.endsWith('.js'));
}

export interface InitialJsSize {
  files: { path: string; bytes: number; gzipBytes: number }[];
  gzipBytes: number;
  budgetBytes: number;
  withinBudget: boolean;
}

/** Measures dist/'s initial JavaScript, compressed as our server sends it (gzip, default level). */
export function measureInitialJs(distDir: string): InitialJsSize {
  let html: string;
  try {
    html = readFileSync(join(distDir, 'index.html'), 'utf8');
  } catch {
    throw new BuildMissingError(`no ${join(distDir, 'index.html')}: run \`npx vite build\` first`);
  }
  const files = initialScripts(html).map((src) => {
    const body = readFileSync(join(distDir, src.replace(/^\.?\//, '')));
    return { path: src, bytes: body.length, gzipBytes: gzipSync(body).length };
  });
  const gzipBytes = files.reduce((sum, f) => sum + f.gzipBytes, 0);
  return { files, gzipBytes, budgetBytes: INITIAL_JS_BUDGET_BYTES, withinBudget: gzipBytes <= INITIAL_JS_BUDGET_BYTES };
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const size = measureInitialJs(process.argv[2] ?? 'dist');
  for (const f of size.files) console.log(`${f.path.padEnd(48)} ${kb(f.bytes).padStart(10)} ${kb(f.gzipBytes).padStart(10)} gzip`);
  console.log(`initial JavaScript for #/: ${kb(size.gzipBytes)} gzip of ${kb(size.budgetBytes)} budget — ${size.withinBudget ? 'within' : 'OVER'} budget`);
  process.exitCode = size.withinBudget ? 0 : 1;
}
