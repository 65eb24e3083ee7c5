/**
 * Apple silicon through `powermetrics` (macOS). It needs root: the server must run with
 * `sudo npm start` (documented in the README); otherwise it is listed as unreadable with that
 * reason. Sampling runs `powermetrics --samplers gpu_power -i 100` and reads its
 * "GPU Power: N mW" lines (GPU only, as powermetrics estimates it).
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { SAMPLE_PERIOD_MS, SensorError, type Sensor, type SensorInfo } from './sensor.ts';
import { unreadable } from './nvidia.ts';

/** Watts from a powermetrics line "GPU Power: 1234 mW" (null for any other line). */
export function parseGpuPowerLine(line: string): number | null {
  const m = /^GPU Power:\s*(\d+(?:\.\d+)?)\s*mW\s*$/.exec(line.trim());
  return m ? Number(m[1]) / 1000 : null;
}

export async function detectPowermetrics(env: NodeJS.ProcessEnv = process.env): Promise<Sensor[]> {
  const info: SensorInfo = { id: 'powermetrics:gpu', name: 'Apple GPU (powermetrics)', coverage: 'gpu-board', reading: 'power', periodMs: SAMPLE_PERIOD_MS, readable: false, why: null };
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) return [unreadable({ ...info, why: 'powermetrics needs root: start the server with `sudo npm start` to measure the GPU' })];
  const exists = await new Promise<boolean>((done) => {
    const p = spawn('powermetrics', ['--help'], { env, stdio: 'ignore' });
    p.on('error', () => done(false));
    p.on('exit', () => done(true));
  });
  if (!exists) return [unreadable({ ...info, why: 'powermetrics is not on PATH' })];
  const readable: SensorInfo = { ...info, readable: true };
  return [{
    info: readable,
    start(onReading, onError) {
      let stopped = false;
      const child = spawn('powermetrics', ['--samplers', 'gpu_power', '-i', String(SAMPLE_PERIOD_MS)], { env, stdio: ['ignore', 'pipe', 'ignore'] });
      child.on('error', (e) => onError(new SensorError(info.id, `powermetrics could not be started: ${e.message}`)));
      child.on('exit', (code) => {
        if (!stopped) onError(new SensorError(info.id, `powermetrics stopped answering (exit ${code ?? '?'})`));
      });
      createInterface({ input: child.stdout }).on('line', (line) => {
        const w = parseGpuPowerLine(line);
        if (w !== null && !stopped) onReading({ kind: 'power', tMs: performance.now(), watts: w });
      });
      return () => {
        stopped = true;
        child.kill();
      };
    },
  }];
}
