/**
 * recomputeEnergy(document): every energy figure of a result document, redone from what the
 * document itself records (timing samples and medians, profile watts, grid intensity and range,
 * embodied classes, and `energy.method`: formulas version, seed, draws, assumptions). The same
 * draws as the app (energy-draws.ts), so the same seed gives the same figures bit for bit.
 *
 * verifyEnergy(document) is what the results server runs on every upload: a document whose
 * stored figures differ from the recomputation by more than rounding, or whose inputs disagree
 * with the catalogs of this version (a profile's watts, a country's grid intensity, the model's
 * assumptions), is refused with the field named. So the open dataset holds no fabricated or
 * stale energy figure, and every exported row carries what a reader needs to redo the numbers.
 */
import constants from '../../data/constants.json';
import profilesJson from '../../data/power-profiles.json';
import embodiedJson from '../../data/embodied.json';
import { DEFAULT_DRAWS, DEFAULT_SEED, embodiedOfClasses, idleDistribution, runEnergyDraws, type DrawFigures, type DrawInputs } from './energy-draws.ts';
import { catalogNumbers } from './catalog-watts.ts';
import { gridFigures } from './grid-figures.ts';
import { energyLabel, type EnergyLabel } from './energy-label.ts';
import { provenanceOf } from './provenance.ts';
import { energyWorkload, realEnergyWorkloads } from './energy-workload.ts';
import { perCorrectFigures, perCorrectMismatch, perCorrectRatioMismatch, type PerCorrectFigures } from './realmodels/per-correct.ts';
import type { EnergyProvenance } from './provenance-types.ts';
import type { EnergySection, EnergyTimingInputs, ResultDocument, Role } from './result.ts';
import { canonicalJson } from './schema.ts';
import { profileHostIncluded, sensorProfileIssues } from './sensor-profile.ts';
import { FORMULAS_VERSIONS } from './vocabulary.ts';

/**
 * Draws × timing samples the server redoes for one upload (about 0.2 s on one core): the app's
 * 5,000 draws over two models of up to 256 samples each.
 */
export const MAX_RECOMPUTE_WORK = 5000 * 2 * 256;

/** A document whose energy cannot be recomputed: `field` is the path a person must fix. */
export class EnergyRecomputeError extends Error {
  override readonly name = 'EnergyRecomputeError';
  constructor(readonly field: string, readonly detail: string) {
    super(`${field}: ${detail}`);
  }
}

export interface RecomputedEnergy {
  figures: DrawFigures;
  inputs: Record<Role, EnergyTimingInputs>;
  labels: Record<Role, EnergyLabel>;
  provenance: EnergyProvenance;
  /** Energy and gap ratio per correct answer, when the energy rests on two real models. */
  perCorrect: PerCorrectFigures | null;
}

function timingInputs(doc: ResultDocument, role: Role): { inputs: EnergyTimingInputs; samplesMs: readonly number[] } {
  const w = energyWorkload(doc, role);
  if (!w) throw new EnergyRecomputeError('workloads', `no ${role} model workload to take the timings from`);
  const tWallMs = w.timing.wallMedianMs ?? w.timing.medianMs;
  return {
    inputs: { role, workloadId: w.id, tBusyMs: w.timing.medianMs, tWallMs, timingSource: w.timing.source },
    samplesMs: w.timing.samplesMs,
  };
}

