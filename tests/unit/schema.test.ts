/**
 * The shared result schema: hand-written cases for each plausibility rule, then property-based
 * hostile inputs (fast-check). The invariant for every bad input: parseResult returns
 * `{ ok: false }` with at least one readable issue, never throws, never returns a value that
 * carries the junk.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { anonymize, canonicalJson, LIMITS, parseResult } from '../../src/shared/schema.ts';
import type { ResultDocument } from '../../src/shared/result.ts';
import { sampleResult } from '../../src/shared/sample-result.ts';

const clone = (): ResultDocument => structuredClone(sampleResult());

type Path = (string | number)[];
/** One step into a JSON value: the property or element `k` of an object or array, else undefined. */
function child(o: unknown, k: string | number): unknown {
  return o !== null && typeof o === 'object' ? (o as Record<string | number, unknown>)[k] : undefined;
}
/** The value at `path` in `root` (undefined where the path leaves the tree). */
function getPath(root: unknown, path: Path): unknown {
  return path.reduce<unknown>(child, root);
}
/** Set the value at `path` in `root`, whose parent must exist and be an object or array. */
function setPath(root: unknown, path: Path, value: unknown): void {
  const parent = getPath(root, path.slice(0, -1));
  if (parent === null || typeof parent !== 'object') throw new TypeError(`no object at ${path.slice(0, -1).join('.')}`);
  (parent as Record<string | number, unknown>)[path[path.length - 1]!] = value;
}

function rejects(doc: unknown, issue: RegExp) {
  const r = parseResult(doc);
  expect(r.ok).toBe(false);
  if (!r.ok) expect(r.issues.join('\n')).toMatch(issue);
}

describe('valid documents', () => {
  test('the fixture is accepted unchanged', () => {
    const r = parseResult(sampleResult());
    expect(r).toEqual({ ok: true, value: sampleResult() });
  });
  test('energy is optional, and so are all optional timing fields', () => {
    const d = clone();
    delete d.energy;
    const w = d.workloads[0]!;
    w.timing = { source: 'wall-clock', warmup: 0, samplesMs: [1], medianMs: 1, p10Ms: 1, p90Ms: 1, cv: 0 };
    delete w.gflops;
    delete w.gbps;
    const r = parseResult(d);
    expect(r.ok).toBe(true);
  });
  test('all known presets and an empty vendor (Firefox) are accepted', () => {
    for (const preset of ['ci', 'quick', 'paper', 'custom'] as const) {
      const d = clone();
      d.suite.preset = preset;
      d.suite.version = `${preset}-1`;
      d.environment.adapter.vendor = '';
      d.environment.adapter.architecture = '';
      expect(parseResult(d).ok).toBe(true);
    }
  });
});

