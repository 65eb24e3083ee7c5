/**
 * Energy and carbon (see docs/ARCHITECTURE.md): power profiles, grid intensity, embodied carbon and the
 * Monte Carlo energy model. Pure modules (no DOM, no WebGPU) so they run in the worker and in
 * node tests; detectBattery / runBatteryCalibration touch `navigator` only when called.
 */
export * from './errors.ts';
export * from './random.ts';
export * from './profiles.ts';
export * from './apple-tier.ts';
export * from './grid.ts';
export * from './embodied.ts';
export * from './model.ts';
export * from './context.ts';
export * from './battery.ts';
export * from './equivalences.ts';
