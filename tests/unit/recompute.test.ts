// recomputeEnergy / verifyEnergy: a published document's energy figures are redone from what it
// records, and any figure or input that does not follow is named.
import { describe, expect, test } from 'vitest';
import { MAX_RECOMPUTE_WORK, recomputeEnergy, verifyEnergy, withRecomputedFigures } from '../../src/shared/recompute.ts';
import { sampleResult } from '../../src/shared/sample-result.ts';
import { anonymize, parseResult } from '../../src/shared/schema.ts';
import type { ResultDocument } from '../../src/shared/result.ts';
import { computeEnergy, customGrid, embodiedFor, gridIntensity, profileFromCatalog } from '../../src/energy/index.ts';

const fresh = (): ResultDocument => sampleResult();
const issuesOf = (mutate: (d: ResultDocument) => void): string[] => {
  const d = fresh();
  mutate(d);
  return verifyEnergy(d);
};

describe('recomputeEnergy', () => {
  test('reproduces computeEnergy to the bit from the stored (stripped) document', () => {
    const base = fresh();
    delete base.energy;
    const profile = profileFromCatalog('nvidia-lovelace-desktop');
    const energy = computeEnergy(base, { profile, grid: gridIntensity('DEU'), embodied: embodiedFor(profile.embodiedClasses) });
    const parsed = parseResult(anonymize({ ...base, energy }));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const stored = parsed.value;
    const r = recomputeEnergy(stored);
    expect(r.figures.general.joules).toEqual(energy.perQuery.general.joules);
    expect(r.figures.specialized.gCO2e).toEqual(energy.perQuery.specialized.gCO2e);
    expect(r.figures.general.attributionalJoules).toEqual(energy.perQuery.general.attributionalJoules);
    expect(r.figures.specialized.embodiedGCO2e).toEqual(energy.perQuery.specialized.embodiedGCO2e);
    expect(r.figures.ratio).toEqual(energy.ratio);
    expect(r.figures.saving).toEqual(energy.saving);
    expect(r.figures.medianInputs).toEqual(energy.method.medianInputs);
    expect(r.provenance).toEqual(energy.provenance);
    expect(verifyEnergy(stored)).toEqual([]);
  });

  test('withRecomputedFigures fills a hand-built section so that it verifies', () => {
    expect(verifyEnergy(fresh())).toEqual([]);
    const d = fresh();
    d.energy!.perQuery.general.joules = { p5: 1, p50: 2, p95: 3 };
    expect(verifyEnergy(withRecomputedFigures(d))).toEqual([]);
  });
});

