/**
 * The energy model (see docs/ARCHITECTURE.md), as a pure function of a result
 * document and an energy context. Monte Carlo with a seeded PRNG; the ΔP, host, η and grid
 * draws are shared by both models so their ratio is tighter than either absolute value.
 *
 *   E_marg [J] = (ΔP_gpu·k_model·t_busy + ΔP_host·t_wall) / η
 *   E_attr [J] = E_marg + P_idle·t_wall / η            ("device baseline included")
 *   CO2_op [g] = E_marg / 3.6e6 · CI                   (CI in gCO2e/kWh)
 *   CO2_emb[g] = kgCO2e·1000·t_wall / (L·3.156e7)      (÷ useRatio for the upper bound; separate line)
 *
 * with t_busy and t_wall drawn by bootstrap (below), ΔP_gpu ~ Tri(profile), ΔP_host ~ Tri(1, 3, 8) W (0 when the profile already includes
 * the host), η ~ U(0.85, 0.92), CI ~ Tri(range.low, g, range.high), k_model ~ U(1 ± 0.15)
 * drawn per model (compute- vs memory-bound kernels draw different power), and
 * P_idle ~ Tri(idleRangeW.low, profile.idleW, idleRangeW.high): the recorded idleW is the mode
 * (the catalog's typical value), so the skewed idle ranges give a median a reader can recompute
 * from method.medianInputs.idleW.
 *
 * Timing noise: in each draw, each model's t_busy is its recorded median times a bootstrap factor,
 * the median of n samples resampled with replacement from timing.samplesMs divided by the
 * samples' own median; t_wall is scaled by the same factor (no wall samples are recorded, and wall
 * and busy time come from the same runs). So every p5–p95 carries the timing uncertainty, the
 * centre stays on the recorded medians, and constant samples give back the fixed-timing model.
 */
import type { EnergyMethod, EnergySection, Range3, ResultDocument, Role, TimingSource, Workload } from '../shared/result.ts';
import constants from '../../data/constants.json';
import profilesJson from '../../data/power-profiles.json';
import embodiedJson from '../../data/embodied.json';
import { InvalidTimingError, MissingModelRoleError, MixedTimingSourcesError } from './errors.ts';
import type { ProfileChoice } from './profiles.ts';
import type { GridChoice } from './grid.ts';
import type { EmbodiedChoice } from './embodied.ts';
import { bootstrapMedianFactor, mulberry32, range3, scale3, sortedSamples, triangular, uniform, type Triangular } from './random.ts';
import { DEFAULT_DRAWS, DEFAULT_SEED, idleDistribution, runEnergyDraws, type RoleFigures } from '../shared/energy-draws.ts';
import { energyLabel, type EnergyLabel } from '../shared/energy-label.ts';
import { provenanceOf } from '../shared/provenance.ts';
import { energyWorkload } from '../shared/energy-workload.ts';
import { perCorrectFigures } from '../shared/realmodels/per-correct.ts';

/** Bumped whenever a formula, a distribution or the draw order changes seeded results. */
export const FORMULAS_VERSION = constants.version; // "energy-v3": busy and wall times bootstrapped from the samples
const POWER_VERSION = profilesJson.version;
const EMBODIED_VERSION = embodiedJson.version;
export { DEFAULT_DRAWS, DEFAULT_SEED };

export interface EnergyAssumptions {
  hostW: Triangular;
  eta: { low: number; high: number };
  /** Half-width of the per-model power factor k ~ U(1 − s, 1 + s). */
  boundSpread: number;
}

export const DEFAULT_ASSUMPTIONS: EnergyAssumptions = {
  hostW: { low: constants.assumptions.hostW.low, typ: constants.assumptions.hostW.typ, high: constants.assumptions.hostW.high },
  eta: { low: constants.assumptions.eta.low, high: constants.assumptions.eta.high },
  boundSpread: constants.assumptions.boundSpread.value,
};

export interface EnergyContext {
  profile: ProfileChoice;
  grid: GridChoice;
  embodied: EmbodiedChoice | null;
  /** Model assumptions; DEFAULT_ASSUMPTIONS when absent (tests pass degenerate ones). */
  assumptions?: EnergyAssumptions;
}

export interface ModelTimingInput {
  role: Role;
  workloadId: string;
  tBusyMs: number;
  tWallMs: number;
  timingSource: TimingSource;
}

/** A role's timings plus the samples its bootstrap resamples (not part of the output). */
interface TimedRole { input: ModelTimingInput; samples: readonly number[] }

