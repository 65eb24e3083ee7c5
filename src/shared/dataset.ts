/**
 * Shapes of the open-dataset API answers, shared by the server that produces
 * them and the Dataset / Upload views that read them.
 */
import type { ResultDocument, SCHEMA_VERSION } from './result.ts';

export const DATASET_LICENSE = { name: 'CC BY 4.0', url: 'https://creativecommons.org/licenses/by/4.0/' } as const;

/** Body size limit of `POST /api/results`. */
export const MAX_BODY_BYTES = 64 * 1024;

export interface UploadAccepted {
  id: string;
  /** Shown once: only its hash is stored, so it cannot be recovered. */
  token: string;
  duplicate: false;
}

/**
 * The same content was already uploaded: no new row. No token either, unless the request
 * carried the idempotency key of the original upload (see UploadReplayed).
 */
export interface UploadDuplicate {
  id: string;
  duplicate: true;
}

/**
 * A retry of an upload whose 201 answer was lost: same content AND the same `Idempotency-Key`
 * as the original request. The server keeps only the token's hash, so it cannot send the first
 * token again: it issues a NEW token, stores its hash, and the previous token stops working.
 */
export interface UploadReplayed {
  id: string;
  token: string;
  duplicate: true;
  replayed: true;
}

/** Request header of `POST /api/results` that makes a retried upload recover its token. */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
/** At least 22 base64url characters (128 bits) so that a key cannot be guessed. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_-]{22,128}$/;

export interface ApiError {
  error: string;
  issues?: string[];
}

export interface ResultListItem {
  id: string;
  receivedDay: string;
  doc: ResultDocument;
}

export interface ResultPage {
  items: ResultListItem[];
  /** Cursor for the next page (`?after=`), null at the end. */
  next: string | null;
}

/** One quantile of a distribution: `value` at probability `q` (0 < q < 1). */
export interface QuantilePoint {
  q: number;
  value: number;
}

/**
 * Which per-result figure a group's distribution describes: the synthetic race's gap and each
 * role's J/query; a real model's J/query, J per correct answer and time per query (ms).
 */
export type DistributionMetric = 'ratio' | 'generalJ' | 'specializedJ' | 'queryJ' | 'correctJ' | 'queryMs';

/**
 * A group's distribution read from its maintained quantile sketch (updated in the same
 * transaction as each insert and withdrawal), so it costs the same at ten rows or a million.
 */
export interface SketchDistribution {
  metric: DistributionMetric;
  /** Results that had this figure (a result without energy adds nothing). */
  count: number;
  /** The sketch's guarantee: each quantile is within ± relativeAccuracy × its true value. */
  relativeAccuracy: number;
  /** q = 0.05, 0.10, …, 0.95; empty when count is 0. */
  quantiles: QuantilePoint[];
}

export interface GroupStats {
  vendor: string;
  architecture: string;
  preset: string;
  suiteVersion: string;
  /** Real-model results are grouped by model and dtype too; null for the synthetic race. */
  model: string | null;
  dtype: string | null;
  /**
   * And by the task set they answered (`sentiment-en`, `sentiment-fr`): accuracy differs by
   * language, so English and French results never pool. Null for the synthetic race.
   */
  task: string | null;
  /**
   * Present exactly for a real-model group. The task set's version: a new version asks other
   * sentences, so its results never pool with an older version's.
   */
  taskVersion?: number;
  /** The role the model ran in (real-model groups): a group holds one run per result. */
  role?: 'general' | 'specialized';
  /**
   * A custom model's ONNX file, SHA-256 (64 hex digits): every custom model is stored as `custom`,
   * and its file is what tells two apart, so unrelated custom models never pool. Absent otherwise.
   */
  modelSha256?: string;
  count: number;
  /** Whether the medians below are exact (small groups, or the periodic job) or read from the sketch. */
  medianSource: 'exact' | 'sketch';
  distributions: SketchDistribution[];
  /** Medians across results of the per-query p50 energies; null when no result had energy. */
  medianGeneralJ: number | null;
  medianSpecializedJ: number | null;
  medianRatio: number | null;
  /** Present exactly for a real-model group (model and dtype set); the medians above are then null. */
  real?: RealGroupStats;
}

/** What a real model's group adds: answers pooled over its results, and its medians (same source as medianSource). */
export interface RealGroupStats {
  /**
   * Correct answers of all answers scored in the group (`rate` = correct ÷ n), with a 95 % Wilson
   * interval taken at `effectiveN` = n ÷ results, the answers of one result on average: repeated
   * uploads answer the same sentences, so they are not independent samples of the task and the
   * interval does not narrow with every upload. Null when none scored.
   */
  accuracy: {
    correct: number;
    /** Answers scored, all results together. */
    n: number;
    /** Results whose answers are pooled (the group's count). */
    results: number;
    /** The n of the interval: n ÷ results (need not be an integer). */
    effectiveN: number;
    rate: number;
    low: number;
    high: number;
  } | null;
  medianQueryJ: number | null;
  medianCorrectJ: number | null;
  medianQueryMs: number | null;
}

export interface WorkloadStats {
  vendor: string;
  architecture: string;
  preset: string;
  suiteVersion: string;
  workload: string;
  count: number;
  medianMs: number;
  /** Where medianMs came from: the rows themselves (small groups) or the group's sketch (within its relative accuracy). */
  medianSource: 'exact' | 'sketch';
  /** A real model's workload: its group's model, dtype, task set and its version, and a custom model's file SHA-256. */
  model?: string;
  dtype?: string;
  task?: string;
  taskVersion?: number;
  modelSha256?: string;
}

export interface DatasetStats {
  total: number;
  license: typeof DATASET_LICENSE;
  groups: GroupStats[];
  workloads: WorkloadStats[];
}

/**
 * The public read API: every answer carries the schema version of the result documents it
 * serves in this header, and every JSON object answer (listing, one result, stats, snapshot
 * list) also as `schemaVersion` at its top level. Error bodies carry only the header.
 */
export const SCHEMA_VERSION_HEADER = 'X-Schema-Version';

export interface Versioned {
  schemaVersion: typeof SCHEMA_VERSION;
}

/**
 * The listing's filters, shared by the API's query string and the dataset view's address.
 * `taskVersion` is a version of the `task` filter's set: the server refuses it alone.
 */
export const LISTING_FILTERS = ['vendor', 'architecture', 'preset', 'model', 'dtype', 'task', 'taskVersion'] as const;
export type ListingFilter = (typeof LISTING_FILTERS)[number];

/** Largest page of `GET /api/results`. */
export const LISTING_MAX_PAGE = 200;

export interface SnapshotEntry {
  day: string;
  file: string;
  bytes: number;
  sha256: string;
  url: string;
  sha256Url: string;
}

export interface SnapshotList {
  snapshots: SnapshotEntry[];
}