/** The numbers the draws take, read from the document. Throws EnergyRecomputeError naming what is missing. */
export function energyInputsOf(doc: ResultDocument): { draws: DrawInputs; inputs: Record<Role, EnergyTimingInputs> } {
  const e = doc.energy;
  if (!e) throw new EnergyRecomputeError('energy', 'the document has no energy section');
  const m = e.method;
  if (!m) throw new EnergyRecomputeError('energy.method', 'is required: it holds the seed, draws and assumptions the figures are recomputed from');
  if (!(FORMULAS_VERSIONS as readonly string[]).includes(m.formulasVersion)) {
    throw new EnergyRecomputeError('energy.method.formulasVersion', `this version recomputes ${FORMULAS_VERSIONS.join(', ')} only (got ${m.formulasVersion}); reopen the result in the app to recompute its energy`);
  }
  if (!e.grid.range) throw new EnergyRecomputeError('energy.grid.range', 'is required: the Monte Carlo draws the grid intensity over it');
  const gen = timingInputs(doc, 'general');
  const spec = timingInputs(doc, 'specialized');
  if (gen.inputs.timingSource !== spec.inputs.timingSource) {
    throw new EnergyRecomputeError('workloads', `the two models were timed on different sources (general ${gen.inputs.timingSource}, specialized ${spec.inputs.timingSource}): their ratio would compare the clocks`);
  }
  // Each draw resamples every timing sample once: bound the work an upload can ask of the server.
  const work = m.draws * (gen.samplesMs.length + spec.samplesMs.length);
  if (work > MAX_RECOMPUTE_WORK) {
    throw new EnergyRecomputeError('energy.method.draws', `${m.draws} draws over ${gen.samplesMs.length + spec.samplesMs.length} timing samples is more than this server recomputes (draws × samples ≤ ${MAX_RECOMPUTE_WORK})`);
  }
  const embodied = e.embodied ?? null;
  return {
    inputs: { general: gen.inputs, specialized: spec.inputs },
    draws: {
      general: { tBusyMs: gen.inputs.tBusyMs, tWallMs: gen.inputs.tWallMs, samplesMs: gen.samplesMs },
      specialized: { tBusyMs: spec.inputs.tBusyMs, tWallMs: spec.inputs.tWallMs, samplesMs: spec.samplesMs },
      deltaW: e.profile.deltaW,
      hostW: m.assumptions.hostW,
      idleW: m.idleDistributionW,
      eta: m.assumptions.eta,
      gPerKWh: { low: e.grid.range.low, typ: e.grid.gPerKWh, high: e.grid.range.high },
      boundSpread: m.assumptions.boundSpread,
      embodied: embodied ? { kgCO2e: embodied.kgCO2e, lifetimeYears: embodied.lifetimeYears, useRatio: embodied.useRatio } : null,
      draws: m.draws,
      seed: m.seed,
    },
  };
}

/** Every energy figure of the document, redone from its recorded inputs. */
export function recomputeEnergy(doc: ResultDocument): RecomputedEnergy {
  const { draws, inputs } = energyInputsOf(doc);
  const figures = runEnergyDraws(draws);
  const provenance = provenanceOf(doc);
  if (!provenance) throw new EnergyRecomputeError('energy', 'the document has no energy section');
  return {
    figures,
    inputs,
    labels: { general: energyLabel(figures.general.joules), specialized: energyLabel(figures.specialized.joules) },
    provenance,
    perCorrect: perCorrectFigures(doc, { general: figures.general.joules, specialized: figures.specialized.joules }, figures.ratio),
  };
}

/** Relative tolerance of "equal up to rounding": the app and the server run the same arithmetic. */
const REL_TOL = 1e-9;
const close = (a: number, b: number) => Math.abs(a - b) <= REL_TOL * Math.max(Math.abs(a), Math.abs(b), 1e-12);
const fmt = (x: number) => Number(x.toPrecision(6)).toString();

/** Issues "path: message" comparing stored numbers (nested objects of numbers) with expected ones. */
function compareNumbers(path: string, stored: unknown, expected: unknown, out: string[], what = 'differs from the recomputation'): void {
  if (typeof expected === 'number') {
    // Numbers only are quoted back: a stored string is the client's text (never echoed).
    if (typeof stored !== 'number' || !close(stored, expected)) out.push(`${path}: ${what} (${typeof stored === 'number' ? `stored ${fmt(stored)}, ` : ''}expected ${fmt(expected)})`);
    return;
  }
  if (expected === null || typeof expected !== 'object') {
    if (stored !== expected) out.push(`${path}: ${what} (expected ${JSON.stringify(expected)})`);
    return;
  }
  if (stored === null || typeof stored !== 'object') {
    out.push(`${path}: ${what} (missing)`);
    return;
  }
  for (const [k, x] of Object.entries(expected)) compareNumbers(`${path}.${k}`, (stored as Record<string, unknown>)[k], x, out, what);
}

