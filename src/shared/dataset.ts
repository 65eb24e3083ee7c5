/**
 * Shapes of the open-dataset API answers (DESIGN.md §5), shared by the server that produces
 * them and the Dataset / Upload views that read them.
 */
import type { ResultDocument } from './result.ts';

export const DATASET_LICENSE = { name: 'CC BY 4.0', url: 'https://creativecommons.org/licenses/by/4.0/' } as const;

/** Body size limit of `POST /api/results`. */
export const MAX_BODY_BYTES = 64 * 1024;

export interface UploadAccepted {
  id: string;
  /** Shown once: only its hash is stored, so it cannot be recovered. */
  token: string;
  duplicate: false;
}

/** The same content was already uploaded: no new row, no new token. */
export interface UploadDuplicate {
  id: string;
  duplicate: true;
}

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

export interface GroupStats {
  vendor: string;
  architecture: string;
  preset: string;
  suiteVersion: string;
  count: number;
  /** Medians across results of the per-query p50 energies; null when no result had energy. */
  medianGeneralJ: number | null;
  medianSpecializedJ: number | null;
  medianRatio: number | null;
}

export interface WorkloadStats {
  vendor: string;
  architecture: string;
  preset: string;
  suiteVersion: string;
  workload: string;
  count: number;
  medianMs: number;
}

export interface DatasetStats {
  total: number;
  license: typeof DATASET_LICENSE;
  groups: GroupStats[];
  workloads: WorkloadStats[];
}
