/**
 * Energy and the gap ratio per correct answer as the document stores them, and the checks that a
 * stored figure is the recomputation (for the server). Pure arithmetic over scoring.ts, with no
 * validators: the page's energy code imports this without the schema.
 */
import { realEnergyWorkloads } from '../energy-workload.ts';
import type { ResultDocument, Role } from '../result.ts';
import type { PerCorrectEnergyRecord, PerCorrectRatioRecord, RealModelRecord } from './record.ts';
import { gapRatios, perCorrect, type PerCorrect, type Range3 } from './scoring.ts';

// ---------------------------------------------------------------------------------------------
// Energy per correct answer, beside a role's per-query figures in the energy section (suggested:
// `energy.perQuery[role].perCorrect`). Stored so that the dataset can be read without redoing the
// division, and checked like every energy figure: it must equal the per-query joules ÷ the role's
// accuracy (realmodels/scoring.ts `perCorrect`, whose comment gives the range method).


/** The stored form of `perCorrect(joules per query, accuracy)`. */
export function perCorrectEnergyRecord(perQueryJoules: Range3, accuracy: RealModelRecord['accuracy']): PerCorrectEnergyRecord {
  const r: PerCorrect = perCorrect(perQueryJoules, { correct: accuracy.correct, rate: accuracy.correct / accuracy.n, low: accuracy.low, high: accuracy.high });
  return r.value === null ? { available: false, reason: r.reason } : { available: true, joules: r.value, method: r.method };
}

/** Relative difference allowed between a stored figure and its recomputation (JSON round trips). */
const RELATIVE_TOLERANCE = 1e-9;

const close = (a: number, b: number) => Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(Math.abs(a), Math.abs(b), 1e-300);

/** Null when `stored` and `expected` say the same (availability, then each of p5/p50/p95 of `key`), else why not. */
function rangeMismatch<K extends string>(
  stored: { available: false } | ({ available: true } & Record<K, Range3>),
  expected: { available: false } | ({ available: true } & Record<K, Range3>),
  key: K, what: string,
): string | null {
  if (!expected.available || !stored.available) {
    return expected.available === stored.available ? null : `must be ${expected.available ? 'available' : 'unavailable (no correct answer)'}`;
  }
  for (const k of ['p5', 'p50', 'p95'] as const) {
    if (!close(stored[key][k], expected[key][k])) return `${key}.${k} must be ${what} (${expected[key][k]})`;
  }
  return null;
}

/**
 * Whether a stored per-correct figure is the recomputation from the stored per-query joules and
 * accuracy (for the server's check on upload): null when it is, else the reason it is not.
 */
export function perCorrectMismatch(stored: PerCorrectEnergyRecord, perQueryJoules: Range3, accuracy: RealModelRecord['accuracy']): string | null {
  return rangeMismatch(stored, perCorrectEnergyRecord(perQueryJoules, accuracy), 'joules', 'the per-query joules ÷ accuracy');
}

const rated = (a: RealModelRecord['accuracy']) => ({ correct: a.correct, rate: a.correct / a.n, low: a.low, high: a.high });

/** The stored form of `gapRatios(ratio, general, specialized).perCorrect`: general ÷ specialized energy per correct answer. */
export function perCorrectRatioRecord(ratio: Range3, general: RealModelRecord['accuracy'], specialized: RealModelRecord['accuracy']): PerCorrectRatioRecord {
  const r = gapRatios(ratio, rated(general), rated(specialized)).perCorrect;
  return r.value === null ? { available: false, reason: r.reason } : { available: true, ratio: r.value, method: r.method };
}

/** As perCorrectMismatch, for the stored gap ratio per correct answer. */
export function perCorrectRatioMismatch(stored: PerCorrectRatioRecord, ratio: Range3, general: RealModelRecord['accuracy'], specialized: RealModelRecord['accuracy']): string | null {
  return rangeMismatch(stored, perCorrectRatioRecord(ratio, general, specialized), 'ratio', 'the per-query ratio × accuracy(specialized) ÷ accuracy(general)');
}

export interface PerCorrectFigures {
  perCorrect: Record<Role, PerCorrectEnergyRecord>;
  ratioPerCorrect: PerCorrectRatioRecord;
}

/**
 * Energy and gap ratio per correct answer, from the per-query joules and ratio of the draws and
 * each real model's accuracy; null when the energy does not rest on two real models.
 */
export function perCorrectFigures(doc: Pick<ResultDocument, 'workloads'>, joules: Record<Role, Range3>, ratio: Range3): PerCorrectFigures | null {
  const real = realEnergyWorkloads(doc);
  if (!real) return null;
  return {
    perCorrect: {
      general: perCorrectEnergyRecord(joules.general, real.general.real.accuracy),
      specialized: perCorrectEnergyRecord(joules.specialized, real.specialized.real.accuracy),
    },
    ratioPerCorrect: perCorrectRatioRecord(ratio, real.general.real.accuracy, real.specialized.real.accuracy),
  };
}
