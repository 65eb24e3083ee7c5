/**
 * The one validation schema of the schema-v1 result document, shared by the
 * browser (to build and check the upload payload) and the results server (to validate it).
 *
 * Three layers:
 *  1. shape: valibot objects. `v.object` strips unknown keys, so nothing we do not know about is
 *     ever stored; free-form `config` maps accept only shallow JSON scalars.
 *  2. bounds: every string, array and number is bounded, numbers must be finite (NaN/Infinity
 *     cannot even come out of JSON.parse, but documents built in memory can carry them).
 *  3. plausibility: ordered percentiles, throughput below what any existing GPU can do, energy
 *     ranges ordered, etc. A result that breaks physics is rejected, not "corrected".
 */
import * as v from 'valibot';
import { PRESET_NAMES } from './presets.ts';
import type { ResultDocument } from './result.ts';

// ---------------------------------------------------------------------------------------------
// Limits. Exported so tests and the UI can refer to the same numbers.

export const LIMITS = {
  workloads: 200,
  samples: 4096,
  kernels: 256,
  features: 64,
  limits: 128,
  flags: 32,
  configKeys: 64,
  configArray: 64,
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
} as const;

/**
 * Adapter vendors WebGPU implementations report: exactly the vendors of Dawn's
 * `src/dawn/gpu_info.json` (Chrome; Safari reports "apple", already in the list), plus "" where
 * the adapter is hidden (Firefox's empty `adapter.info`, privacy modes). Spelled as Dawn spells
 * them ("img-tec", not "imagination"): a vendor missing here keeps that hardware out of the
 * dataset, a name no browser reports only invites typos.
 */
export const KNOWN_VENDORS = [
  '', 'nvidia', 'amd', 'intel', 'apple', 'qualcomm', 'arm', 'img-tec', 'samsung', 'huawei',
  'broadcom', 'google', 'microsoft', 'mesa', 'verisilicon',
] as const;


/** Object keys that must never be copied into a stored object (prototype pollution). */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

// ---------------------------------------------------------------------------------------------
// Building blocks

const finite = (min: number, max: number) =>
  v.pipe(v.number('must be a finite number'), v.finite('must be finite'), v.minValue(min, `must be ≥ ${min}`), v.maxValue(max, `must be ≤ ${max}`));
const positive = (max: number) =>
  v.pipe(v.number('must be a finite number'), v.finite('must be finite'), v.gtValue(0, 'must be > 0'), v.maxValue(max, `must be ≤ ${max}`));
const count = (max: number) => v.pipe(v.number('must be a finite number'), v.integer('must be an integer'), v.minValue(0, 'must be ≥ 0'), v.maxValue(max, `must be ≤ ${max}`));
const str = (max: number = LIMITS.shortString) => v.pipe(v.string('must be a string'), v.maxLength(max, `must be at most ${max} characters`));
/** Identifiers (workload ids, kernel names, flags, features): printable ASCII, no spaces. */
const ident = v.pipe(v.string('must be a string'), v.minLength(1, 'must not be empty'), v.maxLength(LIMITS.shortString, `must be at most ${LIMITS.shortString} characters`), v.regex(/^[A-Za-z0-9._:@/+-]+$/, 'must use only letters, digits and ._:@/+-'));
const list = <T extends v.GenericSchema>(item: T, max: number) =>
  v.pipe(v.array(item, 'must be an array'), v.maxLength(max, `must have at most ${max} items`));

const timingSource = v.picklist(['gpu-timestamp', 'wall-clock'], 'must be "gpu-timestamp" or "wall-clock"');

/** A p5 ≤ p50 ≤ p95 triple. */
const range3 = (min: number, max: number) =>
  v.pipe(
    v.object({ p5: finite(min, max), p50: finite(min, max), p95: finite(min, max) }),
    v.check((r) => r.p5 <= r.p50 && r.p50 <= r.p95, 'must satisfy p5 ≤ p50 ≤ p95'),
  );

/**
 * `config` is free-form in the contract (`Record<string, unknown>`), so it is the one place a
 * hostile payload could nest deeply or smuggle keys. Only JSON scalars and short arrays of
 * scalars are accepted, and prototype keys are dropped.
 */
