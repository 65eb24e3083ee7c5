/**
 * Building blocks of the result-document schema (schema.ts) and the stored energy section.
 *
 * Every string the schema keeps is closed (vocabulary.ts): a picklist, a strict pattern, or a
 * list filtered to known values. Texts a person reads (profile label and reason, grid and
 * embodied source lines) are not fields here at all, so valibot's `v.object` strips them: the app
 * and the exports render them from the catalogs (catalog-text.ts).
 */
import * as v from 'valibot';
import { ENERGY_LABEL_CLASSES, ENERGY_LABEL_VERSION } from './energy-label.ts';
import { MEASURED_METHODS, MODEL_BASES, knownSourceIds } from './provenance.ts';
import { MEASURED_REASONS, SENSOR_COVERAGES, SENSOR_KINDS } from './power.ts';
import {
  APPLE_TIERS, ARCHITECTURE_PATTERN, CATALOG_VERSION_PATTERN, EMBODIED_CLASSES, ENERGY_WORKLOAD_IDS, GRID_COUNTRIES, MEASURED_PROFILE_IDS, PROFILE_FLAGS, RESULT_FLAGS,
  isKnownProfileId,
} from './vocabulary.ts';
import { SENSOR_PROFILE_ID } from './sensor-profile.ts';
import { NO_FIGURE_REASONS } from './realmodels/record.ts';

export const LIMITS = {
  workloads: 200,
  samples: 4096,
  kernels: 256,
  features: 64,
  limits: 128,
  flags: 32,
  configKeys: 64,
  shortString: 64,
  longString: 200,
  /** 1 ms .. 1 hour per unit is generous for a browser benchmark. */
  maxMs: 3_600_000,
  maxCount: 1e18,
  /** Peak dense tensor throughput of the fastest accelerators is ~2 PFLOP/s (2e6 GFLOP/s). */
  maxGflops: 2e6,
  /** HBM3e is ~5 TB/s; on-chip caches can read faster in a copy micro-benchmark, not 10x that. */
  maxGBps: 50_000,
  maxWatts: 2_000,
  maxJoulesPerQuery: 1e7,
  maxGPerKWh: 2_000,
  maxRatio: 1e6,
  /** Monte Carlo draws the server will redo to check a document (the app uses 5,000). */
  maxDraws: 20_000,
} as const;

// ---------------------------------------------------------------------------------------------
// Scalars

export const finite = (min: number, max: number) =>
  v.pipe(v.number('must be a finite number'), v.finite('must be finite'), v.minValue(min, `must be ≥ ${min}`), v.maxValue(max, `must be ≤ ${max}`));
export const positive = (max: number) =>
  v.pipe(v.number('must be a finite number'), v.finite('must be finite'), v.gtValue(0, 'must be > 0'), v.maxValue(max, `must be ≤ ${max}`));
export const count = (max: number) =>
  v.pipe(v.number('must be a finite number'), v.integer('must be an integer'), v.minValue(0, 'must be ≥ 0'), v.maxValue(max, `must be ≤ ${max}`));
/** An array of at most `max` items; the length is checked before any item is (a 100,000-item array fails at once). */
export const list = <T extends v.GenericSchema>(item: T, max: number) =>
  v.pipe(
    v.unknown(),
    v.check((x) => !Array.isArray(x) || x.length <= max, `must have at most ${max} items`),
    v.array(item, 'must be an array'),
  );

/** One of a closed list, with a message that names the list (cut short when long). */
export function oneOf<const T extends readonly string[]>(options: T, what: string) {
  const shown = options.length <= 12 ? options.filter(Boolean).join(', ') : `${options.slice(0, 8).join(', ')}, … (${options.length} in all)`;
  return v.picklist(options, `must be a known ${what} (${shown})`);
}

/**
 * A list of identifiers filtered to the known ones: unknown entries (a newer client's flag, a
 * feature we do not record) are dropped, never stored. Non-strings are refused.
 */
export function knownOnly(options: readonly string[], max: number) {
  return v.pipe(
    list(v.string('must be a string'), max),
    v.transform((xs) => [...new Set(xs.filter((x) => options.includes(x)))]),
  );
}

