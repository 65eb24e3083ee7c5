/**
 * Serves the built app on loopback for the headless CLIs (lab, bench) with the cross-origin
 * isolation headers the app needs, building it first when dist/ is missing or stale.
 */
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { preview, type PreviewServer } from 'vite';

export async function ensureBuilt(quiet = false): Promise<void> {
  // Same staleness rule as `npm start`.
  execSync('node scripts/ensure-build.mjs', { stdio: quiet ? 'ignore' : ['ignore', 'inherit', 'inherit'] });
  if (!existsSync('dist/index.html')) throw new Error('The build did not produce dist/index.html.');
}

export async function serveDist(): Promise<{ url: string; close(): Promise<void> }> {
  const server: PreviewServer = await preview({ preview: { port: 0, host: '127.0.0.1', strictPort: false, open: false }, logLevel: 'silent' });
  const addr = server.httpServer.address();
  if (!addr || typeof addr === 'string') throw new Error('preview server has no address');
  return {
    url: `http://127.0.0.1:${addr.port}/`,
    close: () => new Promise<void>((resolve) => server.httpServer.close(() => resolve())),
  };
}
