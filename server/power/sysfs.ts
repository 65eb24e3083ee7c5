/**
 * Linux sysfs sensors, read by polling a file every SAMPLE_PERIOD_MS:
 * - AMD GPUs: hwmon (`name` = amdgpu) `energy1_input` (µJ counter) when present, else
 *   `power1_average` or `power1_input` (µW): board power.
 * - CPU package: powercap RAPL `intel-rapl:N/energy_uj` (µJ counter that wraps at
 *   `max_energy_range_uj`). Since Linux 5.10 (CVE-2020-8694) energy_uj is readable by root only;
 *   the listing says so and how to grant it.
 * The root (`/sys`) is a parameter so that tests run the same parsers on a fixture directory.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLE_PERIOD_MS, SensorError, type Sensor, type SensorInfo } from './sensor.ts';
import { unreadable } from './nvidia.ts';
import type { Reading } from './trace.ts';

const RAPL_PERMISSION = 'permission denied: energy_uj is readable by root only (Linux ≥ 5.10); grant it with `sudo chmod o+r /sys/class/powercap/intel-rapl:*/energy_uj` (until reboot) or a udev rule';

/** Reads a sysfs file as text (tests pass one that throws EACCES: as root, chmod cannot). */
export type ReadText = (path: string) => string;
const readFs: ReadText = (path) => readFileSync(path, 'utf8');

/** An integer sysfs value, or why not. */
function readInt(read: ReadText, path: string): { ok: true; value: number } | { ok: false; why: string } {
  try {
    const text = read(path).trim();
    if (!/^\d+$/.test(text)) return { ok: false, why: `${path} holds "${text.slice(0, 20)}", not a number` };
    return { ok: true, value: Number(text) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, why: code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOENT' ? `${path} is missing` : `${path}: ${code ?? String(e)}` };
  }
}

function listDir(path: string): string[] {
  try {
    return readdirSync(path).sort();
  } catch {
    return [];
  }
}

function readText(read: ReadText, path: string): string | null {
  try {
    return read(path).trim();
  } catch {
    return null;
  }
}

/** A polled sensor: `read` turns the file's integer into a reading (or null when it is garbage). */
function polled(info: SensorInfo, read: ReadText, file: string, toReading: (raw: number, tMs: number) => Reading): Sensor {
  return {
    info,
    start(onReading, onError) {
      const tick = () => {
        const r = readInt(read, file);
        if (!r.ok) {
          clearInterval(timer);
          onError(new SensorError(info.id, `stopped answering: ${r.why}`));
          return;
        }
        onReading(toReading(r.value, performance.now()));
      };
      const timer = setInterval(tick, SAMPLE_PERIOD_MS);
      tick();
      return () => clearInterval(timer);
    },
  };
}

/** AMD GPU boards exposed by the amdgpu driver's hwmon. */
export function detectHwmon(root = '/sys', read: ReadText = readFs): Sensor[] {
  const base = join(root, 'class/hwmon');
  const out: Sensor[] = [];
  for (const dir of listDir(base)) {
    const d = join(base, dir);
    if (readText(read, join(d, 'name')) !== 'amdgpu') continue;
    const id = `hwmon:${dir}`;
    const common = { id, name: `AMD GPU board (amdgpu ${dir})`, coverage: 'gpu-board', periodMs: SAMPLE_PERIOD_MS } as const;
    const energy = readInt(read, join(d, 'energy1_input'));
    if (energy.ok) {
      out.push(polled({ ...common, reading: 'energy', readable: true, why: null }, read, join(d, 'energy1_input'), (uj, tMs) => ({ kind: 'energy', tMs, joules: uj / 1e6, wrapJ: null })));
      continue;
    }
    const file = ['power1_average', 'power1_input'].map((f) => join(d, f)).find((f) => readInt(read, f).ok);
    if (file) out.push(polled({ ...common, reading: 'power', readable: true, why: null }, read, file, (uw, tMs) => ({ kind: 'power', tMs, watts: uw / 1e6 })));
    else {
      const p = readInt(read, join(d, 'power1_average'));
      out.push(unreadable({ ...common, reading: 'power', readable: false, why: `no readable power1_average, power1_input or energy1_input${p.ok ? '' : ` (${p.why})`}` }));
    }
  }
  return out;
}

/** CPU packages through powercap RAPL (top-level zones only: their subzones are inside them). */
export function detectRapl(root = '/sys', read: ReadText = readFs): Sensor[] {
  const base = join(root, 'class/powercap');
  const out: Sensor[] = [];
  for (const dir of listDir(base).filter((d) => /^intel-rapl:\d+$/.test(d))) {
    const d = join(base, dir);
    const zone = readText(read, join(d, 'name')) ?? dir;
    const common = { id: `rapl:${dir}`, name: `CPU ${zone} (RAPL)`, coverage: 'cpu-package', reading: 'energy', periodMs: SAMPLE_PERIOD_MS } as const;
    const energy = readInt(read, join(d, 'energy_uj'));
    const range = readInt(read, join(d, 'max_energy_range_uj'));
    if (!energy.ok) {
      out.push(unreadable({ ...common, readable: false, why: energy.why === 'permission denied' ? RAPL_PERMISSION : energy.why }));
      continue;
    }
    const wrapJ = range.ok ? (range.value + 1) / 1e6 : null;
    out.push(polled({ ...common, readable: true, why: null }, read, join(d, 'energy_uj'), (uj, tMs) => ({ kind: 'energy', tMs, joules: uj / 1e6, wrapJ })));
  }
  return out;
}