const APPLE_TIER_IDS = new Set(profilesJson.profiles.filter((p) => 'appleTier' in p).map((p) => p.id));
/** Profile flags and the profiles they may describe (src/energy/profiles.ts, battery.ts set them). */
const FLAG_FITS: Record<string, (id: string, source: string) => boolean> = {
  'form-factor-unknown': (id, source) => source === 'catalog' && id.includes('+'),
  'integrated-or-discrete': (id, source) => source === 'catalog' && id.includes('+'),
  'apple-tier-detected': (id, source) => source === 'catalog' && APPLE_TIER_IDS.has(id),
  'apple-tier-unknown': (id, source) => source === 'catalog' && id.split('+').every((x) => APPLE_TIER_IDS.has(x)),
  'user-measured': (_id, source) => source === 'user',
  coarse: (_id, source) => source === 'battery',
  'battery-calibration': (_id, source) => source === 'battery',
};
const BASIS_KINDS: Record<EnergySection['profile']['source'], readonly string[]> = {
  catalog: ['adapter', 'fallback', 'unidentified', 'uncatalogued', 'chosen'],
  user: ['measured'],
  battery: ['battery'],
  sensor: ['measured'],
};

/** What the profile claims about itself (basis, flags, confidence, embodied classes) must follow from its id and source. */
function checkProfileClaims(e: EnergySection, issues: string[]): void {
  const p = e.profile;
  if (p.basis && !BASIS_KINDS[p.source].includes(p.basis.kind)) issues.push(`energy.profile.basis.kind: a ${p.source} profile is not chosen by "${p.basis.kind}"`);
  if (p.basis?.appleTier && !p.id.split('+').every((x) => APPLE_TIER_IDS.has(x))) issues.push('energy.profile.basis.appleTier: only an Apple tier profile has one');
  for (const f of p.flags ?? []) if (!FLAG_FITS[f]?.(p.id, p.source)) issues.push(`energy.profile.flags: "${f}" does not describe a ${p.source} profile ${p.id.includes('+') ? '(a merged band)' : ''}`.trimEnd());
  if (p.source !== 'catalog' && p.confidence !== undefined && p.confidence !== 'calibrated') issues.push('energy.profile.confidence: a measured profile is "calibrated"');
  // Embodied carbon follows the profile's device classes: none known, no embodied section.
  const classes = p.embodiedClasses ?? [];
  const embodied = e.embodied ?? null;
  const expected = embodiedOfClasses(classes);
  if (expected === null && embodied !== null) issues.push('energy.embodied: the profile names no embodied class');
  if (expected !== null && embodied === null) issues.push(`energy.embodied: is required for the profile's classes (${expected.classes.join(', ')})`);
  if (expected !== null && embodied !== null) {
    if (embodied.classes.join('+') !== expected.classes.join('+')) issues.push(`energy.embodied.classes: must be the profile's (${expected.classes.join(', ')})`);
    compareNumbers('energy.embodied', embodied, { kgCO2e: expected.kgCO2e, lifetimeYears: expected.lifetimeYears, useRatio: expected.useRatio }, issues, 'does not follow from its classes');
  }
}

