/**
 * The one validation schema of the schema-v1 result document, shared by the
 * browser (to build and check the upload payload) and the results server (to validate it).
 *
 * Three layers:
 *  1. shape: valibot objects. `v.object` strips unknown keys, so nothing we do not know about is
 *     ever stored.
 *  2. closed vocabulary (vocabulary.ts): every string kept is an identifier from a closed set or
 *     matches a strict pattern; texts a person reads are not stored at all (the app and the
 *     exports render them from the catalogs). Lists of flags, features and limits keep the known
 *     entries and drop the rest; any other unknown string is refused, naming the field.
 *  3. bounds and plausibility: every number finite and bounded, ordered percentiles, throughput
 *     below what any existing GPU can do. A result that breaks physics is rejected, not "corrected".
 * The energy figures themselves are checked against a recomputation (recompute.ts) by the server.
 */
import * as v from 'valibot';
import { PRESET_NAMES } from './presets.ts';
import type { ResultDocument } from './result.ts';
import { LIMITS, count, energySection, finite, isoDay, knownOnly, list, measuredSection, oneOf, rate, timingRecord, timingSource } from './schema-parts.ts';
import { realWorkload } from './realmodels-result.ts';
import { utcDay } from './day.ts';
import { tuningRecordSchema } from './tuning-schema.ts';
import {
  APP_VERSION_PATTERN, ARCHITECTURE_PATTERN, BROWSER_FAMILIES, CONFIG_BOOLEAN_KEYS, CONFIG_KEYS, CONFIG_STRINGS, KERNEL_NAMES,
  MICRO_WORKLOAD_IDS, MODEL_WORKLOAD_IDS, OS_FAMILIES, RECORDED_FEATURES, RECORDED_LIMIT_NAMES, RESULT_FLAGS, SUITE_VERSIONS,
  RUNTIME_KINDS, WEBGPU_BACKENDS,
} from './vocabulary.ts';

export { LIMITS };

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

/**
 * `config` holds the shape of a workload: known keys only, each with its type: a word from its
 * closed list (model, family, dtype, norm, …), true/false (tiedEmbeddings, qkvBias), or a finite
 * number (null where not measured).
 */
function configIssue(key: string, value: unknown): string | null {
  if (!(CONFIG_KEYS as readonly string[]).includes(key)) return `unknown key (known: ${CONFIG_KEYS.join(', ')})`;
  const words = CONFIG_STRINGS[key];
  if (words) return typeof value === 'string' && words.includes(value) ? null : `must be one of ${words.join(', ')}`;
  if ((CONFIG_BOOLEAN_KEYS as readonly string[]).includes(key)) return typeof value === 'boolean' ? null : 'must be true or false';
  return value === null || (typeof value === 'number' && Number.isFinite(value)) ? null : 'must be a finite number or null';
}
const config = v.pipe(
  v.custom<Record<string, unknown>>((x) => typeof x === 'object' && x !== null && !Array.isArray(x), 'must be an object'),
  v.check((x) => Object.keys(x).length <= LIMITS.configKeys, `must have at most ${LIMITS.configKeys} keys`),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(dataset.value)) {
      // Prototype keys are dropped, never copied (a JSON body can carry an own "__proto__").
      if (FORBIDDEN_KEYS.has(key)) continue;
      const message = configIssue(key, value);
      if (message !== null) {
        addIssue({ message, path: [{ type: 'object', origin: 'value', input: dataset.value, key, value }] });
        return NEVER;
      }
      out[key] = value;
    }
    return out;
  }),
);

/** Numeric adapter limits: the recorded names only (others dropped), finite non-negative numbers. */
const adapterLimits = v.pipe(
  v.record(v.pipe(v.string(), v.maxLength(LIMITS.shortString)), finite(0, Number.MAX_SAFE_INTEGER * 1024)),
  v.check((x) => Object.keys(x).length <= LIMITS.limits, `must have at most ${LIMITS.limits} entries`),
  v.transform((x) => {
    const out: Record<string, number> = {};
    for (const [k, n] of Object.entries(x)) if ((RECORDED_LIMIT_NAMES as readonly string[]).includes(k)) out[k] = n;
    return out;
  }),
);

// ---------------------------------------------------------------------------------------------
// Document

const kernelBreakdown = v.object({
  name: oneOf(KERNEL_NAMES, 'kernel name'),
  medianMs: finite(0, LIMITS.maxMs),
  flops: finite(0, LIMITS.maxCount),
  bytes: finite(0, LIMITS.maxCount),
  count: v.optional(count(1e9)),
});

const WORKLOAD_IDS: readonly string[] = [...MICRO_WORKLOAD_IDS, ...MODEL_WORKLOAD_IDS];

