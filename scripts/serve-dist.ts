/**
 * Serves the built app on loopback for the headless CLIs (lab, bench) with the cross-origin
 * isolation headers the app needs, building it first when dist/ is missing or stale.
 */
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { preview, type Plugin, type PreviewServer } from 'vite';
import { modelsRoutes } from '../server/models.ts';

export async function ensureBuilt(quiet = false): Promise<void> {
  // Same staleness rule as `npm start`.
  execSync('node scripts/ensure-build.mjs', { stdio: quiet ? 'ignore' : ['ignore', 'inherit', 'inherit'] });
  if (!existsSync('dist/index.html')) throw new Error('The build did not produce dist/index.html.');
}

/**
 * `modelsDir`: a local model folder served under `/models/` by the production server's own
 * handler (server/models.ts: byte ranges, ETags), on the same origin as the app.
 */
export async function serveDist(opts: { modelsDir?: string } = {}): Promise<{ url: string; close(): Promise<void> }> {
  const plugins: Plugin[] = [];
  if (opts.modelsDir) {
    const listener = getRequestListener(modelsRoutes(resolve(opts.modelsDir)).fetch);
    plugins.push({
      name: 'lab-models-dir',
      configurePreviewServer(server) {
        server.middlewares.use((req, res, next) => {
          if (req.url?.startsWith('/models/')) void listener(req, res);
          else next();
        });
      },
    });
  }
  const server: PreviewServer = await preview({ preview: { port: 0, host: '127.0.0.1', strictPort: false, open: false }, logLevel: 'silent', plugins });
  const addr = server.httpServer.address();
  if (!addr || typeof addr === 'string') throw new Error('preview server has no address');
  return {
    url: `http://127.0.0.1:${addr.port}/`,
    close: () => new Promise<void>((resolve) => server.httpServer.close(() => resolve())),
  };
}