/** Inputs that must agree with this version's catalogs, assumptions and method (not only with the draws). */
function checkInputs(e: EnergySection, issues: string[]): void {
  const m = e.method!;
  const a = constants.assumptions;
  // One method for every published figure: the app's draws and seed (no shopping for a seed, no 1-draw "range").
  if (m.draws !== DEFAULT_DRAWS) issues.push(`energy.method.draws: must be ${DEFAULT_DRAWS}, the app's draws`);
  if (m.seed !== DEFAULT_SEED) issues.push(`energy.method.seed: must be ${DEFAULT_SEED}, the app's seed`);
  // The catalogs this version ships: a document claiming another catalog cannot be checked against it.
  if (m.dataYears.profiles !== profilesJson.version) issues.push(`energy.method.dataYears.profiles: this version's power profiles are ${profilesJson.version}; reopen the result in the app to recompute its energy`);
  if (m.dataYears.embodied !== embodiedJson.version) issues.push(`energy.method.dataYears.embodied: this version's embodied data is ${embodiedJson.version}`);
  compareNumbers('energy.method.dataYears.gridSpan', m.dataYears.gridSpan, constants.grid.dataYearsSpan, issues, "is not this version's grid data span");
  const catalog = e.profile.source === 'catalog' ? catalogNumbers(e.profile.id) : null;
  if (e.profile.source === 'catalog' && catalog === null) issues.push(`energy.profile.id: ${e.profile.id.slice(0, 60)} is not in this version's catalog`);
  const hostIncluded = profileHostIncluded(e.profile);
  if (catalog && hostIncluded !== catalog.hostIncluded) issues.push(`energy.profile.hostIncluded: the catalog's ${e.profile.id} says ${String(catalog.hostIncluded)}`);
  if ((e.profile.source === 'user' || e.profile.source === 'battery') && !hostIncluded) issues.push('energy.profile.hostIncluded: a wall-meter or battery measurement includes the host');
  const hostW = hostIncluded ? { low: 0, typ: 0, high: 0 } : { low: a.hostW.low, typ: a.hostW.typ, high: a.hostW.high };
  compareNumbers('energy.method.assumptions.hostW', m.assumptions.hostW, hostW, issues, `is not this version's host assumption${hostIncluded ? ' (zero: the profile includes the host)' : ''}`);
  compareNumbers('energy.method.assumptions.eta', m.assumptions.eta, { low: a.eta.low, high: a.eta.high }, issues, "is not this version's η assumption");
  compareNumbers('energy.method.assumptions.boundSpread', m.assumptions.boundSpread, a.boundSpread.value, issues, "is not this version's spread");
  compareNumbers('energy.method.idleDistributionW', m.idleDistributionW, idleDistribution(e.profile), issues, 'does not follow from profile.idleW and idleRangeW');
  if (catalog) {
    const what = `is not the catalog's ${e.profile.id} (version ${profilesJson.version})`;
    compareNumbers('energy.profile.deltaW', e.profile.deltaW, catalog.deltaW, issues, what);
    compareNumbers('energy.profile.idleW', e.profile.idleW, catalog.idleW, issues, what);
    compareNumbers('energy.profile.idleRangeW', e.profile.idleRangeW ?? null, catalog.idleRangeW, issues, what);
    if (e.profile.confidence !== undefined && e.profile.confidence !== catalog.confidence) issues.push(`energy.profile.confidence: ${what}`);
    if ((e.profile.embodiedClasses ?? []).join('+') !== catalog.embodiedClasses.join('+')) issues.push(`energy.profile.embodiedClasses: ${what}`);
  }
  checkProfileClaims(e, issues);
  const grid = gridFigures(e.grid.country, e.grid.gPerKWh);
  compareNumbers('energy.grid.gPerKWh', e.grid.gPerKWh, grid.gPerKWh, issues, `is not the intensity this version uses for ${e.grid.country}`);
  compareNumbers('energy.grid.range', e.grid.range, grid.range, issues, `is not the range this version uses for ${e.grid.country}`);
}

/**
 * Energy and gap ratio per correct answer: required when the energy rests on two real models,
 * refused otherwise, and equal to the recomputation from the stored per-query figures and
 * accuracies (so a tampered accuracy interval, figure or ratio is named).
 */
function checkPerCorrect(doc: ResultDocument, e: EnergySection, issues: string[]): void {
  const real = realEnergyWorkloads(doc);
  for (const role of ['general', 'specialized'] as const) {
    const at = `energy.perQuery.${role}.perCorrect`;
    const stored = e.perQuery[role].perCorrect;
    if (!real) {
      if (stored !== undefined) issues.push(`${at}: only a real-model document has a figure per correct answer`);
      continue;
    }
    if (stored === undefined) {
      issues.push(`${at}: is required: the energy per correct answer of a real model`);
      continue;
    }
    const why = perCorrectMismatch(stored, e.perQuery[role].joules, real[role].real.accuracy);
    if (why !== null) issues.push(`${at}: ${why}`);
  }
  const at = 'energy.ratioPerCorrect';
  if (!real) {
    if (e.ratioPerCorrect !== undefined) issues.push(`${at}: only a real-model document has a ratio per correct answer`);
    return;
  }
  if (e.ratioPerCorrect === undefined) {
    issues.push(`${at}: is required: the gap ratio per correct answer of the real models`);
    return;
  }
  const why = perCorrectRatioMismatch(e.ratioPerCorrect, e.ratio, real.general.real.accuracy, real.specialized.real.accuracy);
  if (why !== null) issues.push(`${at}: ${why}`);
}

