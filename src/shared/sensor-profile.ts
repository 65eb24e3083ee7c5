/**
 * Sensor profiles: the power profile a measured run leaves for its adapter (idle watts and the
 * watts the models added above idle, read by a power sensor of the machine), so later estimates
 * on the same adapter use this device's own watts instead of the catalog's class.
 *
 * One derivation, shared by the page (a localStorage store, src/ui/energy/sensor-store.ts), the
 * Node runner (a JSON file per adapter, scripts/node/profiles.ts) and the results server (which
 * checks a document whose profile source is `sensor` against the same bounds and spread):
 *
 *   idleW     = the sensor's mean over the idle baseline
 *   ΔP        = each model's mean power under load − idleW (low: the smaller, typ: the mean,
 *               high: the larger), widened to at least ±SPREAD around typ
 *   idle range = idleW ± SPREAD
 *
 * What the watts include follows the sensor's coverage: a whole-system sensor includes the host
 * (the model adds no host power); a GPU-board or CPU-package sensor does not (the model adds its
 * host assumption, as for catalog watts).
 */
import { MIN_WINDOW_SAMPLES, SENSOR_COVERAGES, SENSOR_KINDS, type Coverage, type SensorKind, type SensorProfileRecord } from './power.ts';
import type { ResultDocument } from './result.ts';

/** The profile id of a sensor profile (closed vocabulary, vocabulary.ts). */
export const SENSOR_PROFILE_ID = 'sensor-measured';

/**
 * Stated bounds a sensor profile must respect: a single adapter idles above 0 W and below
 * MAX_SENSOR_IDLE_W, and adds at most MAX_SENSOR_DELTA_W under load (the largest accelerator
 * boards draw ~1 kW; a whole-system sensor of a workstation stays below 2 kW).
 */
export const MAX_SENSOR_IDLE_W = 1_500;
export const MAX_SENSOR_DELTA_W = 2_000;
/** Readings a profile needs: an idle window and at least one load window. */
export const MIN_SENSOR_SAMPLES = 2 * MIN_WINDOW_SAMPLES;
/** Relative half-width every sensor profile keeps at least, around idle and ΔP (sensor accuracy). */
export const SENSOR_SPREAD = 0.1;
/** A ΔP band wider than this ratio (high ÷ low) is two loads the sensor cannot tell apart, not one device. */
export const MAX_SENSOR_DELTA_RATIO = 20;