const configScalar = v.union([v.pipe(v.number(), v.finite()), v.pipe(v.string(), v.maxLength(LIMITS.longString)), v.boolean(), v.null()], 'values must be numbers, short strings, booleans or null');
const configValue = v.union([configScalar, v.pipe(v.array(configScalar), v.maxLength(LIMITS.configArray))], 'values must be scalars or short arrays of scalars');
const config = v.pipe(
  v.custom<Record<string, unknown>>((x) => typeof x === 'object' && x !== null && !Array.isArray(x), 'must be an object'),
  v.check((x) => Object.keys(x).length <= LIMITS.configKeys, `must have at most ${LIMITS.configKeys} keys`),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(dataset.value)) {
      if (FORBIDDEN_KEYS.has(key)) continue;
      if (key.length > LIMITS.shortString) {
        addIssue({ message: `key "${key.slice(0, 20)}…" is longer than ${LIMITS.shortString} characters` });
        return NEVER;
      }
      const parsed = v.safeParse(configValue, value);
      if (!parsed.success) {
        addIssue({ message: `"${key}": ${parsed.issues[0].message}` });
        return NEVER;
      }
      out[key] = parsed.output;
    }
    return out;
  }),
);

/** Numeric adapter limits (`maxBufferSize`, …): finite non-negative numbers, prototype keys dropped. */
const adapterLimits = v.pipe(
  v.record(v.pipe(v.string(), v.maxLength(LIMITS.shortString)), finite(0, Number.MAX_SAFE_INTEGER * 1024)),
  v.check((x) => Object.keys(x).length <= LIMITS.limits, `must have at most ${LIMITS.limits} entries`),
  v.transform((x) => {
    const out: Record<string, number> = {};
    for (const [k, n] of Object.entries(x)) if (!FORBIDDEN_KEYS.has(k)) out[k] = n;
    return out;
  }),
);

const isoDay = v.pipe(
  v.string('must be a string'),
  v.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day, YYYY-MM-DD'),
  v.check((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s && d.getUTCFullYear() >= 2020 && d.getUTCFullYear() <= 2100;
  }, 'must be a real calendar day between 2020 and 2100'),
);

// ---------------------------------------------------------------------------------------------
// Document

const timingRecord = v.pipe(
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
    flags: v.optional(list(ident, LIMITS.flags)),
    preheatMs: v.optional(finite(0, LIMITS.maxMs)),
    targetBatchMs: v.optional(positive(LIMITS.maxMs)),
    wallBaselineMs: v.optional(finite(0, LIMITS.maxMs)),
  }),
  v.check((t) => t.p10Ms <= t.medianMs && t.medianMs <= t.p90Ms, 'must satisfy p10Ms ≤ medianMs ≤ p90Ms'),
  v.check((t) => t.minMs === undefined || t.minMs <= t.medianMs, 'minMs must be ≤ medianMs'),
  v.check((t) => t.ciMedianMs === undefined || (t.ciMedianMs.low <= t.medianMs && t.medianMs <= t.ciMedianMs.high), 'ciMedianMs must contain medianMs'),
);

const kernelBreakdown = v.object({
  name: ident,
  medianMs: finite(0, LIMITS.maxMs),
  flops: finite(0, LIMITS.maxCount),
  bytes: finite(0, LIMITS.maxCount),
  count: v.optional(count(1e9)),
});

const rate = (max: number) => v.optional(v.nullable(finite(0, max)));