describe('verifyEnergy names what does not follow', () => {
  test('per-query joules edited ×10', () => {
    const issues = issuesOf((d) => {
      const j = d.energy!.perQuery.general.joules;
      d.energy!.perQuery.general.joules = { p5: j.p5 * 10, p50: j.p50 * 10, p95: j.p95 * 10 };
    });
    expect(issues).toEqual(expect.arrayContaining([expect.stringMatching(/^energy\.perQuery\.general\.joules\.p50: differs from the recomputation \(stored [\d.]+, expected [\d.]+\)$/)]) as unknown);
  });
  test('the ratio, carbon, attributional and embodied figures each checked', () => {
    expect(issuesOf((d) => { d.energy!.ratio.p95 *= 1.001; })).toEqual([expect.stringMatching(/^energy\.ratio\.p95: /)]);
    expect(issuesOf((d) => { d.energy!.perQuery.specialized.gCO2e.p5 /= 2; })).toEqual([expect.stringMatching(/^energy\.perQuery\.specialized\.gCO2e\.p5: /)]);
    expect(issuesOf((d) => { d.energy!.perQuery.general.attributionalJoules!.p50 += 1; })).toEqual([expect.stringMatching(/^energy\.perQuery\.general\.attributionalJoules\.p50: /)]);
    expect(issuesOf((d) => { d.energy!.perQuery.general.embodiedGCO2e = { low: 0, high: 0 }; })[0]).toMatch(/^energy\.perQuery\.general\.embodiedGCO2e\.low: /);
  });
  test('a timing sample edited after the energy was computed', () => {
    const issues = issuesOf((d) => { d.workloads.find((w) => w.id === 'general:tiny-decoder')!.timing.samplesMs[0] = 250; });
    expect(issues.some((i) => i.startsWith('energy.perQuery.general.joules'))).toBe(true);
  });
  test('a median edited: the per-model inputs no longer match the workload', () => {
    const issues = issuesOf((d) => { d.workloads.find((w) => w.id === 'specialized:bert-tiny')!.timing.medianMs = 39; });
    expect(issues).toEqual(expect.arrayContaining([expect.stringMatching(/^energy\.perQuery\.specialized\.inputs\.tBusyMs: does not match the workload's timing/)]) as unknown);
  });
  test("this version's assumptions, catalog watts and grid intensity", () => {
    expect(issuesOf((d) => { d.energy!.method!.assumptions.hostW = { low: 0, typ: 0, high: 0 }; })[0]).toMatch(/^energy\.method\.assumptions\.hostW\.low: is not this version's host assumption/);
    expect(issuesOf((d) => { d.energy!.method!.assumptions.eta = { low: 0.99, high: 1 }; })[0]).toMatch(/^energy\.method\.assumptions\.eta\.low: /);
    expect(issuesOf((d) => { d.energy!.profile.deltaW = { low: 1, typ: 2, high: 3 }; })[0]).toMatch(/^energy\.profile\.deltaW\.low: is not the catalog's software-adapter/);
    expect(issuesOf((d) => { d.energy!.grid.gPerKWh = 10; d.energy!.grid.range = { low: 9, high: 11 }; })[0]).toMatch(/^energy\.grid\.gPerKWh: is not the intensity this version uses for FRA \(stored 10, expected 44\.18\)/);
    expect(issuesOf((d) => { d.energy!.embodied!.kgCO2e = 1; })[0]).toMatch(/^energy\.embodied\.kgCO2e: does not follow from its classes/);
  });
  test('a value the visitor typed (custom grid) is accepted with its ±10 % range', () => {
    const base = fresh();
    delete base.energy;
    const profile = profileFromCatalog('x86-integrated');
    const energy = computeEnergy(base, { profile, grid: customGrid(123), embodied: embodiedFor(profile.embodiedClasses) });
    const parsed = parseResult(anonymize({ ...base, energy }));
    expect(parsed.ok && verifyEnergy(parsed.value)).toEqual([]);
  });
  test("one method: the app's draws and seed, this version's catalogs", () => {
    // A 1-draw "range" or a seed shopped for: refused even when the figures are redone with them.
    const redone = (mutate: (d: ResultDocument) => void) => {
      const d = fresh();
      mutate(d);
      return verifyEnergy(withRecomputedFigures(d));
    };
    expect(redone((d) => { d.energy!.method!.draws = 1; })).toEqual(["energy.method.draws: must be 5000, the app's draws"]);
    expect(redone((d) => { d.energy!.method!.seed = 42; })).toEqual([`energy.method.seed: must be ${0x5eed_2024}, the app's seed`]);
    // Claiming another catalog version does not switch the catalog check off.
    const fabricated = redone((d) => {
      d.energy!.method!.dataYears.profiles = '1999-01-01';
      d.energy!.profile.deltaW = { low: 1900, typ: 1950, high: 2000 };
    });
    expect(fabricated).toEqual(expect.arrayContaining([expect.stringMatching(/^energy\.method\.dataYears\.profiles: /), expect.stringMatching(/^energy\.profile\.deltaW\.low: is not the catalog's software-adapter/)]) as unknown);
  });
  test('a merged band must be the catalog band of its ids; a catalog profile does not include the host', () => {
    const base = fresh();
    delete base.energy;
    const profile = profileFromCatalog('x86-integrated');
    const merged = { ...profile, id: 'x86-integrated+laptop-discrete', deltaW: { low: 1, typ: 1500, high: 2000 } };
    const energy = computeEnergy(base, { profile: merged, grid: gridIntensity('FRA'), embodied: embodiedFor(profile.embodiedClasses) });
    const parsed = parseResult(anonymize({ ...base, energy }));
    expect(parsed.ok && verifyEnergy(parsed.value)[0]).toMatch(/^energy\.profile\.deltaW\.low: is not the catalog's x86-integrated\+laptop-discrete/);
    const hostless = computeEnergy(base, { profile: { ...profile, hostIncluded: true }, grid: gridIntensity('FRA'), embodied: embodiedFor(profile.embodiedClasses) });
    const p2 = parseResult(anonymize({ ...base, energy: hostless }));
    expect(p2.ok && verifyEnergy(p2.value)).toEqual(["energy.profile.hostIncluded: the catalog's x86-integrated says false"]);
  });
  test("a profile's claims follow from its id and source: basis, Apple tier, flags, embodied classes", () => {
    const redone = (mutate: (d: ResultDocument) => void) => {
      const d = fresh();
      mutate(d);
      return verifyEnergy(withRecomputedFigures(d));
    };
    expect(redone((d) => { d.energy!.profile.basis = { kind: 'measured', form: null }; })).toEqual(['energy.profile.basis.kind: a catalog profile is not chosen by "measured"']);
    expect(redone((d) => { d.energy!.profile.basis = { kind: 'adapter', form: 'mains', appleTier: { chosen: 'ultra', candidates: ['ultra'], threadsUsed: true, peakUsed: true, batteryUsed: false } }; })).toEqual(['energy.profile.basis.appleTier: only an Apple tier profile has one']);
    expect(redone((d) => { d.energy!.profile.flags = ['user-measured']; })).toEqual(['energy.profile.flags: "user-measured" does not describe a catalog profile']);
    expect(redone((d) => { d.energy!.profile.confidence = 'calibrated'; })).toEqual(["energy.profile.confidence: is not the catalog's software-adapter (version 2026-12-01)"]);
    expect(redone((d) => { d.energy!.embodied = null; })).toEqual(["energy.embodied: is required for the profile's classes (laptop)"]);
    const phone = redone((d) => { d.energy!.embodied = { classes: ['smartphone'], kgCO2e: 84, lifetimeYears: 2.5, useRatio: 0.5 }; });
    expect(phone[0]).toBe("energy.embodied.classes: must be the profile's (laptop)");
  });
  test('the per-model inputs name a workload of the vocabulary, and a 422 never quotes a stored string', () => {
    const d = fresh();
    (d.energy!.perQuery.general.inputs as { workloadId: string }).workloadId = 'jean.dupont@example.fr <img src=x>';
    const parsed = parseResult(d);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues).toEqual([expect.stringMatching(/^energy\.perQuery\.general\.inputs\.workloadId: must be a known model workload id/)]);
    const other = fresh();
    other.energy!.perQuery.general.inputs!.workloadId = 'general:qwen2.5-0.5b-instruct';
    const issues = verifyEnergy(other);
    expect(issues).toEqual(['energy.perQuery.general.inputs.workloadId: does not match the workload\'s timing (expected "general:tiny-decoder")']);
  });
  test('label and provenance must follow from the figures and the document', () => {
    expect(issuesOf((d) => { d.energy!.perQuery.general.label = { version: 'label-v1', class: 'A', low: 'A', high: 'A' }; })).toEqual(['energy.perQuery.general.label: is not the class of the recomputed joules (D)']);
    expect(issuesOf((d) => { d.energy!.provenance!.deltaW = { kind: 'measured', method: 'wall-meter' }; })).toEqual([expect.stringMatching(/^energy\.provenance: does not follow/)]);
  });
  test('what cannot be recomputed is refused with the reason', () => {
    expect(issuesOf((d) => { delete d.energy!.method; })).toEqual([expect.stringMatching(/^energy\.method: is required/)]);
    expect(issuesOf((d) => { d.energy!.method!.formulasVersion = 'energy-v2'; })).toEqual([expect.stringMatching(/^energy\.method\.formulasVersion: this version recomputes energy-v3 only/)]);
    expect(issuesOf((d) => { delete d.energy!.grid.range; })).toEqual([expect.stringMatching(/^energy\.grid\.range: is required/)]);
    expect(issuesOf((d) => { delete d.energy!.perQuery.general.inputs; })).toEqual(['energy.perQuery.general.inputs: is required: the timings the figures rest on']);
    expect(issuesOf((d) => { d.workloads.find((w) => w.role === 'general')!.timing.source = 'wall-clock'; })).toEqual([expect.stringMatching(/^workloads: the two models were timed on different sources/)]);
    expect(issuesOf((d) => { d.workloads = d.workloads.filter((w) => w.role !== 'specialized'); })).toEqual(['workloads: no specialized model workload to take the timings from']);
  });
  test('the work an upload may ask of the server is bounded', () => {
    const issues = issuesOf((d) => {
      d.energy!.method!.draws = 20_000;
      const w = d.workloads.find((x) => x.role === 'general')!;
      w.timing.samplesMs = Array.from({ length: 200 }, (_, i) => 290 + (i % 30));
    });
    expect(issues).toEqual([expect.stringMatching(new RegExp(`^energy\\.method\\.draws: .*≤ ${MAX_RECOMPUTE_WORK}`))]);
  });
  test('a document without energy has nothing to verify', () => {
    expect(issuesOf((d) => { delete d.energy; })).toEqual([]);
  });
});
