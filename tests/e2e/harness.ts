/**
 * What every end-to-end file starts with: the production path (the built app behind the same
 * server `npm start` runs: CSP, isolation headers, PGlite in a throwaway folder) and one headless
 * Chromium with WebGPU on SwiftShader. Call at the top of a test file; read `url` and `browser`
 * inside tests and hooks registered after it.
 */
import { afterAll, beforeAll } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromiumArgs, findChromium } from '../../scripts/chromium.ts';
import { ensureBuilt } from '../../scripts/serve-dist.ts';
import { startServer, type RunningServer } from '../../server/app.ts';
import { fixtureTree } from '../../src/engine/realmodels/fixtures.ts';
import { DEFAULT_CLASSIFIER_ID, DEFAULT_GENERATOR_ID } from '../../src/lab/model-files.ts';

export interface E2eApp {
  readonly url: string;
  readonly browser: Browser;
}

/** `modelsDir`: a local model folder the server serves under /models/ (as MODELS_DIR does); it may be filled by an earlier beforeAll. */
export function useBuiltApp(name: string, opts: { modelsDir?: string } = {}): E2eApp {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), `fal-e2e-${name}-`));
  beforeAll(async () => {
    await ensureBuilt(true);
    server = await startServer({ port: 0, dataDir, staticDir: 'dist', log: false, ...(opts.modelsDir ? { modelsDir: opts.modelsDir } : {}) });
    browser = await chromium.launch({ executablePath: findChromium(), args: chromiumArgs(), headless: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const started = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new Error(`e2e harness: ${what} is not started yet (read it inside a test or a later hook)`);
    return v;
  };
  return {
    get url() {
      return started(server, 'the server').url;
    },
    get browser() {
      return started(browser, 'the browser');
    },
  };
}

/**
 * A model folder holding the fixture classifier and generator under the default ids, written
 * before the file's tests and removed after them: pass it to useBuiltApp as `modelsDir` (call this
 * first, so the folder is filled before the server starts).
 */
export function useFixtureModels(name: string): string {
  const modelsDir = mkdtempSync(join(tmpdir(), `fal-e2e-${name}-models-`));
  beforeAll(() => {
    for (const [path, data] of fixtureTree({ classifier: DEFAULT_CLASSIFIER_ID, generator: DEFAULT_GENERATOR_ID })) {
      const file = join(modelsDir, ...path.split('/'));
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, data);
    }
  });
  afterAll(() => rmSync(modelsDir, { recursive: true, force: true }));
  return modelsDir;
}
