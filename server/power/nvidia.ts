/**
 * NVIDIA GPUs through nvidia-smi's CSV query interface: one query at start to list the GPUs and
 * check that power.draw is supported, then, while a recording runs, one long-lived
 * `nvidia-smi --query-gpu=power.draw --format=csv,noheader,nounits -i N -lms 100` whose lines are
 * the readings (board power, W).
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

/** The NVIDIA GPUs nvidia-smi lists, one sensor each; one unreadable entry when nvidia-smi is missing or fails. */
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
    sensors.push(info.readable ? nvidiaSensor(info, index, env) : unreadable(info));
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

function nvidiaSensor(info: SensorInfo, index: string, env: NodeJS.ProcessEnv): Sensor {
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
      const child = spawn('nvidia-smi', ['--query-gpu=power.draw', '--format=csv,noheader,nounits', '-i', index, '-lms', String(SAMPLE_PERIOD_MS)], { env, stdio: ['ignore', 'pipe', 'ignore'] });
      child.on('error', (e) => fail(`nvidia-smi could not be started: ${e.message}`));
      child.on('exit', (code, signal) => {
        if (!stopped) fail(`nvidia-smi stopped answering (exit ${code ?? signal ?? '?'})`);
      });
      let stopped = false;
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (failed || stopped) return;
        const w = parseWatts(line);
        if (w === null) return fail(`nvidia-smi returned "${line.trim().slice(0, 40)}" instead of watts`);
        onReading({ kind: 'power', tMs: performance.now(), watts: w });
      });
      return () => {
        stopped = true;
        child.kill();
      };
    },
  };
}
