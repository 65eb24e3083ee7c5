// Power sensors of the local server, through their real parsers fed by fakes: a fake
// `nvidia-smi` executable on PATH that plays a known power trace, and a sysfs fixture (hwmon,
// powercap RAPL). Real HTTP, real child processes, real files.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startServer, type RunningServer } from '../../server/app.ts';
import type { RecordingSummary } from '../../server/power/recordings.ts';
import type { SensorInfo } from '../../server/power/sensor.ts';
import { chooseSensor } from '../../src/shared/power.ts';
import { tempDir } from './helpers.ts';
import { installFakeNvidiaSmi, type FakeNvidiaSmi } from './fake-nvidia-smi.ts';

const tmp = tempDir('power-');
const sys = join(tmp.path, 'sys');

let nvidia: FakeNvidiaSmi;

function fixture(): void {
  nvidia = installFakeNvidiaSmi(tmp.path);
  const hw = join(sys, 'class/hwmon/hwmon2');
  mkdirSync(hw, { recursive: true });
  writeFileSync(join(hw, 'name'), 'amdgpu\n');
  writeFileSync(join(hw, 'power1_average'), '45000000\n'); // µW: 45 W
  mkdirSync(join(sys, 'class/hwmon/hwmon0'), { recursive: true });
  writeFileSync(join(sys, 'class/hwmon/hwmon0/name'), 'coretemp\n'); // not a power sensor
  for (const zone of ['intel-rapl:0', 'intel-rapl:1']) {
    const d = join(sys, 'class/powercap', zone);
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'name'), zone === 'intel-rapl:0' ? 'package-0\n' : 'package-1\n');
    writeFileSync(join(d, 'energy_uj'), '1000000\n');
    writeFileSync(join(d, 'max_energy_range_uj'), '262143328850\n');
  }
}

/** The power trace the fake nvidia-smi plays from its next start. */
const playTrace = (trace: string) => nvidia.play(trace.split(' '));
/** As root, chmod cannot make a file unreadable: inject the EACCES the kernel gives a normal user. */
const readSysfs = (path: string): string => {
  if (path.endsWith('intel-rapl:1/energy_uj')) throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
  return readFileSync(path, 'utf8');
};

async function api<T>(base: string, path: string, init?: { method?: string; body?: unknown }): Promise<{ status: number; json: T }> {
  const res = await fetch(`${base}/api/power${path}`, {
    method: init?.method ?? 'GET',
    ...(init?.body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.body) } : {}),
  });
  return { status: res.status, json: (await res.json()) as T };
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts a recording of `sensor`, lets the fake play its trace for 700 ms, and reads the recording back. */
async function recordBriefly(base: string, sensor: string): Promise<RecordingSummary> {
  const rec = await api<RecordingSummary>(base, '/recordings', { method: 'POST', body: { sensor } });
  await sleep(700);
  return (await api<RecordingSummary>(base, `/recordings/${rec.json.id}`)).json;
}

async function server(withNvidia: boolean): Promise<RunningServer> {
  return startServer({ port: 0, dataDir: join(tmp.path, `db-${Math.random().toString(36).slice(2)}`), log: false, power: { env: nvidia.env(withNvidia), platform: 'linux', sysfsRoot: sys, readSysfs } });
}


let s: RunningServer;
beforeAll(async () => {
  fixture();
  playTrace('123.40');
  s = await server(true);
});
afterAll(async () => {
  await s.close();
  tmp.remove();
});

