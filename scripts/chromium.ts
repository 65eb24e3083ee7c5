/**
 * Where the system Chromium lives and how to start it with WebGPU on a machine without a GPU
 * (SwiftShader). Shared by vitest browser mode, the e2e tests, `lab` and `bench`.
 */
import { existsSync } from 'node:fs';

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

const INSTALL_HINT =
  'Install it (Debian/Ubuntu: `sudo apt-get install -y chromium`) or point CHROMIUM_PATH at a Chromium/Chrome binary.';

export class ChromiumNotFoundError extends Error {
  override name = 'ChromiumNotFoundError';
}

export type ChromiumLookup = { ok: true; path: string } | { ok: false; error: ChromiumNotFoundError };

/** Where Chromium is, or why it cannot be found; never throws (the vitest config calls it at load). */
export function locateChromium(env: NodeJS.ProcessEnv = process.env): ChromiumLookup {
  const fromEnv = env['CHROMIUM_PATH'];
  if (fromEnv) {
    return existsSync(fromEnv)
      ? { ok: true, path: fromEnv }
      : { ok: false, error: new ChromiumNotFoundError(`CHROMIUM_PATH=${fromEnv} does not exist. ${INSTALL_HINT}`) };
  }
  const found = CANDIDATES.find((p) => existsSync(p));
  return found ? { ok: true, path: found } : { ok: false, error: new ChromiumNotFoundError(`No Chromium found. ${INSTALL_HINT}`) };
}

/** The Chromium binary for the tools that need one now; throws ChromiumNotFoundError with what to install. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const found = locateChromium(env);
  if (!found.ok) throw found.error;
  return found.path;
}

/** Software WebGPU (SwiftShader) unless the caller asks for the real GPU. */
export function chromiumArgs(opts: { realGpu?: boolean } = {}): string[] {
  const args = [
    '--enable-unsafe-webgpu',
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-dev-shm-usage',
  ];
  if (!opts.realGpu) args.push('--use-webgpu-adapter=swiftshader');
  return args;
}
