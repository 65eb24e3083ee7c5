import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { DATA_DICTIONARY, dictionaryMarkdown } from '../../src/shared/data-dictionary.ts';
import { parseResult } from '../../src/shared/schema.ts';
import { sampleResult } from '../../src/shared/sample-result.ts';
import { sampleRealResult, sampleRealWorkloads } from '../../src/shared/sample-real-result.ts';
import { wilson } from '../../src/shared/realmodels/scoring.ts';
import { profileFromCatalog, profileFromSensor, selectProfile } from '../../src/energy/index.ts';

/** Leaf paths of a document: `[]` for the items of a list of objects; a list of scalars is one leaf. */
function leafPaths(x: unknown, path = '', out = new Set<string>()): Set<string> {
  if (Array.isArray(x)) {
    if (x.some((y) => typeof y === 'object' && y !== null)) for (const y of x) leafPaths(y, `${path}[]`, out);
    else out.add(path);
  } else if (x !== null && typeof x === 'object') {
    for (const [k, v] of Object.entries(x)) leafPaths(v, path ? `${path}.${k}` : k, out);
  } else {
    out.add(path);
  }
  return out;
}

function parsed(doc: unknown) {
  const p = parseResult(doc);
  if (!p.ok) throw new Error(p.issues.join('\n'));
  return p.value;
}

describe('data dictionary', () => {
  test('docs/DATA_DICTIONARY.md is what `npm run dictionary` writes', () => {
    const file = readFileSync(new URL('../../docs/DATA_DICTIONARY.md', import.meta.url), 'utf8');
    expect(file, 'run `npm run dictionary`').toBe(dictionaryMarkdown());
  });

  test('every leaf path of the sample document is in the dictionary', () => {
    const paths = new Set(DATA_DICTIONARY.map((f) => f.path));
    const sample = sampleResult();
    // Optional parts the sample leaves out: an Apple basis, a merged band, timing extras.
    const apple = selectProfile({ vendor: 'apple', architecture: 'metal-3', isFallbackAdapter: false }, { hasBattery: true, hints: { cpuThreads: 16, measuredPeakGflops: null } }).profile;
    const amd = selectProfile({ vendor: 'amd', architecture: 'rdna-3', isFallbackAdapter: false }, { hasBattery: true }).profile;
    const docs = [
      sample,
      { ...sample, flags: ['tab-hidden'], energy: { ...sample.energy!, profile: apple } },
      { ...sample, energy: { ...sample.energy!, profile: amd } },
      { ...sample, energy: { ...sample.energy!, profile: profileFromCatalog('laptop-discrete') } },
      // A sensor profile (its `sensor` record): the watts a measured run left for this adapter.
      { ...sample, energy: { ...sample.energy!, profile: profileFromSensor({ version: 1, adapter: { ...sample.environment.adapter }, sensor: { kind: 'rapl', coverage: 'cpu-package' }, date: '2026-01-01', idleW: 10, deltaW: { low: 20, typ: 25, high: 30 }, samples: 40 }, []) } },
      // What ran the engine (a browser or Dawn for Node) and the native API under WebGPU.
      { ...sample, environment: { ...sample.environment, runtime: { kind: 'browser', backend: null } } },
      // The kernel choices of the run and the trials that decided them.
      { ...sample, environment: { ...sample.environment, tuning: { source: 'autotune', tuning: { gemmSplitK: { '64x768x3072': 4 }, gemvReduction: 'subgroup' }, tuneMs: 812, trials: [{ op: 'gemm', shape: '64x768x3072', candidate: 'splitK=4', medianMs: 0.4 }, { op: 'gemv', shape: '1x896x4864', candidate: 'reduction=subgroup', medianMs: 0.2 }] } } },
      { ...sample, workloads: sample.workloads.map((w) => ({ ...w, timing: { ...w.timing, ciMedianMs: { low: w.timing.medianMs, high: w.timing.medianMs }, flags: ['high-variability'], preheatMs: 1000, targetBatchMs: 10, wallBaselineMs: 0.1 } })) },
    ];
    // Real models: the sample, then the variants it leaves out (WASM reference without agreement,
    // unknown FLOPs, no correct answer, so no figure per correct answer).
    const real = sampleRealResult();
    const ws = sampleRealWorkloads();
    const g = ws[1]!;
    ws[1] = { ...g, id: 'general:qwen2.5-0.5b-instruct:wasm', config: { ...g.config, ffn: null }, flops: null, flopsUnknown: 'architecture-incomplete',
      real: { ...g.real!, executionProvider: 'wasm', agreement: { measured: false, reason: 'is-reference' }, accuracy: { correct: 0, n: 40, low: 0, high: wilson(0, 40).high }, parseFailures: 2 } };
    docs.push(real, sampleResult({ workloads: ws }));
    const missing = new Set<string>();
    // A GEMM shape key in a path is one entry of the dictionary: `MxNxK`.
    const shapeKeyed = (p: string) => p.replace(/\.\d+x\d+x\d+(?=\.|$)/g, '.MxNxK');
    for (const doc of docs) for (const p of leafPaths(parsed(doc))) if (!paths.has(shapeKeyed(p))) missing.add(p);
    expect([...missing]).toEqual([]);
  });

  test('paths are unique and every field has both meanings', () => {
    const paths = DATA_DICTIONARY.map((f) => f.path);
    expect(new Set(paths).size).toBe(paths.length);
    for (const f of DATA_DICTIONARY) {
      expect(f.meaning.en.length, f.path).toBeGreaterThan(3);
      expect(f.meaning.fr.length, f.path).toBeGreaterThan(3);
    }
  });
});