const workload = v.pipe(
  v.object({
    id: ident,
    kind: v.picklist(['micro', 'model'], 'must be "micro" or "model"'),
    role: v.optional(v.picklist(['general', 'specialized'], 'must be "general" or "specialized"')),
    config,
    flops: v.nullable(finite(0, LIMITS.maxCount)),
    flopsUnknown: v.optional(v.pipe(v.string('must be a string'), v.maxLength(LIMITS.longString, `must be at most ${LIMITS.longString} characters`))),
    bytes: finite(0, LIMITS.maxCount),
    timing: timingRecord,
    kernels: v.optional(list(kernelBreakdown, LIMITS.kernels)),
    gflops: rate(LIMITS.maxGflops),
    gbps: rate(LIMITS.maxGBps),
    tokensPerSecond: v.optional(v.object({ prefill: v.nullable(finite(0, 1e8)), decode: v.nullable(finite(0, 1e8)) })),
    verified: v.optional(v.boolean('must be a boolean')),
    dtype: v.optional(v.picklist(['f32', 'f16'], 'must be "f32" or "f16"')),
  }),
  // Physical plausibility from the contract fields themselves, whatever `gflops` claims.
  v.check((w) => (w.flops === null) === (w.flopsUnknown !== undefined), 'flops must be null exactly when flopsUnknown says why'),
  v.check((w) => w.flops === null || w.flops / (w.timing.medianMs * 1e6) <= LIMITS.maxGflops, `implausible throughput: more than ${LIMITS.maxGflops / 1e3} TFLOP/s`),
  v.check((w) => w.bytes / (w.timing.medianMs * 1e6) <= LIMITS.maxGBps, `implausible bandwidth: more than ${LIMITS.maxGBps} GB/s`),
  v.check((w) => w.kind === 'model' || w.role === undefined, 'role is only meaningful for model workloads'),
);

const perModel = v.object({ joules: range3(0, LIMITS.maxJoulesPerQuery), gCO2e: range3(0, LIMITS.maxJoulesPerQuery) });

const energySection = v.object({
  profile: v.object({
    id: ident,
    source: v.picklist(['catalog', 'user', 'battery'], 'must be "catalog", "user" or "battery"'),
    idleW: v.nullable(finite(0, LIMITS.maxWatts)),
    deltaW: v.pipe(
      v.object({ low: finite(0, LIMITS.maxWatts), typ: finite(0, LIMITS.maxWatts), high: finite(0, LIMITS.maxWatts) }),
      v.check((d) => d.low <= d.typ && d.typ <= d.high, 'must satisfy low ≤ typ ≤ high'),
    ),
    label: v.optional(str(LIMITS.longString)),
    reason: v.optional(str(LIMITS.longString)),
  }),
  grid: v.object({
    country: v.pipe(str(16), v.regex(/^[A-Za-z_-]*$/, 'must be a country code')),
    gPerKWh: finite(0, LIMITS.maxGPerKWh),
    year: v.nullable(v.pipe(count(2100), v.minValue(1990, 'must be ≥ 1990'))),
    source: str(LIMITS.longString),
  }),
  perQuery: v.object({ general: perModel, specialized: perModel }),
  ratio: range3(0, LIMITS.maxRatio),
});

const environment = v.object({
  browser: v.object({ name: str(32), major: v.nullable(count(10_000)) }),
  os: v.object({ family: str(32) }),
  adapter: v.object({
    vendor: v.picklist(KNOWN_VENDORS, `must be a known adapter vendor (${KNOWN_VENDORS.filter(Boolean).join(', ')} or empty)`),
    architecture: v.pipe(str(LIMITS.shortString), v.regex(/^[a-z0-9._-]*$/, 'must be a lower-case WebGPU architecture name')),
    isFallbackAdapter: v.boolean('must be a boolean'),
    features: list(ident, LIMITS.features),
    limits: adapterLimits,
    subgroupMinSize: v.optional(v.nullable(count(1024))),
    subgroupMaxSize: v.optional(v.nullable(count(1024))),
  }),
  timing: timingSource,
  crossOriginIsolated: v.optional(v.boolean('must be a boolean')),
});

export const ResultDocumentSchema = v.pipe(
  v.object({
    schemaVersion: v.literal(1, 'must be 1 (only schema version 1 is accepted)'),
    suite: v.object({ preset: v.picklist(PRESET_NAMES, `must be one of ${PRESET_NAMES.join(', ')}`), version: v.pipe(str(32), v.minLength(1, 'must not be empty')) }),
    app: v.object({ version: v.pipe(str(32), v.minLength(1, 'must not be empty')) }),
    date: v.optional(isoDay),
    environment,
    workloads: v.pipe(list(workload, LIMITS.workloads), v.minLength(1, 'must have at least one workload')),
    energy: v.optional(energySection),
    flags: v.optional(list(ident, LIMITS.flags)),
  }),
  v.check((d) => new Set(d.workloads.map((w) => w.id)).size === d.workloads.length, 'workload ids must be unique'),
);

