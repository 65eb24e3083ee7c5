/**
 * A power trace and its integral: the pure arithmetic behind measured watts.
 *
 * Sensors give either instantaneous power (nvidia-smi's power.draw, hwmon power1_average/input)
 * or a cumulative energy counter (RAPL energy_uj, hwmon energy1_input, NVIDIA's total energy).
 * Both become a list of readings on the server's monotonic clock; the energy between two marks
 * is the trapezoidal integral of power (readings interpolated at the marks), or the difference
 * of the counter interpolated at the marks, its wrap-arounds undone.
 */

export type Reading =
  /** Instantaneous power, W, at `tMs` (server monotonic milliseconds). */
  | { kind: 'power'; tMs: number; watts: number }
  /** Cumulative energy counter, J, at `tMs`; wraps to 0 after `wrapJ` (null: never wraps). */
  | { kind: 'energy'; tMs: number; joules: number; wrapJ: number | null };

export interface WindowEnergy {
  joules: number;
  seconds: number;
  meanWatts: number;
  /** Readings inside the window (the interpolated ends not counted). */
  samples: number;
}

/** A window the trace does not cover (no reading before its start or after its end). */
export class TraceGapError extends Error {
  override readonly name = 'TraceGapError';
}

/** The value of a series at t, linearly interpolated between the readings around it. */
function valueAt(series: readonly { tMs: number; v: number }[], t: number, what: string): number {
  const i = series.findIndex((r) => r.tMs >= t);
  if (i === -1) throw new TraceGapError(`no ${what} reading at or after ${t.toFixed(1)} ms`);
  const b = series[i]!;
  if (b.tMs === t) return b.v;
  if (i === 0) throw new TraceGapError(`no ${what} reading at or before ${t.toFixed(1)} ms`);
  const a = series[i - 1]!;
  return a.v + ((b.v - a.v) * (t - a.tMs)) / (b.tMs - a.tMs);
}

/** Power readings as (t, W) with the value linearly interpolated at t0 and t1. */
function powerPoints(readings: readonly { tMs: number; watts: number }[], t0: number, t1: number): { t: number; w: number }[] {
  const series = readings.map((r) => ({ tMs: r.tMs, v: r.watts }));
  const inside = readings.filter((r) => r.tMs > t0 && r.tMs < t1).map((r) => ({ t: r.tMs, w: r.watts }));
  return [{ t: t0, w: valueAt(series, t0, 'power') }, ...inside, { t: t1, w: valueAt(series, t1, 'power') }];
}

/** Counter readings with wrap-arounds undone: a monotone series of joules. */
function unwrapped(readings: readonly { tMs: number; joules: number; wrapJ: number | null }[]): { tMs: number; joules: number }[] {
  let offset = 0;
  return readings.map((r, i) => {
    const prev = readings[i - 1];
    if (prev && r.joules < prev.joules) {
      // A counter that went down wrapped (RAPL's energy_uj at max_energy_range_uj); without a
      // known range the step cannot be recovered, and the caller's reading is refused.
      if (r.wrapJ === null) throw new TraceGapError('the energy counter went backwards and its range is unknown');
      offset += r.wrapJ;
    }
    return { tMs: r.tMs, joules: r.joules + offset };
  });
}

/** Energy between t0 and t1 (server ms) from one sensor's readings (all of one kind, ascending in time). */
export function integrate(readings: readonly Reading[], t0: number, t1: number): WindowEnergy {
  if (!(t1 > t0)) throw new RangeError(`window end ${t1} must be after its start ${t0}`);
  const seconds = (t1 - t0) / 1000;
  const samples = readings.filter((r) => r.tMs >= t0 && r.tMs <= t1).length;
  const power = readings.filter((r): r is Extract<Reading, { kind: 'power' }> => r.kind === 'power');
  const energy = readings.filter((r): r is Extract<Reading, { kind: 'energy' }> => r.kind === 'energy');
  if (power.length > 0 && energy.length > 0) throw new TypeError('a trace mixes power and energy readings');
  let joules: number;
  if (power.length > 0) {
    const pts = powerPoints(power, t0, t1);
    joules = 0;
    for (let i = 1; i < pts.length; i++) joules += ((pts[i]!.w + pts[i - 1]!.w) / 2) * ((pts[i]!.t - pts[i - 1]!.t) / 1000);
  } else {
    const u = unwrapped(energy).map((r) => ({ tMs: r.tMs, v: r.joules }));
    joules = valueAt(u, t1, 'counter') - valueAt(u, t0, 'counter');
  }
  return { joules, seconds, meanWatts: joules / seconds, samples };
}