describe('plausibility rules, one by one', () => {
  test('p10 ≤ median ≤ p90', () => {
    const d = clone();
    d.workloads[1]!.timing.p90Ms = 0.5;
    rejects(d, /^workloads\.1\.timing: must satisfy p10Ms ≤ medianMs ≤ p90Ms$/m);
  });
  test('energy ranges ordered p5 ≤ p50 ≤ p95', () => {
    const d = clone();
    d.energy!.perQuery.general.joules = { p5: 3, p50: 2, p95: 12 };
    rejects(d, /energy\.perQuery\.general\.joules: must satisfy p5 ≤ p50 ≤ p95/);
  });
  test('ΔP low ≤ typ ≤ high', () => {
    const d = clone();
    d.energy!.profile.deltaW = { low: 20, typ: 15, high: 35 };
    rejects(d, /energy\.profile\.deltaW: must satisfy low ≤ typ ≤ high/);
  });
  test('throughput: 1 PFLOP in 1 ms (1e6 TFLOP/s) is not a GPU', () => {
    const d = clone();
    d.workloads[2]!.flops = 1e15;
    d.workloads[2]!.timing = { ...d.workloads[2]!.timing, samplesMs: [1], medianMs: 1, p10Ms: 1, p90Ms: 1, minMs: 1 };
    rejects(d, /workloads\.2: implausible throughput: more than 2000 TFLOP\/s/);
  });
  test('bandwidth above 50 TB/s is rejected, 2 TB/s accepted', () => {
    const d = clone();
    d.workloads[1]!.bytes = 2e9; // in 1 ms → 2000 GB/s
    d.workloads[1]!.gbps = 2000;
    expect(parseResult(d).ok).toBe(true);
    d.workloads[1]!.bytes = 6e10; // 60 TB/s
    rejects(d, /implausible bandwidth/);
  });
  test('negative, zero and non-finite timings', () => {
    for (const bad of [-1, 0, Number.NaN, Number.POSITIVE_INFINITY]) {
      const d = clone();
      d.workloads[0]!.timing.samplesMs = [2.4, bad, 2.6];
      rejects(d, /workloads\.0\.timing\.samplesMs\.1: must be/);
    }
  });
  test('sample count is bounded', () => {
    const d = clone();
    d.workloads[0]!.timing.samplesMs = Array.from({ length: LIMITS.samples + 1 }, () => 2.5);
    rejects(d, /samplesMs: must have at most 4096 items/);
  });
  test('unknown vendor, preset, schema version', () => {
    const d = clone();
    d.environment.adapter.vendor = 'acme';
    rejects(d, /environment\.adapter\.vendor: must be a known adapter vendor/);
    rejects({ ...clone(), suite: { preset: 'turbo', version: '1' } }, /suite\.preset: must be one of ci, quick, paper, custom/);
    rejects({ ...clone(), schemaVersion: 2 }, /schemaVersion: must be 1/);
  });
  test('missing required fields are named', () => {
    rejects({ schemaVersion: 1 }, /suite: is required/);
  });
  test('a date must be a real day, not a timestamp', () => {
    rejects({ ...clone(), date: '2026-11-23T10:11:12Z' }, /date: must be a day/);
    rejects({ ...clone(), date: '2026-02-30' }, /date: must be a real calendar day/);
  });
  test('duplicate workload ids', () => {
    const d = clone();
    d.workloads[1]!.id = 'fma-peak';
    rejects(d, /workload ids must be unique/);
  });
});

describe('stripping', () => {
  test('unknown fields are dropped at every level', () => {
    const d = JSON.parse(JSON.stringify(sampleResult())) as unknown;
    setPath(d, ['secret'], 1);
    setPath(d, ['environment', 'adapter', 'description'], 'NVIDIA RTX 4090');
    setPath(d, ['environment', 'userAgent'], 'Mozilla/5.0');
    setPath(d, ['workloads', 0, 'timing', 'extra'], [1, 2]);
    setPath(d, ['energy', 'perQuery', 'general', 'note'], 'x');
    const r = parseResult(d);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value).toEqual(sampleResult());
  });
  test('prototype keys in config and limits are dropped, not applied', () => {
    const d = JSON.parse(JSON.stringify(sampleResult()).replace('"invocations":4096', '"__proto__":{"polluted":true},"constructor":1,"invocations":4096').replace('"maxBufferSize"', '"__proto__":5,"maxBufferSize"')) as unknown;
    const r = parseResult(d);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.workloads[0]!.config).toEqual({ invocations: 4096, iterations: 128, workgroupSize: 256 });
      expect(Object.keys(r.value.environment.adapter.limits)).toEqual(['maxBufferSize', 'maxStorageBufferBindingSize']);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }
  });
});

describe('anonymize', () => {
  test('keeps only the allowed environment fields and truncates the date', () => {
    const d = JSON.parse(JSON.stringify(sampleResult())) as unknown;
    setPath(d, ['environment', 'adapter', 'description'], 'NVIDIA GeForce RTX 4090');
    setPath(d, ['environment', 'adapter', 'device'], '0x2684');
    setPath(d, ['environment', 'adapter', 'driver'], '550.54');
    setPath(d, ['environment', 'browser', 'name'], 'Chrome Headless');
    setPath(d, ['environment', 'userAgent'], 'Mozilla/5.0');
    setPath(d, ['date'], '2026-11-23');
    const a = anonymize(d as ResultDocument);
    expect(a.environment).toEqual({
      browser: { name: 'chrome', major: 140 },
      os: { family: 'linux' },
      adapter: { vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: true, features: ['subgroups', 'timestamp-query'], limits: { maxBufferSize: 268435456, maxStorageBufferBindingSize: 134217728 }, subgroupMinSize: 4, subgroupMaxSize: 4 },
      timing: 'gpu-timestamp',
      crossOriginIsolated: true,
    });
    expect(JSON.stringify(a)).not.toMatch(/RTX|0x2684|550\.54|Mozilla/);
  });
  test('a missing date becomes the current UTC day', () => {
    const d = clone();
    delete d.date;
    expect(anonymize(d, new Date('2026-03-04T23:59:59.999Z')).date).toBe('2026-03-04');
  });
  test('browser families', () => {
    const fam = (name: string) => { const d = clone(); d.environment.browser.name = name; return anonymize(d).environment.browser.name; };
    expect([fam('Chrome'), fam('Microsoft Edge'), fam('Firefox'), fam('Safari'), fam('HeadlessChrome')]).toEqual(['chrome', 'edge', 'firefox', 'safari', 'chrome']);
  });
});

