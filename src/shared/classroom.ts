/**
 * Pooling a class's results on the projector: the class code, what one pupil's device sends (only
 * the figures the class distribution needs), its validation, and the pooled distribution. Shared
 * by the page (to build what it sends and draw what it reads) and the server (server/classes.ts).
 *
 * An entry holds no free text: a preset name, a vendor from the closed list, an architecture that
 * matches the strict pattern, three numbers, and a random per-run device key (so a pupil who sends
 * twice is one dot, not two). It has no timestamp, no address, no user agent.
 */
import * as v from 'valibot';
import { PRESET_NAMES, type PresetName } from './presets.ts';
import { quantileSorted } from './quantile.ts';
import type { ResultDocument } from './result.ts';
import { LIMITS } from './schema-parts.ts';
import { KNOWN_VENDORS } from './schema.ts';
import { ARCHITECTURE_PATTERN } from './vocabulary.ts';

/** Six characters without 0/O, 1/I/L: read aloud or typed from the projector without confusion. */
export const CLASS_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const CLASS_CODE_LENGTH = 6;
export const CLASS_CODE_PATTERN = /^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}$/;
export const isClassCode = (s: string): boolean => CLASS_CODE_PATTERN.test(s);

/** A class lasts a lesson: three hours, after which its entries are deleted. */
export const CLASS_LIFETIME_MS = 3 * 3600_000;
/** Devices a class pools at most (a lecture hall, with room to spare). */
export const MAX_CLASS_ENTRIES = 500;
/** The random key a device sends with its entry (base64url of 16 bytes). */
export const DEVICE_KEY_PATTERN = /^[A-Za-z0-9_-]{22}$/;
/** The address parameter that carries the class code to the pupils' devices. */
export const CLASS_PARAM = 'class';

/** The teacher's answer to `POST /api/classes`: the token closes the class early (shown once). */
export interface ClassCreated {
  code: string;
  token: string;
  preset: PresetName;
  /** ISO date and time (UTC) after which entries are refused and deleted. */
  expiresAt: string;
}

export interface ClassEntry {
  device: string;
  preset: PresetName;
  vendor: (typeof KNOWN_VENDORS)[number];
  architecture: string;
  /** Median joules per query (the energy section's p50) of each model, and the gap ratio's median. */
  generalJ: number;
  specializedJ: number;
  ratio: number;
}

const positiveNumber = (max: number, what: string) =>
  v.pipe(v.number(`must be a number (${what})`), v.finite('must be finite'), v.gtValue(0, 'must be > 0'), v.maxValue(max, `must be ≤ ${max}`));

const ClassEntrySchema = v.object(
  {
    device: v.pipe(v.string('must be a string'), v.regex(DEVICE_KEY_PATTERN, 'must be 22 characters among A-Z a-z 0-9 _ -')),
    preset: v.picklist(PRESET_NAMES, `must be a known preset (${PRESET_NAMES.join(', ')})`),
    vendor: v.picklist(KNOWN_VENDORS, 'must be a known adapter vendor'),
    architecture: v.pipe(v.string('must be a string'), v.regex(ARCHITECTURE_PATTERN, 'must be a lower-case WebGPU architecture name')),
    generalJ: positiveNumber(LIMITS.maxJoulesPerQuery, 'joules per query'),
    specializedJ: positiveNumber(LIMITS.maxJoulesPerQuery, 'joules per query'),
    ratio: positiveNumber(LIMITS.maxRatio, 'ratio'),
  },
);

const ClassCreateSchema = v.object(
  { preset: v.picklist(PRESET_NAMES, `must be a known preset (${PRESET_NAMES.join(', ')})`) },
);

export type Parsed<T> = { ok: true; value: T } | { ok: false; issues: string[] };

/**
 * Validate an untrusted value. Issues name the field and what it must be, never the value
 * received (valibot's default messages quote it; a field name the client made up is not repeated).
 */
function parseWith<T>(schema: v.GenericSchema<unknown, T>, input: unknown): Parsed<T> {
  let r: v.SafeParseResult<v.GenericSchema<unknown, T>>;
  try {
    r = v.safeParse(schema, input, { abortPipeEarly: true });
  } catch {
    return { ok: false, issues: ['(body): unreadable value'] };
  }
  if (r.success) return { ok: true, value: r.output };
  const issues = r.issues.slice(0, 10).map((i) => {
    const path = (i.path ?? []).map((p) => String(p.key)).filter((k) => /^[A-Za-z]{1,32}$/.test(k)).join('.') || '(body)';
    const msg = i.message.startsWith('Invalid key') ? 'is required' : i.message.startsWith('Invalid ') ? 'is not valid' : i.message;
    return `${path}: ${msg}`;
  });
  return { ok: false, issues };
}