describe('sensors listed at GET /api/power', () => {

  test('NVIDIA, AMD hwmon and RAPL, each with what it covers, its period and whether it is readable', async () => {
    const { status, json } = await api<{ sensors: SensorInfo[] }>(s.url, '');
    expect(status).toBe(200);
    const byId = new Map(json.sensors.map((x) => [x.id, x]));
    expect([...byId.keys()].sort()).toEqual(['hwmon:hwmon2', 'nvidia:0', 'rapl:intel-rapl:0', 'rapl:intel-rapl:1']);
    expect(byId.get('nvidia:0')).toEqual({ id: 'nvidia:0', name: 'NVIDIA H200 (nvidia-smi)', coverage: 'gpu-board', reading: 'power', periodMs: 100, readable: true, why: null });
    expect(byId.get('hwmon:hwmon2')).toMatchObject({ coverage: 'gpu-board', reading: 'power', readable: true });
    expect(byId.get('rapl:intel-rapl:0')).toMatchObject({ name: 'CPU package-0 (RAPL)', coverage: 'cpu-package', reading: 'energy', readable: true });
    expect(byId.get('rapl:intel-rapl:1')).toMatchObject({ readable: false, why: expect.stringMatching(/^permission denied: energy_uj is readable by root only.*chmod o\+r/) as unknown });
  });

  test('a constant 123.4 W between two marks: mean 123.4 W and joules = W × the window', async () => {
    const rec = await api<RecordingSummary>(s.url, '/recordings', { method: 'POST', body: { sensor: 'nvidia:0' } });
    expect(rec.status).toBe(201);
    await sleep(400);
    expect((await api(s.url, `/recordings/${rec.json.id}/marks`, { method: 'POST', body: { name: 'start' } })).status).toBe(200);
    await sleep(1200);
    await api(s.url, `/recordings/${rec.json.id}/marks`, { method: 'POST', body: { name: 'end' } });
    await sleep(250);
    const done = await api<RecordingSummary>(s.url, `/recordings/${rec.json.id}`, { method: 'DELETE' });
    expect(done.json.state).toBe('stopped');
    const w = done.json.windows[0]!;
    if ('error' in w) throw new Error(w.error);
    expect(w.meanWatts).toBeCloseTo(123.4, 6);
    expect(w.joules).toBeCloseTo(123.4 * w.seconds, 6);
    expect(w.seconds).toBeGreaterThan(1.1);
    expect(w.samples).toBeGreaterThanOrEqual(8);
    expect((await api(s.url, `/recordings/${rec.json.id}`)).status).toBe(404);
  });

  test('AMD hwmon power1_average in µW reads as watts', async () => {
    const rec = await api<RecordingSummary>(s.url, '/recordings', { method: 'POST', body: { sensor: 'hwmon:hwmon2' } });
    await sleep(150);
    await api(s.url, `/recordings/${rec.json.id}/marks`, { method: 'POST', body: { name: 'a' } });
    await sleep(350);
    await api(s.url, `/recordings/${rec.json.id}/marks`, { method: 'POST', body: { name: 'b' } });
    await sleep(150);
    const w = (await api<RecordingSummary>(s.url, `/recordings/${rec.json.id}`, { method: 'DELETE' })).json.windows[0]!;
    if ('error' in w) throw new Error(w.error);
    expect(w.meanWatts).toBeCloseTo(45, 9);
  });

  test('bad requests name the problem', async () => {
    expect(await api(s.url, '/recordings', { method: 'POST', body: { sensor: 'rapl:intel-rapl:1' } })).toEqual({ status: 409, json: { error: expect.stringMatching(/cannot be read: permission denied/) as unknown } });
    expect((await api(s.url, '/recordings', { method: 'POST', body: { sensor: 'nope' } })).status).toBe(404);
    expect((await api(s.url, '/recordings', { method: 'POST', body: {} })).status).toBe(400);
    const rec = await api<RecordingSummary>(s.url, '/recordings', { method: 'POST', body: { sensor: 'nvidia:0' } });
    expect((await api(s.url, `/recordings/${rec.json.id}/marks`, { method: 'POST', body: { name: '<b>x</b>' } })).status).toBe(400);
    await api(s.url, `/recordings/${rec.json.id}`, { method: 'DELETE' });
  });
});