describe('canonicalJson', () => {
  test('sorts keys so equal content hashes equally', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: null }] })).toBe('{"a":[{"c":null,"d":2}],"b":1}');
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
  });
});

// ---------------------------------------------------------------------------------------------
// Property-based hostile inputs

/** Paths to leaves of the fixture, to inject junk at arbitrary depth. */
function leafPaths(x: unknown, prefix: Path = []): Path[] {
  if (Array.isArray(x)) return x.flatMap((v, i) => leafPaths(v, [...prefix, i]));
  if (x !== null && typeof x === 'object') return Object.entries(x).flatMap(([k, v]) => leafPaths(v, [...prefix, k]));
  return [prefix];
}
const NUMERIC_LEAVES = leafPaths(sampleResult()).filter((p) => typeof getPath(sampleResult(), p) === 'number');
const ALL_LEAVES = leafPaths(sampleResult());

function expectRejected(input: unknown) {
  const r = parseResult(input);
  expect(r.ok).toBe(false);
  if (!r.ok) {
    expect(r.issues.length).toBeGreaterThan(0);
    for (const i of r.issues) expect(i).toMatch(/^[\w.()]+: \S/);
  }
}

describe('property-based hostile inputs', () => {
  test('non-objects and wrong top-level types are rejected', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.array(fc.anything())), (x) => expectRejected(x)));
  });

  test('any numeric field set to NaN or ±Infinity is rejected', () => {
    fc.assert(
      fc.property(fc.constantFrom(...NUMERIC_LEAVES), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY), (path, bad) => {
        const d = clone();
        setPath(d, path, bad);
        // config values are free-form numbers, but still must be finite
        expectRejected(d);
      }),
    );
  });

  test('any leaf replaced by a value of the wrong type is rejected', () => {
    const wrongFor = (v: unknown) =>
      typeof v === 'number' ? fc.oneof(fc.string(), fc.constant({}), fc.array(fc.integer(), { maxLength: 3 }))
        : typeof v === 'string' ? fc.oneof(fc.double(), fc.constant({}), fc.constant([]))
          : typeof v === 'boolean' ? fc.oneof(fc.integer(), fc.string({ minLength: 1 }))
            : fc.oneof(fc.constant({ x: 1 }));
    fc.assert(
      fc.property(fc.constantFrom(...ALL_LEAVES).chain((p) => {
        return fc.tuple(fc.constant(p), wrongFor(getPath(sampleResult(), p)));
      }), ([path, bad]) => {
        const d = clone();
        setPath(d, path, bad);
        expectRejected(d);
      }),
      { numRuns: 300 },
    );
  });

  test('very long strings in any string field are rejected, or dropped from a list of known ids: never kept', () => {
    const stringLeaves = ALL_LEAVES.filter((p) => typeof getPath(sampleResult(), p) === 'string');
    fc.assert(
      fc.property(fc.constantFrom(...stringLeaves), fc.integer({ min: 257, max: 100_000 }), (path, len) => {
        const d = clone();
        setPath(d, path, 'a'.repeat(len));
        const r = parseResult(d);
        if (r.ok) expect(JSON.stringify(r.value)).not.toContain('a'.repeat(257));
        else expect(r.issues.join('\n')).toMatch(/^[\w.()]+: \S/);
      }),
      { numRuns: 60 },
    );
  });

  test('huge arrays are rejected without hanging', () => {
    const d = clone();
    const w0 = sampleResult().workloads[0]!;
    d.workloads = Array.from({ length: 100_000 }, (_, i) => ({ ...w0, id: `w${i}` }));
    expectRejected(d);
    const e = clone();
    e.environment.adapter.features = Array.from({ length: 10_000 }, (_, i) => `f${i}`);
    expectRejected(e);
  });

  test('deep nesting anywhere (config, unknown keys, arrays) neither throws nor is stored', () => {
    fc.assert(
      fc.property(fc.integer({ min: 10, max: 5000 }), fc.constantFrom(...ALL_LEAVES), (depth, path) => {
        let nested: unknown = 1;
        for (let i = 0; i < depth; i++) nested = i % 2 ? [nested] : { a: nested };
        const d = clone();
        setPath(d, path, nested);
        expectRejected(d);
        // The same junk under an unknown key is stripped, the document stays valid.
        const e = clone() as unknown as Record<string, unknown>;
        e.junk = nested;
        const r = parseResult(e);
        expect(r.ok).toBe(true);
        if (r.ok) expect('junk' in r.value).toBe(false);
      }),
      { numRuns: 40 },
    );
  });

  test('__proto__ / constructor / prototype keys never pollute or survive', () => {
    fc.assert(
      fc.property(fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.anything(), (key, value) => {
        // A replacer function: a replacement string would interpret `$&` and friends in the value.
        const text = JSON.stringify(sampleResult()).replace('{"schemaVersion":1', () => `{${JSON.stringify(key)}:${JSON.stringify(value ?? null) ?? 'null'},"schemaVersion":1`);
        const r = parseResult(JSON.parse(text));
        expect(r.ok).toBe(true);
        if (r.ok) expect(Object.prototype.hasOwnProperty.call(r.value, key)).toBe(false);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: 100 },
    );
  });

  test('arbitrary unicode in identifiers and families is rejected: the vocabulary is closed', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).filter((s) => !/^[A-Za-z0-9._:@/+-]+$/.test(s)), (s) => {
        const d = clone();
        d.workloads[0]!.id = s;
        expectRejected(d);
        const os = clone();
        os.environment.os.family = s.slice(0, 10);
        expectRejected(os);
      }),
      { numRuns: 100 },
    );
  });

  test('issues name the field and never quote what the client sent', () => {
    const hostile = '<img src=x onerror=alert(1)>\u202ejean.dupont@example.fr';
    fc.assert(
      fc.property(fc.constantFrom(...ALL_LEAVES, ['environment'], ['energy', 'grid'], ['workloads', 0, 'timing']), (path) => {
        const d = clone();
        setPath(d, path, hostile);
        const r = parseResult(d);
        if (!r.ok) for (const i of r.issues) expect(i).not.toMatch(/<img|dupont|\u202e/);
        const k = JSON.parse(JSON.stringify(clone()).replace('"invocations":4096', `${JSON.stringify(hostile)}:1,"invocations":4096`)) as unknown;
        const rk = parseResult(k);
        expect(rk.ok).toBe(false);
        if (!rk.ok) expect(rk.issues.join('\n')).toMatch(/^workloads\.0\.config\.\(unknown key\): unknown key/);
      }),
      { numRuns: 80 },
    );
  });

  test('random objects (fc.anything) are always rejected, never throw', () => {
    fc.assert(fc.property(fc.anything({ maxDepth: 6 }), (x) => expectRejected(x)), { numRuns: 300 });
  });

  test('random plausible mutations: accepted values always satisfy the ordering invariants', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 1000, noNaN: true }), fc.double({ min: 0.001, max: 1000, noNaN: true }), fc.double({ min: 0.001, max: 1000, noNaN: true }), (a, b, c) => {
        const d = clone();
        d.workloads[3]!.timing = { ...d.workloads[3]!.timing, p10Ms: a, medianMs: b, p90Ms: c, samplesMs: [b], minMs: Math.min(a, b) };
        const r = parseResult(d);
        expect(r.ok).toBe(a <= b && b <= c && d.workloads[3]!.flops! / (b * 1e6) <= LIMITS.maxGflops && d.workloads[3]!.bytes / (b * 1e6) <= LIMITS.maxGBps);
      }),
      { numRuns: 200 },
    );
  });
});
