/**
 * The energy label of a model's result, in the spirit of the AI Energy Score: the marginal energy
 * of one query placed in a class from A to E. Shown beside the figure, never instead of it.
 *
 * Why these bounds (label-v1, published in the methodology):
 * - The energy of one query spans five orders of magnitude between a phone running a small
 *   classifier and a desktop GPU generating an answer, so the classes are logarithmic: one decade
 *   each, so one letter means about ×10 energy and the letters of two results compare directly.
 * - The decades are offset by √10 so that typical cases sit in the middle of a class, not on a
 *   bound: a small classifier on a laptop GPU (≈ 0.1 J) is B, a 0.5 B-parameter LLM answering
 *   in a few tokens (≈ 3–15 J) is D; A and E are left for the extremes.
 * - The bounds are absolute and fixed (unlike the AI Energy Score's relative stars, which rank
 *   models measured on one datacentre GPU): our results come from every kind of device, and a
 *   class must mean the same joules whatever else is in the dataset. A change of bounds is a new
 *   version; the version is stored with every label.
 * The class of the median is the label; the classes of p5 and p95 say whether the uncertainty
 * range straddles a bound.
 */

export const ENERGY_LABEL_VERSION = 'label-v1';
export const ENERGY_LABEL_CLASSES = ['A', 'B', 'C', 'D', 'E'] as const;
export type EnergyClass = (typeof ENERGY_LABEL_CLASSES)[number];

/** Upper bounds (exclusive) of classes A–D in joules per query; E is everything above. */
export const ENERGY_LABEL_BOUNDS_J: readonly [number, number, number, number] = [0.03, 0.3, 3, 30];

export interface EnergyLabel {
  version: typeof ENERGY_LABEL_VERSION;
  /** Class of the median per-query energy. */
  class: EnergyClass;
  /** Classes of p5 and p95: equal to `class` when the range sits inside one class. */
  low: EnergyClass;
  high: EnergyClass;
}

/** The class of a per-query energy in joules (non-negative). */
export function energyClass(joules: number): EnergyClass {
  const i = ENERGY_LABEL_BOUNDS_J.findIndex((bound) => joules < bound);
  return ENERGY_LABEL_CLASSES[i === -1 ? 4 : i]!;
}

/** The label of a per-query marginal energy range. */
export function energyLabel(joules: { p5: number; p50: number; p95: number }): EnergyLabel {
  return { version: ENERGY_LABEL_VERSION, class: energyClass(joules.p50), low: energyClass(joules.p5), high: energyClass(joules.p95) };
}
