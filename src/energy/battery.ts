/**
 * Battery presence and the battery-drain calibration (Battery Status API, Chromium only).
 * The level moves in 1 % steps, so the estimate is coarse and flagged as such: use it to catch
 * a profile that is off by more than 2×, not as a precise measurement.
 */
import { BATTERY_LABEL } from '../shared/catalog-text.ts';
import type { ProfileChoice } from './profiles.ts';
import {
  BatteryChargingError,
  BatteryUnavailableError,
  CalibrationCancelledError,
  CalibrationInconclusiveError,
  InvalidEnergyInputError,
} from './errors.ts';

/** The part of BatteryManager we use (not in the TS DOM lib). */
export interface BatteryLike {
  level: number;
  charging: boolean;
  chargingTime: number;
  dischargingTime: number;
}

type NavigatorWithBattery = { getBattery?: () => Promise<BatteryLike> };

function navigatorBattery(): (() => Promise<BatteryLike>) | null {
  const nav = (globalThis as { navigator?: NavigatorWithBattery }).navigator;
  return nav && typeof nav.getBattery === 'function' ? () => nav.getBattery!() : null;
}

/**
 * Whether the device has a battery: true when the reading shows one (discharging, or charging
 * but not full), null when we cannot tell. Chromium reports a desktop as level 1, charging,
 * chargingTime 0, but a full laptop on its charger reads exactly the same, so that signature is
 * "could not tell" (null), never "desktop": picking the desktop class for a plugged-in laptop
 * overstated its power up to ten-fold. The API missing, refused or hanging is null as well.
 */
export async function detectBattery(getBattery: (() => Promise<BatteryLike>) | null = navigatorBattery(), timeoutMs = 1000): Promise<true | null> {
  if (!getBattery) return null;
  // getBattery can stay pending (permissions policy, embedded frames): the energy view must not
  // wait on it, so after timeoutMs the form factor is simply unknown.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), timeoutMs);
  });
  try {
    const b = await Promise.race([getBattery(), timeout]);
    if (b === null) return null;
    return b.level === 1 && b.charging && b.chargingTime === 0 ? null : true;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}

export interface DrainPhase {
  /** Battery level at start and end, 0..1 (1 % steps). */
  levelStart: number;
  levelEnd: number;
  seconds: number;
}

export interface BatteryCalibration {
  idleW: { low: number; typ: number; high: number };
  loadW: { low: number; typ: number; high: number };
  deltaW: { low: number; typ: number; high: number };
  capacityWh: number;
}

/**
 * Power from drain: P = Δlevel × capacity × 3600 / seconds. A 1 % step can be hidden at each
 * end of a phase, so the drop n is bracketed by (n − 1 %, n + 1 %); the assumed capacity carries
 * ±20 % unless entered. ΔP = P_load − P_idle, bounds from the opposite extremes.
 */
export function batteryCalibrationEstimate(idle: DrainPhase, load: DrainPhase, capacityWh: number, capacityKnown = false): BatteryCalibration {
  if (!(capacityWh > 0)) throw new InvalidEnergyInputError('capacityWh', capacityWh);
  const step = 0.01;
  const power = (ph: DrainPhase, phase: 'idle' | 'load') => {
    const drop = ph.levelStart - ph.levelEnd;
    if (!(ph.seconds > 0)) throw new InvalidEnergyInputError(`${phase}.seconds`, ph.seconds);
    if (drop <= 1e-9) throw new CalibrationInconclusiveError(phase);
    const w = (d: number) => (Math.max(0, d) * capacityWh * 3600) / ph.seconds;
    const cap = capacityKnown ? 0 : 0.2;
    return { low: w(drop - step) * (1 - cap), typ: w(drop), high: w(drop + step) * (1 + cap) };
  };
  const idleW = power(idle, 'idle');
  const loadW = power(load, 'load');
  const deltaW = {
    low: Math.max(0, loadW.low - idleW.high),
    typ: Math.max(0, loadW.typ - idleW.typ),
    high: Math.max(0, loadW.high - idleW.low),
  };
  if (deltaW.typ <= 0) throw new CalibrationInconclusiveError('load');
  deltaW.low = Math.min(deltaW.low, deltaW.typ);
  return { idleW, loadW, deltaW, capacityWh };
}

