// The energy section computeEnergy writes must pass the shared result schema (the server and
// the upload path validate with it), for every kind of profile the panel can produce.
import { describe, expect, test } from 'vitest';
import { anonymize, parseResult } from '../../src/shared/schema.ts';
import { verifyEnergy } from '../../src/shared/recompute.ts';
import type { ResultDocument, Workload } from '../../src/shared/result.ts';
import {
  batteryCalibrationEstimate,
  computeEnergy,
  customGrid,
  defaultEnergyContext,
  embodiedFor,
  profileFromBattery,
  profileFromCatalog,
  profileFromMeasuredWatts,
  type EnergyContext,
} from '../../src/energy/index.ts';

function model(role: 'general' | 'specialized', ms: number): Workload {
  return {
    id: role === 'general' ? 'general:tiny-decoder' : 'specialized:bert-tiny',
    kind: 'model',
    role,
    config: { layers: 2 },
    flops: 1e6,
    bytes: 1e5,
    timing: { source: 'gpu-timestamp', warmup: 2, samplesMs: [ms * 0.9, ms, ms * 1.1], medianMs: ms, p10Ms: ms * 0.9, p90Ms: ms * 1.1, cv: 0.05, wallMedianMs: ms * 1.02 },
  };
}

const doc: ResultDocument = {
  schemaVersion: 1,
  suite: { preset: 'ci', version: 'ci-1' },
  app: { version: '0.1.0' },
  environment: {
    browser: { name: 'chrome', major: 140 },
    os: { family: 'linux' },
    adapter: { vendor: 'amd', architecture: 'rdna-3', isFallbackAdapter: false, features: [], limits: {} },
    timing: 'gpu-timestamp',
  },
  workloads: [model('specialized', 3), model('general', 30)],
};

const auto = defaultEnergyContext({ vendor: 'amd', architecture: 'rdna-3', isFallbackAdapter: false }, { hasBattery: null, timeZone: 'Europe/Paris' });
const cal = batteryCalibrationEstimate({ levelStart: 0.8, levelEnd: 0.78, seconds: 600 }, { levelStart: 0.78, levelEnd: 0.73, seconds: 600 }, 50);
/** The panel's context: the embodied classes always follow the profile (EnergyPanel's ctx). */
const withProfile = (profile: EnergyContext['profile'], grid: EnergyContext['grid'] = auto.grid): EnergyContext => ({ profile, grid, embodied: embodiedFor(profile.embodiedClasses) });
const contexts: [string, EnergyContext][] = [
  ['automatic, form factor unknown (merged id)', auto],
  ['catalog choice, world default grid', withProfile(profileFromCatalog('apple-m-max'), defaultEnergyContext({ vendor: '', architecture: '', isFallbackAdapter: false }, { hasBattery: null }).grid)],
  ['wall meter, custom grid', withProfile(profileFromMeasuredWatts({ loadDeltaWallW: 42 }), customGrid(120))],
  ['battery calibration, no embodied class', withProfile(profileFromBattery(cal, { embodiedClasses: [] }))],
  ['custom grid at the 2000 g/kWh maximum', withProfile(auto.profile, customGrid(2000))],
];

describe('energy section against the shared schema', () => {
  test.each(contexts)('%s', (_name, ctx) => {
    const energy = computeEnergy(doc, ctx);
    const parsed = parseResult({ ...doc, energy });
    expect(parsed.ok ? [] : parsed.issues).toEqual([]);
    // p5 ≤ p50 ≤ p95 survives the round trip
    if (parsed.ok) {
      const j = parsed.value.energy!.perQuery.general.joules;
      expect(j.p5).toBeLessThanOrEqual(j.p50);
      expect(j.p50).toBeLessThanOrEqual(j.p95);
      // What the server keeps reproduces every figure: the recomputation agrees, to the bit.
      expect(verifyEnergy(anonymize(parsed.value))).toEqual([]);
      // And texts are not kept: the catalog renders them.
      expect(parsed.value.energy!.profile.label).toBeUndefined();
      expect(parsed.value.energy!.profile.reason).toBeUndefined();
      expect(parsed.value.energy!.grid.source).toBeUndefined();
    }
  });
  test('the merged form-factor-unknown id is a schema identifier', () => {
    // AMD RDNA 3 with the form factor unknown spans its integrated, laptop-discrete and desktop classes.
    expect(auto.profile.id).toBe('x86-integrated+laptop-discrete+amd-rdna-desktop');
  });
});
