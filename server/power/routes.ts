/**
 * /api/power: the sensors this machine offers, and recordings of one of them between marks.
 *
 *   GET    /api/power                          → { sensors: SensorInfo[] }
 *   POST   /api/power/recordings { sensor }    → 201 RecordingSummary (sampling starts)
 *   POST   /api/power/recordings/:id/marks { name } → the mark, stamped with the server's clock
 *   GET    /api/power/recordings/:id           → RecordingSummary (windows between marks)
 *   DELETE /api/power/recordings/:id           → the final RecordingSummary (sampling stops)
 *
 * Recordings start processes and timers on this machine, so they answer only to the machine
 * itself (a loopback peer): a server exposed to a network lists its sensors but lets nobody
 * else sample them.
 */
import { Hono, type Context } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { detectNvidia } from './nvidia.ts';
import { detectHwmon, detectRapl, type ReadText } from './sysfs.ts';
import { detectPowermetrics } from './powermetrics.ts';
import { MAX_RECORDINGS, Recording } from './recordings.ts';
import type { Sensor } from './sensor.ts';

export interface PowerOptions {
  /** Root of sysfs (tests point it at a fixture). */
  sysfsRoot?: string;
  /** How sysfs files are read (tests inject a permission error: as root, chmod cannot). */
  readSysfs?: ReadText;
  /** Environment of the sensor tools (PATH: tests put a fake nvidia-smi first). */
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}

/** Every sensor of this machine, readable or not (the listing says why not). */
export async function detectSensors(opts: PowerOptions = {}): Promise<Sensor[]> {
  const platform = opts.platform ?? process.platform;
  const env = opts.env ?? process.env;
  const sensors = [...(await detectNvidia(env))];
  if (platform === 'linux') sensors.push(...detectHwmon(opts.sysfsRoot, opts.readSysfs), ...detectRapl(opts.sysfsRoot, opts.readSysfs));
  if (platform === 'darwin') sensors.push(...(await detectPowermetrics(env)));
  return sensors;
}

type Env = { Bindings: HttpBindings };

const isLoopback = (address: string | undefined): boolean =>
  address === '::1' || (address?.startsWith('127.') ?? false) || (address?.startsWith('::ffff:127.') ?? false);
const LOCAL_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])(:\d{1,5})?$/i;

/**
 * Whether a request comes from this machine's own page: a loopback peer, no proxy in between
 * (behind a reverse proxy every visitor arrives from 127.0.0.1, and the proxy says so in these
 * headers), addressed to a local host name (a DNS-rebinding page names its own host), and, when
 * a browser says where the page comes from, a local origin.
 */
function fromThisMachine(c: Context<Env>): boolean {
  if (!isLoopback(getConnInfo(c).remote.address)) return false;
  if (['forwarded', 'x-forwarded-for', 'x-real-ip', 'x-forwarded-host'].some((h) => c.req.header(h) !== undefined)) return false;
  if (!LOCAL_HOST.test(c.req.header('host') ?? '')) return false;
  const origin = c.req.header('origin');
  return origin === undefined || /^https?:\/\/(localhost|127(?:\.\d{1,3}){3}|\[::1\])(:\d{1,5})?$/i.test(origin);
}

async function jsonBody(c: Context<Env>): Promise<Record<string, unknown> | null> {
  // application/json only: a page elsewhere can send text/plain without a CORS preflight.
  if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) return null;
  try {
    const v: unknown = await c.req.json();
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** How long a new recording may wait for its sensor's first reading. */
const FIRST_READING_MS = 5_000;

export function powerRoutes(sensors: Promise<Sensor[]>): { app: Hono<Env>; close(): void } {
  const app = new Hono<Env>();
  const recordings = new Map<string, Recording>();
  const err = (c: Context<Env>, status: 400 | 403 | 404 | 409 | 429 | 504, error: string) => c.json({ error }, status);

  // The listing names the machine's GPUs: it too answers only to the machine itself.
  const localOnly = async (c: Context<Env>, next: () => Promise<void>) => {
    if (!fromThisMachine(c)) return err(c, 403, 'the power sensors answer only to this machine (open the page served by npm start on it, not through a proxy)');
    await next();
    return undefined;
  };
  app.use('*', localOnly);

  app.get('/', async (c) => c.json({ sensors: (await sensors).map((s) => s.info) }));

  app.post('/recordings', async (c) => {
    const body = await jsonBody(c);
    const id = typeof body?.['sensor'] === 'string' ? body['sensor'] : null;
    if (id === null) return err(c, 400, 'body must be JSON { "sensor": "<id from GET /api/power>" } sent as application/json');
    const sensor = (await sensors).find((s) => s.info.id === id);
    if (!sensor) return err(c, 404, 'no such sensor on this machine (see GET /api/power)');
    if (!sensor.info.readable) return err(c, 409, `${sensor.info.name} cannot be read: ${sensor.info.why ?? 'unknown reason'}`);
    if ([...recordings.values()].filter((r) => r.state === 'recording').length >= MAX_RECORDINGS) return err(c, 429, `at most ${MAX_RECORDINGS} recordings at once`);
    // Counted from now on (requests in flight included), so parallel starts cannot exceed the limit.
    const rec = new Recording(sensor, (r) => recordings.delete(r.id));
    recordings.set(rec.id, rec);
    // Answer once the sensor has given its first reading, so that a mark posted next falls
    // inside the trace.
    if (!(await rec.ready(FIRST_READING_MS))) {
      rec.stop();
      recordings.delete(rec.id);
      return c.json({ error: rec.error ?? `${sensor.info.name} gave no reading within ${FIRST_READING_MS / 1000} s` }, 504);
    }
    return c.json(rec.summary(), 201);
  });

  app.post('/recordings/:id/marks', async (c) => {
    const rec = recordings.get(c.req.param('id'));
    if (!rec) return err(c, 404, 'no such recording (stopped after 15 minutes?)');
    const body = await jsonBody(c);
    const name = body?.['name'];
    if (typeof name !== 'string' || !/^[a-z0-9:._-]{1,48}$/.test(name)) return err(c, 400, 'name must be 1–48 of a-z 0-9 : . _ -');
    const mark = rec.mark(name);
    return mark ? c.json(mark) : err(c, 409, 'too many marks on this recording');
  });

  app.get('/recordings/:id', (c) => {
    const rec = recordings.get(c.req.param('id'));
    return rec ? c.json(rec.summary()) : err(c, 404, 'no such recording');
  });

  app.delete('/recordings/:id', (c) => {
    const rec = recordings.get(c.req.param('id'));
    if (!rec) return err(c, 404, 'no such recording');
    rec.stop();
    recordings.delete(rec.id);
    return c.json(rec.summary());
  });

  return {
    app,
    close() {
      for (const r of recordings.values()) r.stop();
      recordings.clear();
    },
  };
}