/**
 * Issues ("path: message") of a document's energy section against its recomputation; empty when
 * the document has no energy section or every figure matches.
 */
export function verifyEnergy(doc: ResultDocument): string[] {
  const e = doc.energy;
  if (!e) return [];
  let r: RecomputedEnergy;
  try {
    r = recomputeEnergy(doc);
  } catch (err) {
    if (err instanceof EnergyRecomputeError) return [err.message];
    throw err;
  }
  const issues: string[] = [];
  checkInputs(e, issues);
  issues.push(...sensorProfileIssues(doc));
  for (const role of ['general', 'specialized'] as const) {
    const stored = e.perQuery[role];
    const f = r.figures[role];
    const at = `energy.perQuery.${role}`;
    compareNumbers(`${at}.joules`, stored.joules, f.joules, issues);
    compareNumbers(`${at}.gCO2e`, stored.gCO2e, f.gCO2e, issues);
    for (const k of ['attributionalJoules', 'attributionalGCO2e', 'embodiedGCO2e'] as const) {
      if (stored[k] !== undefined) compareNumbers(`${at}.${k}`, stored[k], f[k], issues);
    }
    if (stored.inputs === undefined) issues.push(`${at}.inputs: is required: the timings the figures rest on`);
    else if (canonicalJson(stored.inputs) !== canonicalJson(r.inputs[role])) compareNumbers(`${at}.inputs`, stored.inputs, r.inputs[role], issues, "does not match the workload's timing");
    if (stored.label !== undefined && canonicalJson(stored.label) !== canonicalJson(r.labels[role])) issues.push(`${at}.label: is not the class of the recomputed joules (${r.labels[role].class})`);
  }
  compareNumbers('energy.ratio', e.ratio, r.figures.ratio, issues);
  checkPerCorrect(doc, e, issues);
  compareNumbers('energy.method.medianInputs', e.method?.medianInputs, r.figures.medianInputs, issues);
  if (e.provenance !== undefined && canonicalJson(e.provenance) !== canonicalJson(r.provenance)) {
    issues.push('energy.provenance: does not follow from the document (timing sources, profile, grid and embodied classes)');
  }
  return issues.slice(0, 20);
}

/**
 * The document with every energy figure replaced by its recomputation from the recorded inputs
 * (per-query ranges, per-model inputs and labels, ratio, input medians, provenance). For
 * documents assembled by hand (tests, the server's load benchmark) and for repairing a stored
 * section; the app gets the same figures from computeEnergy.
 */
export function withRecomputedFigures(doc: ResultDocument): ResultDocument {
  const e = doc.energy;
  if (!e) return doc;
  const r = recomputeEnergy(doc);
  const role = (k: Role) => ({ ...r.figures[k], inputs: r.inputs[k], label: r.labels[k], ...(r.perCorrect ? { perCorrect: r.perCorrect.perCorrect[k] } : {}) });
  // A stale per-correct ratio is dropped when the document no longer rests on real models.
  const { ratioPerCorrect: _stale, ...rest } = e;
  void _stale;
  return {
    ...doc,
    energy: {
      ...rest,
      perQuery: { general: role('general'), specialized: role('specialized') },
      ratio: r.figures.ratio,
      ...(r.perCorrect ? { ratioPerCorrect: r.perCorrect.ratioPerCorrect } : {}),
      ...(e.method ? { method: { ...e.method, medianInputs: r.figures.medianInputs } } : {}),
      provenance: r.provenance,
    },
  };
}