describe('page and server clocks never need to agree', () => {
  test('a mark is stamped with the server\'s clock on arrival; a time the page sends is ignored', async () => {
    const rec = await api<RecordingSummary>(s.url, '/recordings', { method: 'POST', body: { sensor: 'hwmon:hwmon2' } });
    // The server runs in this process: its monotonic clock is this one.
    const before = performance.now();
    const mark = await api<{ name: string; tMs: number }>(s.url, `/recordings/${rec.json.id}/marks`, { method: 'POST', body: { name: 'idle:start', tMs: 1e12 } });
    const after = performance.now();
    expect(mark.json.name).toBe('idle:start');
    expect(mark.json.tMs).toBeGreaterThanOrEqual(before);
    expect(mark.json.tMs).toBeLessThanOrEqual(after);
    await api(s.url, `/recordings/${rec.json.id}`, { method: 'DELETE' });
  });
});

describe('NVIDIA\'s energy counter, where the driver offers it', () => {
  let counter: RunningServer;
  beforeAll(async () => {
    counter = await startServer({ port: 0, dataDir: join(tmp.path, 'db-counter'), log: false, power: { env: nvidia.env(true, true), platform: 'linux', sysfsRoot: sys, readSysfs } });
  });
  afterAll(() => counter.close());

  test('listed beside power.draw as nvidia:0:energy; power.draw stays the default', async () => {
    const { json } = await api<{ sensors: SensorInfo[] }>(counter.url, '');
    const byId = new Map(json.sensors.map((x) => [x.id, x]));
    expect(byId.get('nvidia:0')).toMatchObject({ reading: 'power', readable: true });
    expect(byId.get('nvidia:0:energy')).toEqual({ id: 'nvidia:0:energy', name: 'NVIDIA H200 (nvidia-smi energy counter)', coverage: 'gpu-board', reading: 'energy', periodMs: 100, readable: true, why: null });
    expect(chooseSensor(json.sensors, 'nvidia')?.id).toBe('nvidia:0');
    // Without the counter (an older GPU or driver), only power.draw.
    expect((await api<{ sensors: SensorInfo[] }>(s.url, '')).json.sensors.some((x) => x.id === 'nvidia:0:energy')).toBe(false);
  });

  test('a constant 123.4 W played as a counter in mJ: the difference between the marks gives 123.4 W', async () => {
    playTrace('123.4');
    const rec = await api<RecordingSummary>(counter.url, '/recordings', { method: 'POST', body: { sensor: 'nvidia:0:energy' } });
    expect(rec.status).toBe(201);
    await sleep(300);
    await api(counter.url, `/recordings/${rec.json.id}/marks`, { method: 'POST', body: { name: 'start' } });
    await sleep(1500);
    await api(counter.url, `/recordings/${rec.json.id}/marks`, { method: 'POST', body: { name: 'end' } });
    await sleep(250);
    const done = (await api<RecordingSummary>(counter.url, `/recordings/${rec.json.id}`, { method: 'DELETE' })).json;
    const w = done.windows[0]!;
    if ('error' in w) throw new Error(w.error);
    // Exact in the counter; the readings are stamped when they arrive, so a late line skews the
    // slope a little: within 2 % over 1.5 s.
    expect(Math.abs(w.meanWatts - 123.4) / 123.4).toBeLessThan(0.02);
    expect(w.joules).toBeCloseTo(w.meanWatts * w.seconds, 9);
    expect(w.samples).toBeGreaterThanOrEqual(10);
  });

  test('garbage from the counter: the recording fails and says so', async () => {
    playTrace('100 100 100 garbage');
    const sum = await recordBriefly(counter.url, 'nvidia:0:energy');
    expect(sum.state).toBe('failed');
    expect(sum.error).toBe('nvidia:0:energy: nvidia-smi returned "garbage" instead of millijoules');
    expect(sum.readings).toBe(3);
    await api(counter.url, `/recordings/${sum.id}`, { method: 'DELETE' });
  });
});

