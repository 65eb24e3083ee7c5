/**
 * The Monte Carlo at the heart of the energy model, as a pure function of explicit numbers.
 *
 * It lives in src/shared, below both the app and the server, because the same draws serve two
 * callers: src/energy/model.ts (computeEnergy: numbers taken from the chosen profile, grid and
 * assumptions) and src/shared/recompute.ts (recomputeEnergy: numbers read back from a stored
 * document, so the results server can check every published figure). One loop means the two can
 * never drift apart; the formulas are in src/energy/model.ts's header.
 */
import embodiedJson from '../../data/embodied.json';
import { bootstrapMedianFactor, mulberry32, range3, sortedSamples, triangular, uniform, type Triangular } from './random.ts';
import type { Range3 } from './result.ts';

/** Draws of every published figure: the server recomputes with these and refuses others. */
export const DEFAULT_DRAWS = 5000;
/** Fixed default seed: the same document and context always give the same section (and nobody can shop for a seed). */
export const DEFAULT_SEED = 0x5eed_2024;

/** One model's timings: the medians the figures are centred on and the samples the bootstrap draws from. */
export interface TimingInput {
  tBusyMs: number;
  tWallMs: number;
  samplesMs: readonly number[];
}

/** Embodied carbon of the device (summed classes, host lifetime); null when no class is known. */
export interface EmbodiedInput { kgCO2e: number; lifetimeYears: number; useRatio: number }

export interface DrawInputs {
  general: TimingInput;
  specialized: TimingInput;
  /** ΔP_gpu, W (triangular). */
  deltaW: Triangular;
  /** ΔP_host, W (triangular; all zeros when the profile already includes the host). */
  hostW: Triangular;
  /** P_idle, W (triangular), or null when idle power is unknown. */
  idleW: Triangular | null;
  /** η ~ U(low, high). */
  eta: { low: number; high: number };
  /** Grid intensity, gCO2e/kWh (triangular). */
  gPerKWh: Triangular;
  /** k ~ U(1 − s, 1 + s) per model. */
  boundSpread: number;
  embodied: EmbodiedInput | null;
  draws: number;
  seed: number;
}

export interface RoleFigures {
  joules: Range3;
  gCO2e: Range3;
  attributionalJoules: Range3;
  attributionalGCO2e: Range3;
  embodiedGCO2e: { low: number; high: number } | null;
}

export interface DrawFigures {
  general: RoleFigures;
  specialized: RoleFigures;
  ratio: Range3;
  saving: { joules: Range3; gCO2e: Range3 };
  /** Medians of the input distributions: what a reader plugs into the formulas. */
  medianInputs: { deltaW: number; hostW: number; eta: number; gPerKWh: number; idleW: number | null };
}

/**
 * The idle-power distribution of a profile: triangular(low, typ = idleW, high) over idleRangeW.
 * idleW is clamped into the range (a hand-edited stored record could put it outside); without a
 * range, a known idleW is a point value; a range without idleW takes its mid-point as the mode.
 */
export function idleDistribution(p: { idleW: number | null; idleRangeW?: { low: number; high: number } | null }): Triangular | null {
  const r = p.idleRangeW ?? null;
  if (r === null) return p.idleW === null ? null : { low: p.idleW, typ: p.idleW, high: p.idleW };
  const low = Math.min(r.low, r.high);
  const high = Math.max(r.low, r.high);
  const typ = p.idleW === null ? (low + high) / 2 : Math.min(high, Math.max(low, p.idleW));
  return { low, typ, high };
}

/** Embodied carbon of a list of classes (data/embodied.json): summed, with the host's (first class's) lifetime; null when none is known. */
export function embodiedOfClasses(classIds: readonly string[]): (EmbodiedInput & { classes: string[] }) | null {
  const table = embodiedJson.classes as Record<string, { kgCO2e: number; lifetimeYears: number; useRatio: number }>;
  const found = classIds.filter((id) => table[id] !== undefined);
  const host = found[0];
  if (host === undefined) return null;
  return {
    classes: found,
    kgCO2e: found.reduce((s, id) => s + table[id]!.kgCO2e, 0),
    lifetimeYears: table[host]!.lifetimeYears,
    useRatio: table[host]!.useRatio,
  };
}

/** Seconds per year of the embodied allocation (data/embodied.json). */
export const SECONDS_PER_YEAR: number = embodiedJson.secondsPerYear;

/**
 * Embodied gCO2e allocated to `seconds` of use: calendar allocation (low) and active-hours
 * allocation (high = low / useRatio).
 */