export const timingSource = v.picklist(['gpu-timestamp', 'wall-clock'], 'must be "gpu-timestamp" or "wall-clock"');

/** A p5 ≤ p50 ≤ p95 triple. */
export const range3 = (min: number, max: number) =>
  v.pipe(
    v.object({ p5: finite(min, max), p50: finite(min, max), p95: finite(min, max) }),
    v.check((r) => r.p5 <= r.p50 && r.p50 <= r.p95, 'must satisfy p5 ≤ p50 ≤ p95'),
  );

const lowHigh = (max: number) =>
  v.pipe(v.object({ low: finite(0, max), high: finite(0, max) }), v.check((r) => r.low <= r.high, 'must satisfy low ≤ high'));
const triangle = (max: number) =>
  v.pipe(
    v.object({ low: finite(0, max), typ: finite(0, max), high: finite(0, max) }),
    v.check((d) => d.low <= d.typ && d.typ <= d.high, 'must satisfy low ≤ typ ≤ high'),
  );
const year = v.pipe(count(2100), v.minValue(1990, 'must be ≥ 1990'));

// ---------------------------------------------------------------------------------------------
// Timing record (src/shared/result.ts TimingRecord): shared by every workload kind.

export const timingRecord = v.pipe(
  v.object({
    source: timingSource,
    warmup: count(1e6),
    samplesMs: v.pipe(list(positive(LIMITS.maxMs), LIMITS.samples), v.minLength(1, 'must have at least one sample')),
    medianMs: positive(LIMITS.maxMs),
    p10Ms: positive(LIMITS.maxMs),
    p90Ms: positive(LIMITS.maxMs),
    minMs: v.optional(positive(LIMITS.maxMs)),
    meanMs: v.optional(positive(LIMITS.maxMs)),
    cv: finite(0, 100),
    ciMedianMs: v.optional(
      v.pipe(
        v.object({ low: positive(LIMITS.maxMs), high: positive(LIMITS.maxMs) }),
        v.check((c) => c.low <= c.high, 'low must be ≤ high'),
      ),
    ),
    batch: v.optional(v.pipe(count(1e9), v.minValue(1, 'must be ≥ 1'))),
    dropped: v.optional(count(1e9)),
    wallMedianMs: v.optional(v.nullable(positive(LIMITS.maxMs))),
    flags: v.optional(knownOnly(RESULT_FLAGS, LIMITS.flags)),
    preheatMs: v.optional(finite(0, LIMITS.maxMs)),
    targetBatchMs: v.optional(positive(LIMITS.maxMs)),
    wallBaselineMs: v.optional(finite(0, LIMITS.maxMs)),
  }),
  v.check((t) => t.p10Ms <= t.medianMs && t.medianMs <= t.p90Ms, 'must satisfy p10Ms ≤ medianMs ≤ p90Ms'),
  v.check((t) => t.minMs === undefined || t.minMs <= t.medianMs, 'minMs must be ≤ medianMs'),
  v.check((t) => t.ciMedianMs === undefined || (t.ciMedianMs.low <= t.medianMs && t.medianMs <= t.ciMedianMs.high), 'ciMedianMs must contain medianMs'),
);

/** An optional achieved rate (GFLOP/s, GB/s): null when not meaningful. */
export const rate = (max: number) => v.optional(v.nullable(finite(0, max)));

// ---------------------------------------------------------------------------------------------
// Energy section (see src/shared/result.ts EnergySection and src/shared/recompute.ts)

const label = v.object({
  version: v.literal(ENERGY_LABEL_VERSION, `must be "${ENERGY_LABEL_VERSION}"`),
  class: v.picklist(ENERGY_LABEL_CLASSES, 'must be A, B, C, D or E'),
  low: v.picklist(ENERGY_LABEL_CLASSES, 'must be A, B, C, D or E'),
  high: v.picklist(ENERGY_LABEL_CLASSES, 'must be A, B, C, D or E'),
});

const timingInputs = v.object({
  role: v.picklist(['general', 'specialized'], 'must be "general" or "specialized"'),
  workloadId: oneOf(ENERGY_WORKLOAD_IDS, 'model workload id (ROLE:MODEL, or ROLE:MODEL:EP for a real model)'),
  tBusyMs: positive(LIMITS.maxMs),
  tWallMs: positive(LIMITS.maxMs),
  timingSource,
});