export type ParsedResult = v.InferOutput<typeof ResultDocumentSchema>;
// Compile-time proof that what the schema outputs is a ResultDocument (and nothing looser).
const _outputIsResultDocument = (x: ParsedResult): ResultDocument => x;
void _outputIsResultDocument;

function issuePath(issue: v.BaseIssue<unknown>): string {
  const keys = (issue.path ?? []).map((p) => String(p.key));
  return keys.length ? keys.join('.') : '(document)';
}

export type ParseOutcome = { ok: true; value: ResultDocument } | { ok: false; issues: string[] };

/** Validate and strip an untrusted value. Issues are "path: message" lines a human can act on. */
export function parseResult(input: unknown): ParseOutcome {
  let result: ReturnType<typeof v.safeParse<typeof ResultDocumentSchema>>;
  try {
    result = v.safeParse(ResultDocumentSchema, input, { abortPipeEarly: true });
  } catch (err) {
    // Getters that throw or exotic objects: reject rather than crash the caller.
    return { ok: false, issues: [`(document): unreadable value (${err instanceof Error ? err.message : String(err)})`] };
  }
  if (result.success) return { ok: true, value: result.output };
  // valibot words a missing key as "Invalid key: …"; say what a person needs to fix.
  const issues = result.issues.slice(0, 20).map((i) => `${issuePath(i)}: ${i.message.startsWith('Invalid key') ? 'is required' : i.message}`);
  return { ok: false, issues };
}

// ---------------------------------------------------------------------------------------------
// Anonymization: browser and OS families, adapter vendor and architecture, the day only; nothing that
// identifies a device or a person (no description, driver, user agent, time of day).

/** Today's day in UTC, the finest date precision ever recorded. */
export function utcDay(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Reduce a browser name to its family (no channel or embedding details). */
function browserFamily(name: string): string {
  const n = name.toLowerCase();
  if (n.includes('edge') || n === 'edg') return 'edge';
  if (n.includes('opera') || n === 'opr') return 'opera';
  if (n.includes('firefox')) return 'firefox';
  if (n.includes('safari') && !n.includes('chrom')) return 'safari';
  if (n.includes('chrom') || n.includes('headless')) return 'chrome';
  return n.replace(/[^a-z0-9-]/g, '').slice(0, 16) || 'other';
}

/**
 * The exact payload an upload sends: browser family + major version, OS family, adapter vendor
 * + architecture (+ fallback flag, features, limits), date truncated to the day; everything
 * else (descriptions, device ids, drivers, user agent, unknown fields) is dropped because the
 * copy is rebuilt field by field, never spread from the input.
 */
export function anonymize(doc: ResultDocument, now: Date = new Date()): ResultDocument {
  const a = doc.environment.adapter;
  const out: ResultDocument = {
    schemaVersion: 1,
    suite: { preset: doc.suite.preset, version: doc.suite.version },
    app: { version: doc.app.version },
    date: (doc.date ?? utcDay(now)).slice(0, 10),
    environment: {
      browser: { name: browserFamily(doc.environment.browser.name), major: doc.environment.browser.major },
      os: { family: doc.environment.os.family },
      adapter: {
        vendor: a.vendor,
        architecture: a.architecture,
        isFallbackAdapter: a.isFallbackAdapter,
        features: [...a.features].sort(),
        limits: { ...a.limits },
        ...(a.subgroupMinSize !== undefined ? { subgroupMinSize: a.subgroupMinSize } : {}),
        ...(a.subgroupMaxSize !== undefined ? { subgroupMaxSize: a.subgroupMaxSize } : {}),
      },
      timing: doc.environment.timing,
      ...(doc.environment.crossOriginIsolated !== undefined ? { crossOriginIsolated: doc.environment.crossOriginIsolated } : {}),
    },
    workloads: doc.workloads,
    ...(doc.energy ? { energy: doc.energy } : {}),
    ...(doc.flags ? { flags: doc.flags } : {}),
  };
  // A final pass through the schema strips any unknown nested field (e.g. extra keys inside a
  // workload). If the document is invalid, the caller's parseResult will report why.
  const parsed = parseResult(out);
  return parsed.ok ? parsed.value : out;
}

/** Deterministic JSON (sorted keys) so the same result always hashes to the same value. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