export function embodiedGrams(e: EmbodiedInput, seconds: number): { low: number; high: number } {
  const low = (e.kgCO2e * 1000 * seconds) / (e.lifetimeYears * SECONDS_PER_YEAR);
  return { low, high: low / e.useRatio };
}

/**
 * p5 / p50 / p95 of energy and carbon per query for both models from `draws` seeded draws. The
 * draw order is part of the result: changing it changes every seeded figure, so bump the formulas
 * version (data/constants.json) if you do.
 */
export function runEnergyDraws(inp: DrawInputs): DrawFigures {
  const { draws } = inp;
  const genSorted = sortedSamples(inp.general.samplesMs, inp.general.tBusyMs);
  const specSorted = sortedSamples(inp.specialized.samplesMs, inp.specialized.tBusyMs);
  const rand = mulberry32(inp.seed >>> 0);
  const out = {
    genJ: new Float64Array(draws), specJ: new Float64Array(draws),
    genAttJ: new Float64Array(draws), specAttJ: new Float64Array(draws),
    genG: new Float64Array(draws), specG: new Float64Array(draws),
    genAttG: new Float64Array(draws), specAttG: new Float64Array(draws),
    ratio: new Float64Array(draws),
    diffJ: new Float64Array(draws), diffG: new Float64Array(draws),
  };
  const s = (ms: number) => ms / 1000;
  const gen = inp.general;
  const spec = inp.specialized;
  for (let i = 0; i < draws; i++) {
    const dP = triangular(rand(), inp.deltaW);
    const dHost = triangular(rand(), inp.hostW);
    const eta = uniform(rand(), inp.eta.low, inp.eta.high);
    const g = triangular(rand(), inp.gPerKWh);
    // One u only when idle is known.
    const pIdle = inp.idleW ? triangular(rand(), inp.idleW) : 0;
    const kGen = uniform(rand(), 1 - inp.boundSpread, 1 + inp.boundSpread);
    const kSpec = uniform(rand(), 1 - inp.boundSpread, 1 + inp.boundSpread);
    // Then n uniforms per model (general first): the bootstrap resample of its timing samples.
    const fGen = bootstrapMedianFactor(genSorted, rand);
    const fSpec = bootstrapMedianFactor(specSorted, rand);
    const busyGen = s(gen.tBusyMs) * fGen;
    const wallGen = s(gen.tWallMs) * fGen;
    const busySpec = s(spec.tBusyMs) * fSpec;
    const wallSpec = s(spec.tWallMs) * fSpec;

    const eGen = (dP * kGen * busyGen + dHost * wallGen) / eta;
    const eSpec = (dP * kSpec * busySpec + dHost * wallSpec) / eta;
    const attGen = eGen + (pIdle * wallGen) / eta;
    const attSpec = eSpec + (pIdle * wallSpec) / eta;
    out.genJ[i] = eGen;
    out.specJ[i] = eSpec;
    out.genAttJ[i] = attGen;
    out.specAttJ[i] = attSpec;
    out.genG[i] = (eGen / 3.6e6) * g;
    out.specG[i] = (eSpec / 3.6e6) * g;
    out.genAttG[i] = (attGen / 3.6e6) * g;
    out.specAttG[i] = (attSpec / 3.6e6) * g;
    out.ratio[i] = eGen / eSpec;
    // The saving of choosing the specialized model, per draw (a difference of percentiles would be wrong).
    out.diffJ[i] = eGen - eSpec;
    out.diffG[i] = ((eGen - eSpec) / 3.6e6) * g;
  }
  const role = (t: TimingInput, j: Float64Array, attJ: Float64Array, gr: Float64Array, attG: Float64Array): RoleFigures => ({
    joules: range3(j),
    gCO2e: range3(gr),
    attributionalJoules: range3(attJ),
    attributionalGCO2e: range3(attG),
    embodiedGCO2e: inp.embodied ? embodiedGrams(inp.embodied, s(t.tWallMs)) : null,
  });
  return {
    general: role(gen, out.genJ, out.genAttJ, out.genG, out.genAttG),
    specialized: role(spec, out.specJ, out.specAttJ, out.specG, out.specAttG),
    ratio: range3(out.ratio),
    saving: { joules: range3(out.diffJ), gCO2e: range3(out.diffG) },
    medianInputs: {
      deltaW: triangular(0.5, inp.deltaW),
      hostW: triangular(0.5, inp.hostW),
      eta: (inp.eta.low + inp.eta.high) / 2,
      gPerKWh: triangular(0.5, inp.gPerKWh),
      // The triangle's median, not its mode: what E_attr's Monte Carlo median actually rests on.
      idleW: inp.idleW ? triangular(0.5, inp.idleW) : null,
    },
  };
}