export interface RoleEnergy {
  /** Marginal energy per query, J (the figure used for comparisons). */
  joules: Range3;
  mWh: Range3;
  /** Operational gCO2e per query (marginal energy × grid intensity). */
  gCO2e: Range3;
  attributionalJoules: Range3;
  attributionalGCO2e: Range3;
  /** Embodied gCO2e per query: calendar (low) to active-hours (high) allocation; null without a class. */
  embodiedGCO2e: { low: number; high: number } | null;
  /** The formula at the typical values (ΔP typ, ΔP_host typ, η mid-point, k = 1). */
  pointJoules: number;
  /**
   * The formula at the median of each input (method.medianInputs). The Monte Carlo median is
   * close to this (ΔP dominates and the model is monotone in it), so a reader can recompute it;
   * it sits above pointJoules because the ΔP triangles are right-skewed.
   */
  joulesAtMedianInputs: number;
  /**
   * joulesAtMedianInputs × medianInputs.gPerKWh / 3.6e6. Not the Monte Carlo median of gCO2e:
   * energy and grid intensity are drawn independently, and the median of a product of two
   * skewed quantities is below the product of their medians. Within ~1 % for a known country
   * (±10 %), but 2–10 % above gCO2e.p50 with the unknown-country range (30–900), the widest
   * ΔP ranges giving the largest gap. The figure shown is always gCO2e.p50.
   */
  gCO2eAtMedianInputs: number;
  /** E_attr at the input medians (adds medianInputs.idleW·t_wall/η); equals joulesAtMedianInputs without idle data. */
  attributionalJoulesAtMedianInputs: number;
  inputs: ModelTimingInput;
  /** A–E class of `joules` (label-v1). */
  label: EnergyLabel;
  [k: string]: unknown;
}

export interface Per1000 {
  wh: Range3;
  gCO2e: Range3;
  attributionalWh: Range3;
  embodiedGCO2e: { low: number; high: number } | null;
}

/** The schema-v1 energy section with this module's extra fields. */
export interface EnergyResult extends EnergySection {
  grid: GridChoice;
  perQuery: { general: RoleEnergy; specialized: RoleEnergy };
  per1000: { general: Per1000; specialized: Per1000 };
  ratio: Range3;
  /** Per query, general − specialized (marginal energy and operational CO2e), from the same draws. */
  saving: { joules: Range3; gCO2e: Range3 };
  /** Ratio of busy times t_busy(general) / t_busy(specialized), the ratio's first-order value. */
  busyTimeRatio: number;
  embodied: EmbodiedChoice | null;
  /** Everything a reader (or the server) needs to redo the draws. */
  method: EnergyMethod;
  estimate: true;
}

function positiveMs(workloadId: string, field: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new InvalidTimingError(workloadId, field, v);
  return v;
}

/** t_busy and t_wall of a role's workload (shared/energy-workload.ts: the real model when there is one, else the first synthetic one). */
export function modelTimings(doc: ResultDocument, role: Role): ModelTimingInput {
  const w: Workload | undefined = energyWorkload(doc, role);
  if (!w) throw new MissingModelRoleError(role);
  const tBusyMs = positiveMs(w.id, 'timing.medianMs', w.timing.medianMs);
  const wall = w.timing.wallMedianMs ?? w.timing.medianMs;
  const tWallMs = positiveMs(w.id, 'timing.wallMedianMs', wall);
  return { role, workloadId: w.id, tBusyMs, tWallMs, timingSource: w.timing.source };
}

/** A role's timings and its recorded samples (the draws keep the valid ones). */
function timedRole(doc: ResultDocument, role: Role): TimedRole {
  const input = modelTimings(doc, role);
  return { input, samples: energyWorkload(doc, role)?.timing.samplesMs ?? [] };
}

export { idleDistribution };

function validatedDraws(n: number | undefined): number {
  const d = n ?? DEFAULT_DRAWS;
  if (!Number.isInteger(d) || d < 1 || d > 1_000_000) throw new RangeError(`draws must be an integer in 1..1e6, got ${d}`);
  return d;
}

/**
 * Energy and carbon per query for both models, with p5/p50/p95 from `draws` Monte Carlo draws
 * seeded by `seed`. Throws MissingModelRoleError when a role is absent, MixedTimingSourcesError
 * when the two models were timed on different sources.
 */