// Energy and gap ratio per correct answer (real models): recomputed on receipt by recompute.ts.
export const perCorrectEnergy = v.variant('available', [
  v.object({
    available: v.literal(true),
    joules: range3(0, LIMITS.maxJoulesPerQuery * 1e5),
    method: v.literal('interval-envelope', 'must be "interval-envelope"'),
  }),
  v.object({ available: v.literal(false), reason: oneOf(NO_FIGURE_REASONS, 'reason') }),
], 'must be { available: true, joules, method } or { available: false, reason }');

/** The stored gap ratio per correct answer (realmodels-result.ts perCorrectRatioRecord). */
export const perCorrectRatio = v.variant('available', [
  v.object({
    available: v.literal(true),
    ratio: range3(0, LIMITS.maxRatio * 1e5),
    method: v.literal('interval-envelope', 'must be "interval-envelope"'),
  }),
  v.object({ available: v.literal(false), reason: oneOf(NO_FIGURE_REASONS, 'reason') }),
], 'must be { available: true, ratio, method } or { available: false, reason }');

const roleEnergy = v.object({
  joules: range3(0, LIMITS.maxJoulesPerQuery),
  gCO2e: range3(0, LIMITS.maxJoulesPerQuery),
  attributionalJoules: v.optional(range3(0, LIMITS.maxJoulesPerQuery)),
  attributionalGCO2e: v.optional(range3(0, LIMITS.maxJoulesPerQuery)),
  embodiedGCO2e: v.optional(v.nullable(lowHigh(LIMITS.maxJoulesPerQuery))),
  inputs: v.optional(timingInputs),
  label: v.optional(label),
  perCorrect: v.optional(perCorrectEnergy),
});

/** Built once: the check runs for every provenance tag of every upload. */
const SOURCE_IDS: ReadonlySet<string> = new Set(knownSourceIds());
const sourceIds = v.pipe(
  list(v.string('must be a string'), 16),
  v.check((xs) => xs.every((x) => SOURCE_IDS.has(x)), 'must list known source ids (profile:…, grid:…, assumption:…, embodied:…)'),
);
const provenanceTag = v.variant('kind', [
  v.object({ kind: v.literal('measured'), method: v.picklist(MEASURED_METHODS, `must be one of ${MEASURED_METHODS.join(', ')}`) }),
  v.object({ kind: v.literal('sourced'), sources: sourceIds, year: v.nullable(year) }),
  v.object({ kind: v.literal('modeled'), basis: v.picklist(MODEL_BASES, `must be one of ${MODEL_BASES.join(', ')}`), sources: sourceIds }),
], 'must be a measured, sourced or modeled tag');
const perRole = v.object({ general: provenanceTag, specialized: provenanceTag });
const provenance = v.object({
  busyTime: perRole,
  wallTime: perRole,
  deltaW: provenanceTag,
  idleW: v.nullable(provenanceTag),
  hostW: provenanceTag,
  eta: provenanceTag,
  grid: provenanceTag,
  embodied: v.nullable(provenanceTag),
});

const basis = v.object({
  kind: v.picklist(['adapter', 'fallback', 'unidentified', 'uncatalogued', 'chosen', 'measured', 'battery'], 'must be a known basis kind'),
  form: v.nullable(v.picklist(['battery', 'mains', 'unknown'], 'must be battery, mains, unknown or null')),
  integratedOrDiscrete: v.optional(v.boolean('must be a boolean')),
  appleTier: v.optional(v.object({
    chosen: v.nullable(oneOf(APPLE_TIERS, 'Apple tier')),
    candidates: list(oneOf(APPLE_TIERS, 'Apple tier'), 8),
    threadsUsed: v.boolean('must be a boolean'),
    peakUsed: v.boolean('must be a boolean'),
    batteryUsed: v.boolean('must be a boolean'),
  })),
});

