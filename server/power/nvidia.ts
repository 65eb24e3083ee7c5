/**
 * NVIDIA GPUs through nvidia-smi's CSV query interface: one query at start to list the GPUs and
 * check that power.draw is supported, then, while a recording runs, one long-lived
 * `nvidia-smi --query-gpu=power.draw --format=csv,noheader,nounits -i N -lms 100` whose lines are
 * the readings (board power, W).
 *
 * Where the driver offers it (Volta and newer), each GPU is also listed a second time as
 * `nvidia:N:energy`: the board's cumulative energy counter (`total_energy_consumption`, mJ since
 * the driver loaded), polled the same way and integrated as a counter. power.draw is, on recent
 * GPUs, an average over the last second; the counter's difference between two marks is the
 * energy itself, whatever the averaging. `nvidia:N` stays the default until a run on a real GPU
 * has compared the two (docs/validation.md); `--power-sensor nvidia:N:energy` chooses the counter.
 */
import { execFile, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { SAMPLE_PERIOD_MS, SensorError, type Sensor, type SensorInfo } from './sensor.ts';

const QUERY_TIMEOUT_MS = 5_000;

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ ok: true; stdout: string } | { ok: false; why: string }> {
  return new Promise((done) => {
    execFile(cmd, args, { timeout: QUERY_TIMEOUT_MS, env }, (err, stdout, stderr) => {
      if (!err) return done({ ok: true, stdout });
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return done({ ok: false, why: 'nvidia-smi is not on PATH (no NVIDIA driver installed)' });
      if (code === 'EACCES') return done({ ok: false, why: 'nvidia-smi is not executable by the server\'s user' });
      const detail = (stderr || err.message).trim().split('\n')[0]?.slice(0, 200) ?? '';
      done({ ok: false, why: `nvidia-smi failed: ${detail}` });
    });
  });
}

/** A watts field of nvidia-smi's CSV: a number, or "[N/A]" / "[Not Supported]" when the board has no sensor. */
export function parseWatts(field: string): number | null {
  const t = field.trim();
  if (!/^\d+(\.\d+)?$/.test(t)) return null;
  const w = Number(t);
  return Number.isFinite(w) && w >= 0 && w < 5_000 ? w : null;
}

/** A millijoules field of nvidia-smi's CSV (total_energy_consumption); null for "[N/A]", "[Not Supported]" or garbage. */
export function parseMillijoules(field: string): number | null {
  const t = field.trim();
  if (!/^\d+(\.\d+)?$/.test(t)) return null;
  const mj = Number(t);
  return Number.isFinite(mj) && mj < 1e18 ? mj : null;
}

/** Indices of the GPUs whose driver reports the energy counter (none when the field is unknown to this nvidia-smi). */
async function energyCounterGpus(env: NodeJS.ProcessEnv): Promise<Set<string>> {
  const res = await run('nvidia-smi', ['--query-gpu=index,total_energy_consumption', '--format=csv,noheader,nounits'], env);
  const out = new Set<string>();
  if (!res.ok) return out;
  for (const line of res.stdout.split('\n')) {
    const [index = '', mj = ''] = line.split(',').map((f) => f.trim());
    if (/^\d+$/.test(index) && parseMillijoules(mj) !== null) out.add(index);
  }
  return out;
}

/** The NVIDIA GPUs nvidia-smi lists, one sensor each (two with the energy counter); one unreadable entry when nvidia-smi is missing or fails. */
export async function detectNvidia(env: NodeJS.ProcessEnv = process.env): Promise<Sensor[]> {
  const cmd = 'nvidia-smi';
  const res = await run(cmd, ['--query-gpu=index,name,power.draw', '--format=csv,noheader,nounits'], env);
  const base = { coverage: 'gpu-board', reading: 'power', periodMs: SAMPLE_PERIOD_MS } as const;
  if (!res.ok) return [unreadable({ id: 'nvidia', name: 'NVIDIA GPU (nvidia-smi)', ...base, readable: false, why: res.why })];
  const sensors: Sensor[] = [];
  for (const line of res.stdout.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const [index = '', name = 'NVIDIA GPU', watts = ''] = line.split(',').map((f) => f.trim());
    if (!/^\d+$/.test(index)) continue;
    const info: SensorInfo = {
      id: `nvidia:${index}`,
      name: `${name.slice(0, 80)} (nvidia-smi)`,
      ...base,
      readable: parseWatts(watts) !== null,
      why: parseWatts(watts) === null ? `power.draw is not reported for this GPU (nvidia-smi says "${watts.slice(0, 40)}")` : null,
    };
    sensors.push(info.readable ? nvidiaSensor(info, index, env, 'power') : unreadable(info));
  }
  const counters = sensors.some((x) => x.info.readable) ? await energyCounterGpus(env) : new Set<string>();
  for (const power of [...sensors]) {
    const index = power.info.id.split(':')[1] ?? '';
    if (!power.info.readable || !counters.has(index)) continue;
    const info: SensorInfo = { ...power.info, id: `${power.info.id}:energy`, name: power.info.name.replace(/\(nvidia-smi\)$/, '(nvidia-smi energy counter)'), reading: 'energy' };
    sensors.push(nvidiaSensor(info, index, env, 'energy'));
  }
  if (sensors.length === 0) return [unreadable({ id: 'nvidia', name: 'NVIDIA GPU (nvidia-smi)', ...base, readable: false, why: 'nvidia-smi lists no GPU' })];
  return sensors;
}

export function unreadable(info: SensorInfo): Sensor {
  return {
    info,
    start(_onReading, onError) {
      queueMicrotask(() => onError(new SensorError(info.id, info.why ?? 'not readable')));
      return () => undefined;
    },
  };
}

/** What a sampling process prints: the board's power (W), or its energy counter (mJ). */
const FIELD = { power: 'power.draw', energy: 'total_energy_consumption' } as const;

function nvidiaSensor(info: SensorInfo, index: string, env: NodeJS.ProcessEnv, reading: keyof typeof FIELD): Sensor {
  return {
    info,
    start(onReading, onError) {
      let failed = false;
      const fail = (message: string) => {
        if (failed) return;
        failed = true;
        child.kill();
        onError(new SensorError(info.id, message));
      };
      const child = spawn('nvidia-smi', [`--query-gpu=${FIELD[reading]}`, '--format=csv,noheader,nounits', '-i', index, '-lms', String(SAMPLE_PERIOD_MS)], { env, stdio: ['ignore', 'pipe', 'ignore'] });
      child.on('error', (e) => fail(`nvidia-smi could not be started: ${e.message}`));
      child.on('exit', (code, signal) => {
        if (!stopped) fail(`nvidia-smi stopped answering (exit ${code ?? signal ?? '?'})`);
      });
      let stopped = false;
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (failed || stopped) return;
        const tMs = performance.now();
        if (reading === 'energy') {
          const mj = parseMillijoules(line);
          if (mj === null) return fail(`nvidia-smi returned "${line.trim().slice(0, 40)}" instead of millijoules`);
          return onReading({ kind: 'energy', tMs, joules: mj / 1000, wrapJ: null });
        }
        const w = parseWatts(line);
        if (w === null) return fail(`nvidia-smi returned "${line.trim().slice(0, 40)}" instead of watts`);
        onReading({ kind: 'power', tMs, watts: w });
      });
      return () => {
        stopped = true;
        child.kill();
      };
    },
  };
}