export function computeEnergy(doc: ResultDocument, ctx: EnergyContext, opts: { draws?: number; seed?: number } = {}): EnergyResult {
  const draws = validatedDraws(opts.draws);
  const seed = (opts.seed ?? DEFAULT_SEED) >>> 0;
  const a = ctx.assumptions ?? DEFAULT_ASSUMPTIONS;
  const genT = timedRole(doc, 'general');
  const specT = timedRole(doc, 'specialized');
  const gen = genT.input;
  const spec = specT.input;
  // A ratio of busy times read on different clocks compares the clocks, not the models.
  if (gen.timingSource !== spec.timingSource) throw new MixedTimingSourcesError({ general: gen.timingSource, specialized: spec.timingSource });
  const p = ctx.profile;
  const host: Triangular = p.hostIncluded ? { low: 0, typ: 0, high: 0 } : a.hostW;
  const idle = idleDistribution(p);
  const ci: Triangular = { low: ctx.grid.range.low, typ: ctx.grid.gPerKWh, high: ctx.grid.range.high };

  const figures = runEnergyDraws({
    general: { tBusyMs: gen.tBusyMs, tWallMs: gen.tWallMs, samplesMs: genT.samples },
    specialized: { tBusyMs: spec.tBusyMs, tWallMs: spec.tWallMs, samplesMs: specT.samples },
    deltaW: p.deltaW,
    hostW: host,
    idleW: idle,
    eta: a.eta,
    gPerKWh: ci,
    boundSpread: a.boundSpread,
    embodied: ctx.embodied,
    draws,
    seed,
  });
  const s = (ms: number) => ms / 1000;
  const etaMid = (a.eta.low + a.eta.high) / 2;
  const medianInputs = figures.medianInputs;
  const atMedians = (t: ModelTimingInput) => (medianInputs.deltaW * s(t.tBusyMs) + medianInputs.hostW * s(t.tWallMs)) / medianInputs.eta;
  const role = (t: ModelTimingInput, f: RoleFigures): RoleEnergy => ({
    ...f,
    mWh: scale3(f.joules, 1 / 3.6),
    pointJoules: (p.deltaW.typ * s(t.tBusyMs) + host.typ * s(t.tWallMs)) / etaMid,
    joulesAtMedianInputs: atMedians(t),
    gCO2eAtMedianInputs: (atMedians(t) / 3.6e6) * medianInputs.gPerKWh,
    attributionalJoulesAtMedianInputs: atMedians(t) + ((medianInputs.idleW ?? 0) * s(t.tWallMs)) / medianInputs.eta,
    inputs: t,
    label: energyLabel(f.joules),
  });
  // Real models: energy and gap ratio per correct answer beside the per-query figures.
  const perCorrect = perCorrectFigures(doc, { general: figures.general.joules, specialized: figures.specialized.joules }, figures.ratio);
  const general: RoleEnergy = { ...role(gen, figures.general), ...(perCorrect ? { perCorrect: perCorrect.perCorrect.general } : {}) };
  const specialized: RoleEnergy = { ...role(spec, figures.specialized), ...(perCorrect ? { perCorrect: perCorrect.perCorrect.specialized } : {}) };
  const per1000 = (r: RoleEnergy): Per1000 => ({
    // 1,000 queries × J / 3600 J/Wh
    wh: scale3(r.joules, 1000 / 3600),
    gCO2e: scale3(r.gCO2e, 1000),
    attributionalWh: scale3(r.attributionalJoules, 1000 / 3600),
    embodiedGCO2e: r.embodiedGCO2e ? { low: r.embodiedGCO2e.low * 1000, high: r.embodiedGCO2e.high * 1000 } : null,
  });

  const section: EnergyResult = {
    // The whole choice is recorded (id, source, idleW, deltaW + label, reason, sources, flags).
    profile: { ...p, deltaW: { ...p.deltaW } },
    grid: { ...ctx.grid },
    perQuery: { general, specialized },
    per1000: { general: per1000(general), specialized: per1000(specialized) },
    ratio: figures.ratio,
    ...(perCorrect ? { ratioPerCorrect: perCorrect.ratioPerCorrect } : {}),
    saving: figures.saving,
    busyTimeRatio: gen.tBusyMs / spec.tBusyMs,
    embodied: ctx.embodied,
    method: {
      formulasVersion: FORMULAS_VERSION,
      draws,
      seed,
      prng: 'mulberry32',
      timing: 'bootstrap-median',
      percentiles: 'linear interpolation of order statistics (p5, p50, p95)',
      assumptions: { ...a, hostW: { ...host } },
      medianInputs,
      idleDistributionW: idle ? { ...idle } : null,
      dataYears: {
        grid: ctx.grid.year,
        gridSpan: { ...constants.grid.dataYearsSpan },
        profiles: POWER_VERSION,
        embodied: EMBODIED_VERSION,
      },
    },
    estimate: true,
  };
  // Derived from the document and the section alone, so the server can check it (recompute.ts).
  const provenance = provenanceOf({ ...doc, energy: section });
  if (provenance) section.provenance = provenance;
  return section;
}