/** Workloads the lab's own engine runs: micro kernels and synthetic-weight models. */
const engineWorkload = v.pipe(
  v.object({
    id: oneOf(WORKLOAD_IDS, 'workload id'),
    kind: v.picklist(['micro', 'model'], 'must be "micro", "model" or "real-model"'),
    role: v.optional(v.picklist(['general', 'specialized'], 'must be "general" or "specialized"')),
    config,
    // Every workload of the lab's own suites has a FLOP count (only imported ONNX models may not,
    // and those are never published).
    flops: finite(0, LIMITS.maxCount),
    bytes: finite(0, LIMITS.maxCount),
    timing: timingRecord,
    kernels: v.optional(list(kernelBreakdown, LIMITS.kernels)),
    gflops: rate(LIMITS.maxGflops),
    gbps: rate(LIMITS.maxGBps),
    tokensPerSecond: v.optional(v.object({ prefill: v.nullable(finite(0, 1e8)), decode: v.nullable(finite(0, 1e8)) })),
    verified: v.optional(v.boolean('must be a boolean')),
    dtype: v.optional(v.picklist(['f32', 'f16'], 'must be "f32" or "f16"')),
    // Refused rather than stripped: a `real` block on a synthetic workload is a contradiction.
    real: v.optional(v.never('only a workload of kind "real-model" has a real block')),
  }),
  // Physical plausibility from the contract fields themselves, whatever `gflops` claims.
  v.check((w) => w.flops / (w.timing.medianMs * 1e6) <= LIMITS.maxGflops, `implausible throughput: more than ${LIMITS.maxGflops / 1e3} TFLOP/s`),
  v.check((w) => w.bytes / (w.timing.medianMs * 1e6) <= LIMITS.maxGBps, `implausible bandwidth: more than ${LIMITS.maxGBps} GB/s`),
  v.check((w) => w.kind === 'model' || w.role === undefined, 'role is only meaningful for model workloads'),
  v.check((w) => (w.kind === 'model') === MODEL_WORKLOAD_IDS.includes(w.id), 'kind must match the workload id (model ids are ROLE:MODEL)'),
  v.check((w) => w.kind !== 'model' || w.id.startsWith(`${w.role ?? ''}:`), 'a model workload id starts with its role'),
);

/**
 * A workload: the engine's (micro, model) or a downloaded model run through onnxruntime-web
 * (`real-model`, realmodels-result.ts). The kind picks the schema, so `real` is required on a
 * real-model workload and refused on any other: `(kind === 'real-model') === (real !== undefined)`.
 */
const workload = v.variant('kind', [engineWorkload, realWorkload], 'must be a workload of kind "micro", "model" or "real-model"');

const environment = v.pipe(v.object({
  browser: v.object({ name: oneOf(BROWSER_FAMILIES, 'browser family'), major: v.nullable(count(10_000)) }),
  os: v.object({ family: oneOf(OS_FAMILIES, 'OS family') }),
  adapter: v.object({
    vendor: v.picklist(KNOWN_VENDORS, `must be a known adapter vendor (${KNOWN_VENDORS.filter(Boolean).join(', ')} or empty)`),
    architecture: v.pipe(v.string('must be a string'), v.regex(ARCHITECTURE_PATTERN, 'must be a lower-case WebGPU architecture name')),
    isFallbackAdapter: v.boolean('must be a boolean'),
    features: knownOnly(RECORDED_FEATURES, LIMITS.features),
    limits: adapterLimits,
    subgroupMinSize: v.optional(v.nullable(count(1024))),
    subgroupMaxSize: v.optional(v.nullable(count(1024))),
  }),
  timing: timingSource,
  crossOriginIsolated: v.optional(v.boolean('must be a boolean')),
  runtime: v.optional(v.object({ kind: v.picklist(RUNTIME_KINDS, `must be one of ${RUNTIME_KINDS.join(', ')}`), backend: v.nullable(v.picklist(WEBGPU_BACKENDS, `must be one of ${WEBGPU_BACKENDS.join(', ')} or null`)) })),
  // The kernel choices (tuning-schema.ts); documents from before tuning have none.
  tuning: v.optional(tuningRecordSchema),
}), 
  // A tuning must be one this adapter could have run and timed: subgroup kernels need the
  // feature, and a timed trial needs GPU timestamps.
  v.check((e) => e.tuning?.tuning.gemvReduction !== 'subgroup' || e.adapter.features.includes('subgroups'), 'tuning: a subgroup reduction needs the adapter feature "subgroups"'),
  // (The adapter's feature, not environment.timing: a real-models document is timed on the wall
  // clock while its synthetic replicas, which the tuning served, used timestamps.)
  v.check((e) => !e.tuning || e.adapter.features.includes('timestamp-query') || e.tuning.trials.every((t) => t.medianMs === null), 'tuning: trials are timed only on an adapter with "timestamp-query"'),
);

