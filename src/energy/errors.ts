/**
 * Errors of the energy area. They may cross the worker boundary (Comlink keeps name and
 * message), so each is a named subclass the UI can switch on.
 */
import type { Role, TimingSource } from '../shared/result.ts';

/** The result document has no `kind: "model"` workload for a role the comparison needs. */
export class MissingModelRoleError extends Error {
  override name = 'MissingModelRoleError';
  constructor(readonly role: Role) {
    super(`No model workload with role "${role}" in the result document: the energy comparison needs both roles.`);
  }
}

/** A model workload's timing cannot be turned into energy (non-finite, zero or negative). */
export class InvalidTimingError extends Error {
  override name = 'InvalidTimingError';
  constructor(readonly workloadId: string, readonly field: string, readonly value: unknown) {
    super(`Workload "${workloadId}": ${field} = ${String(value)} is not a positive finite number of milliseconds.`);
  }
}

/**
 * The two models were timed on different clocks (one with GPU timestamps, the other on the wall
 * clock, which also counts submission latency): their busy times are not comparable, so no
 * ratio is computed from them.
 */
export class MixedTimingSourcesError extends Error {
  override name = 'MixedTimingSourcesError';
  constructor(readonly sources: Readonly<Record<Role, TimingSource>>) {
    super(
      `The general model was timed with ${sources.general} and the specialized model with ${sources.specialized}: ` +
        'busy times from different clocks are not comparable, so no energy ratio is computed. Run again to time both on one source.',
    );
  }
}

/** A catalog id that is not in data/power-profiles.json. */
export class UnknownProfileError extends Error {
  override name = 'UnknownProfileError';
  constructor(readonly profileId: string) {
    super(`No power profile "${profileId}" in the catalog.`);
  }
}

/** A user-entered number (watts, gCO2e/kWh, capacity) that cannot be used. */
export class InvalidEnergyInputError extends Error {
  override name = 'InvalidEnergyInputError';
  constructor(readonly field: string, readonly value: unknown) {
    super(`${field}: ${String(value)} is not a usable positive number.`);
  }
}

/** The Battery Status API is absent (Firefox, Safari) or refused. */
export class BatteryUnavailableError extends Error {
  override name = 'BatteryUnavailableError';
  constructor() {
    super('The Battery Status API is not available in this browser.');
  }
}

/** Battery calibration needs the charger unplugged. */
export class BatteryChargingError extends Error {
  override name = 'BatteryChargingError';
  constructor() {
    super('The battery is charging: unplug the charger to calibrate.');
  }
}

/** The battery level did not move enough in a phase to say anything. */
export class CalibrationInconclusiveError extends Error {
  override name = 'CalibrationInconclusiveError';
  constructor(readonly phase: 'idle' | 'load') {
    super(`The battery level did not drop during the ${phase} phase: run it longer.`);
  }
}

/** The user cancelled the battery calibration. */
export class CalibrationCancelledError extends Error {
  override name = 'CalibrationCancelledError';
  constructor() {
    super('Battery calibration cancelled.');
  }
}