/** A sensor profile as kept on the machine (the page's store, the Node runner's file). */
export interface SensorMeasurement {
  version: 1;
  adapter: { vendor: string; architecture: string; isFallbackAdapter: boolean };
  sensor: { kind: SensorKind; coverage: Coverage };
  /** Day of the run that measured it. */
  date: string;
  /** Sensor's mean over the idle baseline, W. */
  idleW: number;
  /** Power above idle under each model's load: the lower, the mean and the higher, W. */
  deltaW: { low: number; typ: number; high: number };
  /** Readings behind it (idle and load windows of the run). */
  samples: number;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** The finest step a power sensor reports (nvidia-smi, hwmon and RAPL give watts to 0.01 W or coarser). */
const SENSOR_RESOLUTION_W = 0.01;

/**
 * The sensor profile a document's measurement gives, or null with why not (an English sentence
 * for the CLI's log; never stored): no measured figures, too few readings, watts out of bounds,
 * or a model that drew no more than idle (within the sensor's noise a difference means nothing).
 */
export function sensorMeasurementOf(doc: Pick<ResultDocument, 'measured' | 'environment' | 'date'>): { ok: true; profile: SensorMeasurement } | { ok: false; why: string } {
  const m = doc.measured;
  if (!m) return { ok: false, why: 'the run was not measured' };
  if (!m.available) return { ok: false, why: `no measured figures (${m.reason})` };
  const roles = Object.values(m.perQuery);
  // Sensors report to 0.01 W: a smaller difference is rounding in the means, not power under load.
  const deltas = roles.map((r) => r.meanW - m.idleW).filter((d) => d >= SENSOR_RESOLUTION_W);
  if (deltas.length === 0 || deltas.length < roles.length) return { ok: false, why: 'a model drew no more than idle: no power under load to keep' };
  if (m.samples < MIN_SENSOR_SAMPLES) return { ok: false, why: `${m.samples} readings, fewer than the ${MIN_SENSOR_SAMPLES} a profile needs` };
  const typ = deltas.reduce((s, d) => s + d, 0) / deltas.length;
  if (!(m.idleW > 0) || m.idleW > MAX_SENSOR_IDLE_W) return { ok: false, why: `idle ${m.idleW} W is outside 0–${MAX_SENSOR_IDLE_W} W` };
  if (Math.max(...deltas) > MAX_SENSOR_DELTA_W) return { ok: false, why: `a load above ${MAX_SENSOR_DELTA_W} W over idle is not one adapter` };
  const a = doc.environment.adapter;
  return {
    ok: true,
    profile: {
      version: 1,
      adapter: { vendor: a.vendor, architecture: a.architecture, isFallbackAdapter: a.isFallbackAdapter },
      sensor: { kind: m.sensor.kind, coverage: m.sensor.coverage },
      date: doc.date ?? new Date().toISOString().slice(0, 10),
      idleW: round(m.idleW),
      deltaW: { low: round(Math.min(...deltas)), typ: round(typ), high: round(Math.max(...deltas)) },
      samples: m.samples,
    },
  };
}

/** A kept value is a sensor measurement this version can use (a store or a file may hold anything). */
export function isSensorMeasurement(x: unknown): x is SensorMeasurement {
  const p = x as Partial<SensorMeasurement> | null;
  return (
    typeof p === 'object' && p !== null && p.version === 1
    && typeof p.idleW === 'number' && p.idleW > 0 && p.idleW <= MAX_SENSOR_IDLE_W
    && typeof p.deltaW?.typ === 'number' && typeof p.deltaW.low === 'number' && typeof p.deltaW.high === 'number'
    && p.deltaW.low > 0 && p.deltaW.low <= p.deltaW.typ && p.deltaW.typ <= p.deltaW.high && p.deltaW.high <= MAX_SENSOR_DELTA_W
    && typeof p.adapter?.vendor === 'string' && typeof p.adapter.architecture === 'string' && typeof p.adapter.isFallbackAdapter === 'boolean'
    && (SENSOR_KINDS as readonly unknown[]).includes(p.sensor?.kind) && (SENSOR_COVERAGES as readonly unknown[]).includes(p.sensor?.coverage)
    && typeof p.date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(p.date)
    && typeof p.samples === 'number' && Number.isInteger(p.samples) && p.samples >= MIN_SENSOR_SAMPLES
  );
}

/** The watts a sensor profile puts in the energy model, and whether they include the host. */
export interface SensorWatts {
  idleW: number;
  idleRangeW: { low: number; high: number };
  deltaW: { low: number; typ: number; high: number };
  hostIncluded: boolean;
}

/** The model's inputs from a sensor measurement: ΔP widened to at least ±SPREAD, idle ± SPREAD. */
export function sensorWatts(p: Pick<SensorMeasurement, 'idleW' | 'deltaW' | 'sensor'>): SensorWatts {
  const typ = p.deltaW.typ;
  return {
    idleW: p.idleW,
    idleRangeW: { low: round(p.idleW * (1 - SENSOR_SPREAD)), high: round(p.idleW * (1 + SENSOR_SPREAD)) },
    deltaW: { low: round(Math.min(p.deltaW.low, typ * (1 - SENSOR_SPREAD))), typ, high: round(Math.max(p.deltaW.high, typ * (1 + SENSOR_SPREAD))) },
    hostIncluded: p.sensor.coverage === 'whole-system',
  };
}

/** The record a document keeps about its sensor profile. */
export function sensorRecord(p: SensorMeasurement): SensorProfileRecord {
  return { kind: p.sensor.kind, coverage: p.sensor.coverage, samples: p.samples, date: p.date, adapter: { ...p.adapter } };
}

/** Whether a stored profile's watts include the host: as recorded, else as its source implies. */
export function profileHostIncluded(p: Pick<NonNullable<ResultDocument['energy']>['profile'], 'hostIncluded' | 'source' | 'sensor'>): boolean {
  if (p.hostIncluded !== undefined) return p.hostIncluded;
  return p.source === 'sensor' ? p.sensor?.coverage === 'whole-system' : p.source !== 'catalog';
}

/** Rounding of the stored watts (3 decimals) and of their ±SPREAD ends. */
const TOLERANCE_W = 0.002;

/**
 * Issues ("path: message") of a document whose profile source is `sensor`: the claims must be
 * consistent with each other and with the document (the server refuses the upload otherwise).
 * The figures themselves are recomputed from the stored watts by recompute.ts like any profile's.
 */
export function sensorProfileIssues(doc: Pick<ResultDocument, 'energy' | 'environment' | 'date'>): string[] {
  const p = doc.energy?.profile;
  if (!p || p.source !== 'sensor') return [];
  const at = 'energy.profile';
  const s = p.sensor;
  if (!s) return [`${at}.sensor: is required for a sensor profile (kind, coverage, samples, date, adapter)`];
  const issues: string[] = [];
  const a = doc.environment.adapter;
  if (s.adapter.vendor !== a.vendor || s.adapter.architecture !== a.architecture || s.adapter.isFallbackAdapter !== a.isFallbackAdapter) {
    issues.push(`${at}.sensor.adapter: a sensor profile belongs to the adapter it was measured on, not this document's`);
  }
  if (doc.date !== undefined && s.date > doc.date) issues.push(`${at}.sensor.date: the measuring run (${s.date}) is after this run (${doc.date})`);
  if (s.samples < MIN_SENSOR_SAMPLES) issues.push(`${at}.sensor.samples: a profile needs at least ${MIN_SENSOR_SAMPLES} readings`);
  if (p.idleW === null || !(p.idleW > 0) || p.idleW > MAX_SENSOR_IDLE_W) issues.push(`${at}.idleW: a sensor's idle power must be > 0 and ≤ ${MAX_SENSOR_IDLE_W} W`);
  const d = p.deltaW;
  if (!(d.low > 0) || d.high > MAX_SENSOR_DELTA_W * (1 + SENSOR_SPREAD)) issues.push(`${at}.deltaW: a sensor's ΔP must be > 0 and ≤ ${MAX_SENSOR_DELTA_W} W`);
  if (d.low > d.typ * (1 - SENSOR_SPREAD) + TOLERANCE_W || d.high < d.typ * (1 + SENSOR_SPREAD) - TOLERANCE_W) issues.push(`${at}.deltaW: a sensor profile keeps at least ±${SENSOR_SPREAD * 100} % around typ`);
  if (d.low > 0 && d.high / d.low > MAX_SENSOR_DELTA_RATIO) issues.push(`${at}.deltaW: high ÷ low above ${MAX_SENSOR_DELTA_RATIO} is not one device's load`);
  if (p.idleW !== null && p.idleW > 0) {
    const want = sensorWatts({ idleW: p.idleW, deltaW: d, sensor: s }).idleRangeW;
    const got = p.idleRangeW;
    if (!got || Math.abs(got.low - want.low) > TOLERANCE_W || Math.abs(got.high - want.high) > TOLERANCE_W) issues.push(`${at}.idleRangeW: must be idleW ± ${SENSOR_SPREAD * 100} %`);
  }
  const hostIncluded = s.coverage === 'whole-system';
  if (p.hostIncluded !== undefined && p.hostIncluded !== hostIncluded) {
    issues.push(`${at}.hostIncluded: a ${s.coverage} sensor ${hostIncluded ? 'includes' : 'does not include'} the host`);
  }
  return issues;
}

/** One group of GET /api/profiles/measured: results estimated with a sensor profile, per adapter and sensor. */
export interface MeasuredProfileGroup {
  vendor: string;
  architecture: string;
  sensor: SensorKind;
  coverage: Coverage;
  /** Results behind the medians. */
  count: number;
  medianIdleW: number;
  medianDeltaW: number;
}

/** The body of GET /api/profiles/measured (server/measured-profiles.ts). */
export interface MeasuredProfilesListing {
  schemaVersion: 1;
  groups: MeasuredProfileGroup[];
}
