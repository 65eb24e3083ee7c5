import { describe, expect, test } from 'vitest';
import {
  batteryCalibrationEstimate,
  BatteryChargingError,
  BatteryUnavailableError,
  CalibrationCancelledError,
  CalibrationInconclusiveError,
  detectBattery,
  profileFromBattery,
  runBatteryCalibration,
  type BatteryLike,
} from '../../src/energy/index.ts';

const fakeBattery = (b: Partial<BatteryLike>): BatteryLike => ({ level: 0.8, charging: false, chargingTime: Infinity, dischargingTime: 7200, ...b });

describe('detectBattery', () => {
  test('null without the API or when it rejects', async () => {
    expect(await detectBattery(null)).toBeNull();
    expect(await detectBattery(() => Promise.reject(new Error('denied')))).toBeNull();
  });
  // Was `false` ("desktop"): a full laptop on its charger reads the same, and the desktop class
  // then overstated its power (AMD iGPU ≈10×, NVIDIA laptop ≈2.4×); it now means "could not tell".
  test('level 1, charging, chargingTime 0 → null (desktop, or a full laptop on its charger)', async () => {
    expect(await detectBattery(async () => fakeBattery({ level: 1, charging: true, chargingTime: 0 }))).toBeNull();
  });
  test('charging but not full, or full but on battery → true', async () => {
    expect(await detectBattery(async () => fakeBattery({ level: 0.6, charging: true, chargingTime: 1800 }))).toBe(true);
    expect(await detectBattery(async () => fakeBattery({ level: 1, charging: false, chargingTime: Infinity }))).toBe(true);
    expect(await detectBattery(async () => fakeBattery({ level: 1, charging: true, chargingTime: 60 }))).toBe(true);
  });
  test('a getBattery that never settles → null after the timeout', async () => {
    expect(await detectBattery(() => new Promise<BatteryLike>(() => {}), 20)).toBeNull();
  });
  test('a discharging battery → true', async () => {
    expect(await detectBattery(async () => fakeBattery({}))).toBe(true);
  });
});

describe('batteryCalibrationEstimate (hand-computed)', () => {
  // 50 Wh battery; idle: 2 % in 600 s → 0.02·50·3600/600 = 6 W; load: 5 % in 600 s → 15 W.
  const idle = { levelStart: 0.8, levelEnd: 0.78, seconds: 600 };
  const load = { levelStart: 0.78, levelEnd: 0.73, seconds: 600 };
  test('known capacity: ±1 % step at each phase', () => {
    const c = batteryCalibrationEstimate(idle, load, 50, true);
    expect(c.idleW.typ).toBeCloseTo(6, 9);
    expect(c.idleW.low).toBeCloseTo(3, 9); // 1 %
    expect(c.idleW.high).toBeCloseTo(9, 9); // 3 %
    expect(c.loadW.typ).toBeCloseTo(15, 9);
    expect(c.deltaW.typ).toBeCloseTo(9, 9);
    expect(c.deltaW.low).toBeCloseTo(12 - 9, 9);
    expect(c.deltaW.high).toBeCloseTo(18 - 3, 9);
  });
  test('assumed capacity widens by ±20 %', () => {
    const c = batteryCalibrationEstimate(idle, load, 50, false);
    expect(c.idleW.low).toBeCloseTo(2.4, 9);
    expect(c.idleW.high).toBeCloseTo(10.8, 9);
    expect(c.loadW.high).toBeCloseTo(21.6, 9);
    expect(c.deltaW.low).toBe(0); // 9.6 − 10.8 < 0 → clamped
    expect(c.deltaW.high).toBeCloseTo(21.6 - 2.4, 9);
  });
  test('no drop → inconclusive, named after the phase', () => {
    expect(() => batteryCalibrationEstimate({ ...idle, levelEnd: 0.8 }, load, 50)).toThrow(CalibrationInconclusiveError);
  });
  test('profile from a calibration is flagged coarse and includes the host', () => {
    const p = profileFromBattery(batteryCalibrationEstimate(idle, load, 50, true), { embodiedClasses: ['laptop'] });
    expect(p).toMatchObject({ id: 'battery-calibrated', source: 'battery', idleW: 6, deltaW: { low: 3, typ: 9, high: 15 }, hostIncluded: true });
    expect(p.flags).toContain('coarse');
  });
});

describe('runBatteryCalibration', () => {
  test('absent API → BatteryUnavailableError', async () => {
    await expect(runBatteryCalibration({ runLoad: async () => {}, idleMs: 1, loadMs: 1, capacityWh: 50, getBattery: undefined })).rejects.toBeInstanceOf(BatteryUnavailableError);
  });
  test('charging → BatteryChargingError', async () => {
    const b = fakeBattery({ charging: true });
    await expect(runBatteryCalibration({ runLoad: async () => {}, idleMs: 5, loadMs: 5, capacityWh: 50, getBattery: async () => b })).rejects.toBeInstanceOf(BatteryChargingError);
  });
  test('idle then load phases; the load runs only in the load phase and is stopped after', async () => {
    const b = fakeBattery({ level: 0.9 });
    const phases: string[] = [];
    let loadStopped = false;
    const cal = await runBatteryCalibration({
      idleMs: 20, loadMs: 20, tickMs: 5, capacityWh: 50, capacityKnown: true,
      getBattery: async () => b,
      // Simulated drain: 2 % over the idle phase, 5 % over the load phase.
      onProgress: ({ phase, elapsedMs, totalMs }) => {
        if (!phases.includes(phase)) phases.push(phase);
        if (elapsedMs >= totalMs) b.level = phase === 'idle' ? 0.88 : 0.83;
      },
      runLoad: (signal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => { loadStopped = true; resolve(); })),
    });
    expect(phases).toEqual(['idle', 'load']);
    expect(loadStopped).toBe(true);
    expect(cal.loadW.typ).toBeGreaterThan(cal.idleW.typ);
    expect(cal.deltaW.typ).toBeGreaterThan(0);
  });
  test('cancel during the idle phase → CalibrationCancelledError, load never started', async () => {
    const ac = new AbortController();
    let loadStarted = false;
    const p = runBatteryCalibration({
      idleMs: 10_000, loadMs: 10_000, tickMs: 5, capacityWh: 50, signal: ac.signal,
      getBattery: async () => fakeBattery({}),
      runLoad: async () => { loadStarted = true; },
    });
    setTimeout(() => ac.abort(), 15);
    await expect(p).rejects.toBeInstanceOf(CalibrationCancelledError);
    expect(loadStarted).toBe(false);
  });
});