export const ResultDocumentSchema = v.pipe(
  v.object({
    schemaVersion: v.literal(1, 'must be 1 (only schema version 1 is accepted)'),
    suite: v.object({
      preset: v.picklist(PRESET_NAMES, `must be one of ${PRESET_NAMES.join(', ')}`),
      version: oneOf(SUITE_VERSIONS, 'suite version'),
    }),
    app: v.object({ version: v.pipe(v.string('must be a string'), v.regex(APP_VERSION_PATTERN, 'must be a version MAJOR.MINOR.PATCH, optionally -pre.release (letters, digits, dots; 16 at most)')) }),
    date: v.optional(isoDay),
    environment,
    workloads: v.pipe(list(workload, LIMITS.workloads), v.minLength(1, 'must have at least one workload')),
    energy: v.optional(energySection),
    measured: v.optional(measuredSection),
    flags: v.optional(knownOnly(RESULT_FLAGS, LIMITS.flags)),
  }),
  v.check((d) => new Set(d.workloads.map((w) => w.id)).size === d.workloads.length, 'workload ids must be unique'),
  v.check((d) => d.suite.version.startsWith(`${d.suite.preset}-`), 'suite.version must belong to suite.preset'),
  // The Node runner records itself as the browser family `node`: the two say the same thing.
  v.check((d) => !d.environment.runtime || (d.environment.runtime.kind === 'node') === (d.environment.browser.name === 'node'), 'environment.runtime.kind must be node exactly when environment.browser.name is node'),
  // A sensor profile belongs to the adapter it was measured on (so its vendor is a known one too).
  v.check((d) => {
    const s = d.energy?.profile.sensor;
    const a = d.environment.adapter;
    return !s || (s.adapter.vendor === a.vendor && s.adapter.architecture === a.architecture && s.adapter.isFallbackAdapter === a.isFallbackAdapter);
  }, "energy.profile.sensor.adapter must be the document's adapter"),
);

export type ParsedResult = v.InferOutput<typeof ResultDocumentSchema>;
// Compile-time proof that what the schema outputs is a ResultDocument (and nothing looser).
const _outputIsResultDocument = (x: ParsedResult): ResultDocument => x;
void _outputIsResultDocument;

/**
 * The field an issue is about. An unknown key is the client's text: echo it only when it looks
 * like a field name, so a 422 never carries a hostile string back (it would end up in logs).
 */
function issuePath(issue: v.BaseIssue<unknown>): string {
  const keys = (issue.path ?? []).map((p) => {
    const k = String(p.key);
    return /^[A-Za-z0-9_-]{1,64}$/.test(k) ? k : '(unknown key)';
  });
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
  // valibot's default messages quote the value received: say what was expected instead, so a
  // 422 never carries the client's text back.
  const message = (i: v.BaseIssue<unknown>) =>
    i.message.startsWith('Invalid key') ? 'is required' : i.message.startsWith('Invalid ') ? `must be ${i.expected ?? 'a valid value'}` : i.message;
  const issues = result.issues.slice(0, 20).map((i) => `${issuePath(i)}: ${message(i)}`);
  return { ok: false, issues };
}

// ---------------------------------------------------------------------------------------------
// Anonymization: browser and OS families, adapter vendor and architecture, the day only; nothing that
// identifies a device or a person (no description, driver, user agent, time of day).

/** Reduce a browser name to its family (no channel or embedding details). */
function browserFamily(name: string): string {
  const n = name.toLowerCase();
  if (n.includes('edge') || n === 'edg') return 'edge';
  if (n.includes('opera') || n === 'opr') return 'opera';
  if (n.includes('firefox')) return 'firefox';
  if (n.includes('safari') && !n.includes('chrom')) return 'safari';
  if (n.includes('chrom') || n.includes('headless')) return 'chrome';
  return (BROWSER_FAMILIES as readonly string[]).includes(n) ? n : 'other';
}

function knownOsFamily(family: string): string {
  return (OS_FAMILIES as readonly string[]).includes(family) ? family : 'other';
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
      os: { family: knownOsFamily(doc.environment.os.family) },
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
      ...(doc.environment.runtime ? { runtime: { kind: doc.environment.runtime.kind, backend: doc.environment.runtime.backend } } : {}),
      // Kernel choices and their timings: shapes and closed words, nothing that identifies a device.
      ...(doc.environment.tuning ? { tuning: doc.environment.tuning } : {}),
    },
    workloads: doc.workloads,
    ...(doc.energy ? { energy: doc.energy } : {}),
    ...(doc.measured ? { measured: doc.measured } : {}),
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