export const parseClassEntry = (input: unknown): Parsed<ClassEntry> => parseWith(ClassEntrySchema, input);
export const parseClassCreate = (input: unknown): Parsed<{ preset: PresetName }> => parseWith(ClassCreateSchema, input);

/** A new random device key (one per run sent, so a resend replaces rather than adds). */
export function newDeviceKey(bytes: Uint8Array = crypto.getRandomValues(new Uint8Array(16))): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * What a pupil's device sends from its result: the medians only, and the adapter's vendor and
 * architecture where they are in the closed vocabulary ('' otherwise). Null without energy
 * figures (nothing to pool).
 */
export function classEntryFrom(doc: ResultDocument, device: string): ClassEntry | null {
  const e = doc.energy;
  if (!e) return null;
  const vendor = (KNOWN_VENDORS as readonly string[]).includes(doc.environment.adapter.vendor) ? (doc.environment.adapter.vendor as ClassEntry['vendor']) : '';
  const arch = doc.environment.adapter.architecture;
  return {
    device,
    preset: doc.suite.preset,
    vendor,
    architecture: ARCHITECTURE_PATTERN.test(arch) ? arch : '',
    generalJ: e.perQuery.general.joules.p50,
    specializedJ: e.perQuery.specialized.joules.p50,
    ratio: e.ratio.p50,
  };
}

// ---------------------------------------------------------------------------------------------
// The pooled distribution

/** One figure across the class: sorted values, quartiles, and a histogram on a log scale. */
export interface PooledFigure {
  values: number[];
  min: number;
  p25: number;
  median: number;
  p75: number;
  max: number;
  /** Bin edges (bins + 1, log-spaced from min to max) and the count in each bin. */
  edges: number[];
  counts: number[];
}

export interface ClassDistribution {
  count: number;
  ratio: PooledFigure | null;
  generalJ: PooledFigure | null;
  specializedJ: PooledFigure | null;
  /** Devices per vendor ('' = not reported), most frequent first, then by name. */
  vendors: { vendor: string; count: number }[];
}

const HISTOGRAM_BINS = 8;

/**
 * Counts of `sorted` (ascending, > 0) in `bins` log-spaced bins from its min to its max, the last
 * bin closed. Energies and ratios across devices span orders of magnitude, so a linear scale
 * would put almost every phone in the first bin. A single value (or all equal) is one full bin.
 */
export function logHistogram(sorted: readonly number[], bins = HISTOGRAM_BINS): { edges: number[]; counts: number[] } {
  const n = sorted.length;
  if (n === 0) return { edges: [], counts: [] };
  const lo = sorted[0] as number;
  const hi = sorted[n - 1] as number;
  if (!(hi > lo)) return { edges: [lo, hi], counts: [n] };
  const a = Math.log(lo);
  const step = (Math.log(hi) - a) / bins;
  // Values too close for their logarithms to differ are one value as far as bins go.
  if (!(step > 0)) return { edges: [lo, hi], counts: [n] };
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === 0 ? lo : i === bins ? hi : Math.exp(a + step * i)));
  const counts = new Array<number>(bins).fill(0);
  for (const x of sorted) {
    // A value on an inner edge opens the bin above it, whatever the rounding of its logarithm.
    const i = Math.min(bins - 1, Math.max(0, Math.floor((Math.log(x) - a) / step + 1e-9)));
    counts[i] = (counts[i] as number) + 1;
  }
  return { edges, counts };
}

export function pooledFigure(values: readonly number[], bins = HISTOGRAM_BINS): PooledFigure | null {
  const sorted = values.filter((x) => Number.isFinite(x) && x > 0).sort((x, y) => x - y);
  if (sorted.length === 0) return null;
  return {
    values: sorted,
    min: sorted[0] as number,
    p25: quantileSorted(sorted, 0.25),
    median: quantileSorted(sorted, 0.5),
    p75: quantileSorted(sorted, 0.75),
    max: sorted[sorted.length - 1] as number,
    ...logHistogram(sorted, bins),
  };
}

export function classDistribution(entries: readonly { vendor: string; generalJ: number; specializedJ: number; ratio: number }[]): ClassDistribution {
  const byVendor = new Map<string, number>();
  for (const e of entries) byVendor.set(e.vendor, (byVendor.get(e.vendor) ?? 0) + 1);
  return {
    count: entries.length,
    ratio: pooledFigure(entries.map((e) => e.ratio)),
    generalJ: pooledFigure(entries.map((e) => e.generalJ)),
    specializedJ: pooledFigure(entries.map((e) => e.specializedJ)),
    vendors: [...byVendor].map(([vendor, count]) => ({ vendor, count })).sort((x, y) => y.count - x.count || x.vendor.localeCompare(y.vendor)),
  };
}

/** The projector's view of a class (`GET /api/classes/:code`). */
export interface ClassView {
  code: string;
  preset: PresetName;
  expiresAt: string;
  distribution: ClassDistribution;
}
