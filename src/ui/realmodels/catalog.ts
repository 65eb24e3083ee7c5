/**
 * Whether the models a stored real-models result measured are still in the lab's catalog
 * (shared/realmodels/record.ts: the model keys and ONNX variants a result may name). A catalog
 * update can drop or rename one; a result kept before it still opens from what it recorded, with a
 * note, and is not offered for sharing, since the dataset's checks accept only the current catalog.
 */
import { realPair, type RealModelName } from '../../results/real.ts';
import { REAL_DTYPES, REAL_MODEL_KEYS } from '../../shared/realmodels/record.ts';
import type { ResultDocument } from '../../shared/result.ts';

const offered = (n: RealModelName): boolean => (REAL_MODEL_KEYS as readonly string[]).includes(n.model) && (REAL_DTYPES as readonly string[]).includes(n.dtype);

/** The document's models (one per role, as it recorded them) that the catalog no longer offers; empty when every one is offered. */
export function retiredModels(doc: Pick<ResultDocument, 'workloads'>): RealModelName[] {
  const pair = realPair(doc);
  if (!pair) return [];
  return [pair.specialized, pair.general].filter((n): n is RealModelName => n !== null && !offered(n));
}

/** "qwen2.5-0.5b-instruct q4f16-old, …": the retired models as the note names them. */
export const retiredLabel = (names: readonly RealModelName[]): string => names.map((n) => `${n.model} ${n.dtype}`).join(', ');