/** A real calendar day (YYYY-MM-DD, 2020–2100): the pattern alone would accept 2099-13-45. */
export const isoDay = v.pipe(
  v.string('must be a string'),
  v.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day, YYYY-MM-DD'),
  v.check((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s && d.getUTCFullYear() >= 2020 && d.getUTCFullYear() <= 2100;
  }, 'must be a real calendar day between 2020 and 2100'),
);

/** The sensor behind a `sensor` profile (power.ts SensorProfileRecord): ids, a count, a day. */
const sensorRecord = v.object({
  kind: v.picklist(SENSOR_KINDS, `must be one of ${SENSOR_KINDS.join(', ')}`),
  coverage: v.picklist(SENSOR_COVERAGES, `must be one of ${SENSOR_COVERAGES.join(', ')}`),
  samples: count(1e6),
  date: isoDay,
  adapter: v.object({
    // An id pattern here; schema.ts requires the whole adapter to be the document's (a known vendor).
    vendor: v.pipe(v.string('must be a string'), v.regex(ARCHITECTURE_PATTERN, 'must be a lower-case adapter vendor id')),
    architecture: v.pipe(v.string('must be a string'), v.regex(ARCHITECTURE_PATTERN, 'must be a lower-case WebGPU architecture name')),
    isFallbackAdapter: v.boolean('must be a boolean'),
  }),
});

const profile = v.pipe(
  v.object({
    id: v.pipe(v.string('must be a string'), v.maxLength(LIMITS.longString, 'is too long'), v.check(isKnownProfileId, 'must be a power-profile id of the catalog (or several joined by "+"), user-measured, battery-calibrated or sensor-measured')),
    source: v.picklist(['catalog', 'user', 'battery', 'sensor'], 'must be "catalog", "user", "battery" or "sensor"'),
    idleW: v.nullable(finite(0, LIMITS.maxWatts)),
    deltaW: triangle(LIMITS.maxWatts),
    idleRangeW: v.optional(v.nullable(lowHigh(LIMITS.maxWatts))),
    hostIncluded: v.optional(v.boolean('must be a boolean')),
    confidence: v.optional(v.picklist(['low', 'medium', 'high', 'calibrated'], 'must be low, medium, high or calibrated')),
    basis: v.optional(basis),
    flags: v.optional(knownOnly(PROFILE_FLAGS, LIMITS.flags)),
    embodiedClasses: v.optional(list(oneOf(EMBODIED_CLASSES, 'embodied class'), 8)),
    sensor: v.optional(sensorRecord),
  }),
  v.check((p) => (p.source === 'catalog') === !(MEASURED_PROFILE_IDS as readonly string[]).includes(p.id), 'id and source disagree (measured profiles have source "user", "battery" or "sensor")'),
  v.check((p) => (p.id === SENSOR_PROFILE_ID) === (p.source === 'sensor'), `id and source disagree (a sensor profile is ${SENSOR_PROFILE_ID})`),
  v.check((p) => (p.sensor !== undefined) === (p.source === 'sensor'), 'sensor: is recorded for a sensor profile, and only for one'),
);

const grid = v.pipe(
  v.object({
    country: v.pipe(v.string('must be a string'), v.transform((s) => s.toUpperCase()), oneOf(GRID_COUNTRIES, 'grid country code (ISO 3166-1 alpha-3 of the Ember table, WORLD or CUSTOM)')),
    gPerKWh: positive(LIMITS.maxGPerKWh),
    year: v.nullable(year),
    // ±10 % around a typed value of up to 2000 g/kWh reaches 2200.
    range: v.optional(lowHigh(LIMITS.maxGPerKWh * 1.1)),
    origin: v.optional(v.picklist(['dataset', 'default', 'user'], 'must be dataset, default or user')),
  }),
  v.check((g) => g.range === undefined || (g.range.low <= g.gPerKWh && g.gPerKWh <= g.range.high), 'range must contain gPerKWh'),
);

const embodied = v.object({
  classes: v.pipe(list(oneOf(EMBODIED_CLASSES, 'embodied class'), 8), v.minLength(1, 'must name at least one class')),
  kgCO2e: positive(1e5),
  lifetimeYears: positive(100),
  useRatio: v.pipe(positive(1), v.check((x) => x > 0, 'must be > 0')),
});