/** A raw HTTP request (fetch cannot set Host), answering the status. */
function rawStatus(url: string, path: string, headers: Record<string, string>, method = 'GET', body?: string): Promise<number> {
  const u = new URL(url);
  return new Promise((done, fail) => {
    const req = request({ host: u.hostname, port: u.port, path: `/api/power${path}`, method, headers }, (res) => {
      res.resume();
      done(res.statusCode ?? 0);
    });
    req.on('error', fail);
    req.end(body);
  });
}

describe('only this machine may read or sample its sensors', () => {
  test('through a proxy, under another host name, from another origin, or as a simple (text/plain) request: refused', async () => {
    expect(await rawStatus(s.url, '', {})).toBe(200);
    expect(await rawStatus(s.url, '', { 'x-forwarded-for': '203.0.113.7' })).toBe(403);
    expect(await rawStatus(s.url, '', { forwarded: 'for=203.0.113.7' })).toBe(403);
    expect(await rawStatus(s.url, '', { host: 'evil.example' })).toBe(403);
    expect(await rawStatus(s.url, '', { origin: 'https://evil.example' })).toBe(403);
    expect(await rawStatus(s.url, '/recordings', { 'content-type': 'text/plain' }, 'POST', JSON.stringify({ sensor: 'nvidia:0' }))).toBe(400);
  });

  test('the open dataset is readable from anywhere; the power sensors are not', async () => {
    const stats = await fetch(`${s.url}/api/stats`);
    expect(stats.headers.get('access-control-allow-origin')).toBe('*');
    expect(stats.headers.get('access-control-expose-headers')).toBe('ETag, Content-Disposition, X-Schema-Version');
    const power = await fetch(`${s.url}/api/power`);
    expect(power.status).toBe(200);
    expect(power.headers.get('access-control-allow-origin')).toBeNull();
    expect(power.headers.get('cross-origin-resource-policy')).toBe('same-origin');
  });

  test('parallel starts cannot exceed the limit of recordings at once', async () => {
    const starts = await Promise.all(Array.from({ length: 8 }, () => api<RecordingSummary>(s.url, '/recordings', { method: 'POST', body: { sensor: 'hwmon:hwmon2' } })));
    expect(starts.filter((r) => r.status === 201)).toHaveLength(4);
    expect(starts.filter((r) => r.status === 429)).toHaveLength(4);
    for (const r of starts) if (r.status === 201) await api(s.url, `/recordings/${r.json.id}`, { method: 'DELETE' });
  });
});

describe('a sensor that fails mid-run, or is absent', () => {
  test('garbage after three readings: the recording fails with the reason, the readings before it stay', async () => {
    playTrace('100 100 100 garbage');
    const sum = await recordBriefly(s.url, 'nvidia:0');
    expect(sum.state).toBe('failed');
    expect(sum.error).toBe('nvidia:0: nvidia-smi returned "garbage" instead of watts');
    expect(sum.readings).toBe(3);
  });

  test('nvidia-smi that stops answering', async () => {
    playTrace('100 100 exit');
    const sum = await recordBriefly(s.url, 'nvidia:0');
    expect(sum.state).toBe('failed');
    expect(sum.error).toMatch(/nvidia-smi stopped answering \(exit 3\)/);
  });

  test('no nvidia-smi on PATH: listed as unreadable with the reason; recording refused', async () => {
    const none = await server(false);
    try {
      const { json } = await api<{ sensors: SensorInfo[] }>(none.url, '');
      expect(json.sensors.find((x) => x.id === 'nvidia')).toMatchObject({ readable: false, why: 'nvidia-smi is not on PATH (no NVIDIA driver installed)' });
      expect((await api(none.url, '/recordings', { method: 'POST', body: { sensor: 'nvidia' } })).status).toBe(409);
    } finally {
      await none.close();
    }
  });
});
