/**
 * The columns of a `results` row derived from its document, shared by the store (insert) and the
 * migrations that rewrite documents, so both fill them the same way.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../src/shared/schema.ts';
import type { ResultDocument } from '../src/shared/result.ts';

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Deduplication key: the same content always hashes the same, whatever its key order. */
export const contentHash = (doc: ResultDocument): string => sha256(canonicalJson(doc));

export interface DerivedColumns {
  preset: string;
  suite_version: string;
  vendor: string;
  architecture: string;
  general_j_p50: number | null;
  specialized_j_p50: number | null;
  ratio_p50: number | null;
}

export function derivedColumns(doc: ResultDocument): DerivedColumns {
  const e = doc.energy;
  return {
    preset: doc.suite.preset,
    suite_version: doc.suite.version,
    vendor: doc.environment.adapter.vendor,
    architecture: doc.environment.adapter.architecture,
    general_j_p50: e?.perQuery.general.joules.p50 ?? null,
    specialized_j_p50: e?.perQuery.specialized.joules.p50 ?? null,
    ratio_p50: e?.ratio.p50 ?? null,
  };
}