const method = v.object({
  formulasVersion: v.pipe(v.string('must be a string'), v.regex(/^energy-v\d{1,3}$/, 'must be a formulas version like energy-v3')),
  draws: v.pipe(count(LIMITS.maxDraws), v.minValue(1, 'must be ≥ 1')),
  seed: count(0xffffffff),
  prng: v.literal('mulberry32', 'must be "mulberry32"'),
  timing: v.literal('bootstrap-median', 'must be "bootstrap-median"'),
  percentiles: v.literal('linear interpolation of order statistics (p5, p50, p95)', 'must be the stated percentile method'),
  assumptions: v.object({
    hostW: triangle(100),
    eta: v.pipe(v.object({ low: finite(0.5, 1), high: finite(0.5, 1) }), v.check((e) => e.low <= e.high, 'must satisfy low ≤ high')),
    boundSpread: finite(0, 0.5),
  }),
  medianInputs: v.object({
    deltaW: finite(0, LIMITS.maxWatts),
    hostW: finite(0, 100),
    eta: finite(0.5, 1),
    gPerKWh: finite(0, LIMITS.maxGPerKWh),
    idleW: v.nullable(finite(0, LIMITS.maxWatts)),
  }),
  idleDistributionW: v.nullable(triangle(LIMITS.maxWatts)),
  dataYears: v.object({
    grid: v.nullable(year),
    gridSpan: v.object({ from: year, to: year }),
    profiles: v.pipe(v.string('must be a string'), v.regex(CATALOG_VERSION_PATTERN, 'must be a catalog version date (YYYY-MM-DD)')),
    embodied: v.pipe(v.string('must be a string'), v.regex(CATALOG_VERSION_PATTERN, 'must be a catalog version date (YYYY-MM-DD)')),
  }),
});

export const energySection = v.object({
  profile,
  grid,
  perQuery: v.object({ general: roleEnergy, specialized: roleEnergy }),
  ratio: range3(0, LIMITS.maxRatio),
  ratioPerCorrect: v.optional(perCorrectRatio),
  embodied: v.optional(v.nullable(embodied)),
  method: v.optional(method),
  provenance: v.optional(provenance),
});

// ---------------------------------------------------------------------------------------------
// Measured block (src/shared/power.ts MeasuredSection, src/shared/measured.ts): closed ids and
// bounded numbers only, never the sensor's name or an error message.

/** A sensor period, a window, a query: bounded by the server's 15-minute recordings. */
const MAX_RECORDING_S = 15 * 60;
/** A whole-system sensor of a multi-GPU server can read above a single device's `maxWatts`. */
const MAX_MEASURED_W = 20_000;

const measuredRole = v.object({
  meanW: finite(0, MAX_MEASURED_W),
  windowSeconds: positive(MAX_RECORDING_S),
  samples: count(1e6),
  queryMs: positive(LIMITS.maxMs),
  // Marginal joules may fall a little below zero within the sensor's noise (a load the sensor
  // cannot tell from idle): stored as measured, never "corrected".
  joules: finite(-LIMITS.maxJoulesPerQuery, LIMITS.maxJoulesPerQuery),
  attributionalJoules: finite(0, LIMITS.maxJoulesPerQuery),
  estimateOverMeasured: v.nullable(positive(LIMITS.maxRatio)),
});

export const measuredSection = v.variant('available', [
  v.object({
    available: v.literal(true),
    sensor: v.object({
      kind: v.picklist(SENSOR_KINDS, `must be one of ${SENSOR_KINDS.join(', ')}`),
      coverage: v.picklist(SENSOR_COVERAGES, `must be one of ${SENSOR_COVERAGES.join(', ')}`),
      periodMs: positive(60_000),
    }),
    samples: count(1e6),
    idleW: finite(0, MAX_MEASURED_W),
    idleSeconds: positive(MAX_RECORDING_S),
    perQuery: v.object({ general: v.optional(measuredRole), specialized: v.optional(measuredRole) }),
    ratio: v.nullable(positive(LIMITS.maxRatio)),
  }),
  v.object({
    available: v.literal(false),
    reason: v.picklist(MEASURED_REASONS, `must be one of ${MEASURED_REASONS.join(', ')}`),
  }),
], 'must be { available: true, … } or { available: false, reason }');
