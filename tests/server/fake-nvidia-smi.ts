/**
 * A fake `nvidia-smi` for the power tests: one query lists an "NVIDIA H200"; with `-lms N` it
 * prints the watts of the trace file, one per period, then the last forever ("exit" ends the
 * process with status 3, "garbage" is printed as is). The server's real parser and process
 * handling read it from PATH.
 *
 * The energy counter (`total_energy_consumption`) is "[Not Supported]" unless the environment
 * asks for it (`env(true, true)`): then the same trace is played as a counter in mJ (each value's
 * watts × the real time since the line before), starting at 1,000,000 mJ.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SCRIPT = `#!/usr/bin/env node
const args = process.argv.slice(2);
const trace = require('node:fs').readFileSync(process.env.FAKE_TRACE_FILE, 'utf8').trim().split(' ');
const lms = args.indexOf('-lms');
const energy = args.some((a) => a.includes('total_energy_consumption'));
const counter = process.env.FAKE_ENERGY_COUNTER === '1';
if (lms === -1 && energy) { console.log('0, ' + (counter ? '1000000' : '[Not Supported]')); process.exit(0); }
if (lms === -1) { console.log('0, NVIDIA H200, ' + trace[0]); process.exit(0); }
const period = Number(args[lms + 1]);
let i = 0;
let mj = 1000000;
let last = performance.now();
setInterval(() => {
  const v = trace[Math.min(i++, trace.length - 1)];
  if (v === 'exit') process.exit(3);
  // A real counter accrues with real time: W × the ms since the last line, however late this tick.
  const now = performance.now();
  if (energy && Number.isFinite(Number(v))) { mj += Number(v) * (now - last); console.log(mj.toFixed(3)); } else console.log(v);
  last = now;
}, period);
`;

export interface FakeNvidiaSmi {
  /** The trace the fake plays from its next start: one value per period. */
  play(values: readonly (number | string)[]): void;
  /** The environment of a server that finds the fake on PATH (or no nvidia-smi at all), with or without the energy counter. */
  env(withNvidia?: boolean, energyCounter?: boolean): NodeJS.ProcessEnv;
}

/** Writes the fake into `dir/bin` and its trace file beside it. */
export function installFakeNvidiaSmi(dir: string): FakeNvidiaSmi {
  const bin = join(dir, 'bin');
  const traceFile = join(dir, 'trace.txt');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'nvidia-smi'), SCRIPT);
  chmodSync(join(bin, 'nvidia-smi'), 0o755);
  return {
    play: (values) => writeFileSync(traceFile, values.join(' ')),
    env: (withNvidia = true, energyCounter = false) => ({
      ...process.env,
      PATH: withNvidia ? `${bin}:${process.env.PATH ?? ''}` : '/nonexistent',
      FAKE_TRACE_FILE: traceFile,
      FAKE_ENERGY_COUNTER: energyCounter ? '1' : '0',
    }),
  };
}