/** Energy of one workload on its own (a user's ONNX model): same formulas, no comparison. */
export interface WorkloadEnergy {
  joules: Range3;
  mWh: Range3;
  gCO2e: Range3;
  /** Wh per 1,000 runs. */
  whPer1000: Range3;
  /** t_busy used: the GPU median when timestamps timed it, else the wall-clock median (an upper bound). */
  busyFrom: TimingSource;
  profileId: string;
  grid: { country: string; gPerKWh: number };
  method: { formulasVersion: string; draws: number; seed: number };
  estimate: true;
}

/**
 * Seed offset of the bootstrap stream of computeWorkloadEnergy: its resamples come from their own
 * PRNG so the ΔP, host, η, grid stream keeps its four-uniforms-per-draw layout (constant samples
 * then give back exactly the fixed-timing figures of the same seed).
 */
const WORKLOAD_BOOTSTRAP_SEED_XOR = 0xb0075_7a9;

/**
 * E = (ΔP·t_busy·f + ΔP_host·t_wall·f) / η per run, with the input distributions of computeEnergy
 * (ΔP, host, η, grid intensity; drawn in that order, four per draw, so its stream differs from
 * computeEnergy's) and no per-model spread, since nothing is compared.
 *
 * Timing noise as in computeEnergy: f is a bootstrap factor drawn per draw (the median of
 * timing.samplesMs resampled with replacement, over the samples' median), applied to t_busy and
 * t_wall alike, so the p5–p95 carries the timing uncertainty and the centre stays on the recorded
 * medians. The resamples read a second PRNG seeded from `seed`, so constant samples (or none)
 * reproduce the fixed-timing result of the same seed exactly.
 */
export function computeWorkloadEnergy(w: Workload, ctx: EnergyContext, opts: { draws?: number; seed?: number } = {}): WorkloadEnergy {
  const draws = validatedDraws(opts.draws);
  const seed = (opts.seed ?? DEFAULT_SEED) >>> 0;
  const a = ctx.assumptions ?? DEFAULT_ASSUMPTIONS;
  const p = ctx.profile;
  const tBusy = positiveMs(w.id, 'timing.medianMs', w.timing.medianMs) / 1000;
  const tWall = positiveMs(w.id, 'timing.wallMedianMs', w.timing.wallMedianMs ?? w.timing.medianMs) / 1000;
  const host: Triangular = p.hostIncluded ? { low: 0, typ: 0, high: 0 } : a.hostW;
  const ci: Triangular = { low: ctx.grid.range.low, typ: ctx.grid.gPerKWh, high: ctx.grid.range.high };
  const sorted = sortedSamples(w.timing.samplesMs, w.timing.medianMs);
  const rand = mulberry32(seed);
  const resample = mulberry32((seed ^ WORKLOAD_BOOTSTRAP_SEED_XOR) >>> 0);
  const j = new Float64Array(draws);
  const g = new Float64Array(draws);
  for (let i = 0; i < draws; i++) {
    const dP = triangular(rand(), p.deltaW);
    const dHost = triangular(rand(), host);
    const eta = uniform(rand(), a.eta.low, a.eta.high);
    const gi = triangular(rand(), ci);
    const f = bootstrapMedianFactor(sorted, resample);
    j[i] = (dP * tBusy * f + dHost * tWall * f) / eta;
    g[i] = (j[i]! / 3.6e6) * gi;
  }
  const joules = range3(j);
  return {
    joules,
    mWh: scale3(joules, 1 / 3.6),
    gCO2e: range3(g),
    whPer1000: scale3(joules, 1000 / 3600),
    busyFrom: w.timing.source,
    profileId: p.id,
    grid: { country: ctx.grid.country, gPerKWh: ctx.grid.gPerKWh },
    method: { formulasVersion: FORMULAS_VERSION, draws, seed },
    estimate: true,
  };
}
