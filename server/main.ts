/**
 * `npm start`: serve the app and the results API. Environment: PORT (8787), HOST (127.0.0.1),
 * DATA_DIR (./data/db, PGlite), DATABASE_URL (PostgreSQL instead), RATE_LIMIT_PER_MINUTE,
 * RATE_LIMIT_BURST, RATE_LIMIT_PER_HOUR, SNAPSHOT_DIR (./data/snapshots; `off`: no daily snapshot,
 * none published), POWER (`off`: no power sensors are detected or served; see server/README.md),
 * MODELS_DIR (a local model folder served under /models/, see server/models.ts), TLS_CERT and
 * TLS_KEY (PEM files: serve HTTPS, which a classroom on the network needs for WebGPU).
 */
import { readFileSync } from 'node:fs';
import { startServer } from './app.ts';
import { DEFAULT_RATE_LIMIT } from './rate-limit.ts';

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    process.stderr.write(`${name} must be a non-negative integer, got "${raw}"\n`);
    process.exit(2);
  }
  return n;
}

const perMinute = positiveInt('RATE_LIMIT_PER_MINUTE', DEFAULT_RATE_LIMIT.perMinute);
const burst = positiveInt('RATE_LIMIT_BURST', DEFAULT_RATE_LIMIT.burst);
const perHour = positiveInt('RATE_LIMIT_PER_HOUR', DEFAULT_RATE_LIMIT.perHour ?? 0);
function tlsFiles(): { cert: Buffer; key: Buffer } | null {
  const cert = process.env.TLS_CERT;
  const key = process.env.TLS_KEY;
  if (!cert && !key) return null;
  if (!cert || !key) {
    process.stderr.write('TLS_CERT and TLS_KEY go together: give both PEM files, or neither\n');
    process.exit(2);
  }
  try {
    return { cert: readFileSync(cert), key: readFileSync(key) };
  } catch (e) {
    process.stderr.write(`cannot read the TLS files: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  }
}

const tls = tlsFiles();
const server = await startServer({
  ...(tls ? { tls } : {}),
  port: positiveInt('PORT', 8787),
  host: process.env.HOST || '127.0.0.1',
  dataDir: process.env.DATA_DIR || './data/db',
  ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}),
  ...(process.env.STATIC_DIR ? { staticDir: process.env.STATIC_DIR } : {}),
  ...(process.env.SNAPSHOT_DIR === 'off' ? {} : { snapshotDir: process.env.SNAPSHOT_DIR || './data/snapshots' }),
  log: process.env.LOG !== '0',
  ...(process.env.POWER === 'off' ? { power: false as const } : {}),
  ...(process.env.MODELS_DIR ? { modelsDir: process.env.MODELS_DIR } : {}),
  // RATE_LIMIT_PER_MINUTE=0 disables the limit (load benchmark); RATE_LIMIT_PER_HOUR=0 drops the hourly cap.
  rateLimit: perMinute === 0 ? false : { burst: Math.max(burst, 1), perMinute, ...(perHour > 0 ? { perHour } : {}) },
}).catch((err: unknown) => {
  process.stderr.write(`cannot start the server: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

process.stdout.write(`Frugal AI Lab listening on ${server.url}\n`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: shutting down\n`);
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