/** A profile from a battery calibration; host overhead is inside the drain, so not added again. */
export function profileFromBattery(cal: BatteryCalibration, base: Pick<ProfileChoice, 'embodiedClasses'>): ProfileChoice {
  const r = (x: number) => Math.round(x * 100) / 100;
  return {
    id: 'battery-calibrated',
    source: 'battery',
    idleW: r(cal.idleW.typ),
    deltaW: { low: r(cal.deltaW.low), typ: r(cal.deltaW.typ), high: r(cal.deltaW.high) },
    label: BATTERY_LABEL.en,
    labelFr: BATTERY_LABEL.fr,
    reason: `Battery drain: ${r(cal.idleW.typ)} W idle, ${r(cal.loadW.typ)} W loaded (${cal.capacityWh} Wh battery)`,
    basis: { kind: 'battery', who: '', form: null },
    idleRangeW: { low: r(cal.idleW.low), high: r(cal.idleW.high) },
    hostIncluded: true,
    confidence: 'calibrated',
    sources: ['Battery Status API drain slope on this device (1 % level steps: coarse)'],
    embodiedClasses: [...base.embodiedClasses],
    flags: ['coarse', 'battery-calibration'],
  };
}

export type CalibrationPhase = 'idle' | 'load';

export interface CalibrationOptions {
  /** Keeps the GPU busy until the signal aborts. */
  runLoad: (signal: AbortSignal) => Promise<void>;
  idleMs: number;
  loadMs: number;
  capacityWh: number;
  capacityKnown?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: { phase: CalibrationPhase; elapsedMs: number; totalMs: number; level: number }) => void;
  getBattery?: () => Promise<BatteryLike>;
  /** Poll period; the level is read again at each tick. */
  tickMs?: number;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CalibrationCancelledError());
    const id = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(id);
      reject(new CalibrationCancelledError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Idle phase, then loaded phase, reading the battery level before and after each. Needs the
 * charger unplugged (checked before and during); cancellable through `signal`.
 */
export async function runBatteryCalibration(o: CalibrationOptions): Promise<BatteryCalibration> {
  const getBattery = o.getBattery ?? navigatorBattery();
  if (!getBattery) throw new BatteryUnavailableError();
  const battery = await getBattery();
  const tick = o.tickMs ?? 1000;

  // A failing load (e.g. the GPU device is lost) must end the calibration, not yield a bogus
  // "no extra power" result, so its error is checked at every tick.
  // Boxed, so that a load rejecting with a falsy value still counts as a failure.
  let loadError: { error: unknown } | null = null;
  const phase = async (name: CalibrationPhase, totalMs: number): Promise<DrainPhase> => {
    if (battery.charging) throw new BatteryChargingError();
    const levelStart = battery.level;
    const t0 = Date.now();
    let elapsed = 0;
    while (elapsed < totalMs) {
      await sleep(Math.min(tick, totalMs - elapsed), o.signal);
      elapsed = Date.now() - t0;
      if (battery.charging) throw new BatteryChargingError();
      if (loadError !== null) throw loadError.error;
      o.onProgress?.({ phase: name, elapsedMs: Math.min(elapsed, totalMs), totalMs, level: battery.level });
    }
    return { levelStart, levelEnd: battery.level, seconds: (Date.now() - t0) / 1000 };
  };

  const idle = await phase('idle', o.idleMs);
  const loadAbort = new AbortController();
  const stopLoad = () => loadAbort.abort();
  o.signal?.addEventListener('abort', stopLoad, { once: true });
  const loadRun = o.runLoad(loadAbort.signal).then(
    () => undefined,
    (e: unknown) => {
      loadError = { error: e };
    },
  );
  try {
    const load = await phase('load', o.loadMs);
    return batteryCalibrationEstimate(idle, load, o.capacityWh, o.capacityKnown ?? false);
  } finally {
    loadAbort.abort();
    o.signal?.removeEventListener('abort', stopLoad);
    await loadRun;
  }
}
