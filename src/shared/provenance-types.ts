/**
 * Provenance tags of the energy inputs: the closed lists and the types, with no imports so that
 * result.ts can use them (provenance.ts derives the tags from a document).
 */
export type ProvenanceKind = 'measured' | 'sourced' | 'modeled';

/** How a measured input was measured. */
export const MEASURED_METHODS = [
  'gpu-timestamp', 'wall-clock', 'wall-meter', 'battery-drain',
  // A power sensor of the machine, one per SENSOR_KINDS (power.ts; provenance.ts ties the two).
  'sensor:nvidia-smi', 'sensor:hwmon', 'sensor:rapl', 'sensor:powermetrics',
] as const;
export type MeasuredMethod = (typeof MEASURED_METHODS)[number];

/** Why a modeled input has the value it has (rendered from the i18n catalog, `provenance.basis.*`). */
export const MODEL_BASES = [
  /** No wall time was recorded: the busy time stands in for it. */
  'busy-time-as-wall',
  /** A catalog class whose watts are modeled from related hardware (its `modeled` note says how). */
  'catalog-modeled',
  /** Several catalog classes merged into one band because the device class is uncertain. */
  'merged-classes',
  /** A project assumption (DESIGN.md §4) rather than a figure someone measured for this device. */
  'assumption',
  /** The country is unknown: the world average with a range wide enough for any grid. */
  'world-range',
  /** Derived with a published formula from related figures (Boavizta's component model). */
  'derived-formula',
] as const;
export type ModelBasis = (typeof MODEL_BASES)[number];

export type Provenance =
  | { kind: 'measured'; method: MeasuredMethod }
  | { kind: 'sourced'; sources: string[]; year: number | null }
  | { kind: 'modeled'; basis: ModelBasis; sources: string[] };

/** The inputs of the formulas, in the order the "how this figure was made" table lists them. */
export const PROVENANCE_INPUTS = ['busyTime', 'wallTime', 'deltaW', 'idleW', 'hostW', 'eta', 'grid', 'embodied'] as const;
export type ProvenanceInput = (typeof PROVENANCE_INPUTS)[number];

/** Per model for the timings (each model has its own), shared for the rest. */
export interface EnergyProvenance {
  busyTime: Record<'general' | 'specialized', Provenance>;
  wallTime: Record<'general' | 'specialized', Provenance>;
  deltaW: Provenance;
  /** null when idle power is unknown (no attributional figure rests on it). */
  idleW: Provenance | null;
  hostW: Provenance;
  eta: Provenance;
  grid: Provenance;
  /** null when no embodied class is known. */
  embodied: Provenance | null;
}

