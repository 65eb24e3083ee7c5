/**
 * How faithful is the synthetic race? A real-models document holds, beside each real model
 * (`ROLE:MODEL:EP`, kind `real-model`), its synthetic replica run by our engine at the same
 * shape and token counts (`ROLE:MODEL`, kind `model`). The comparison is real ÷ synthetic time
 * per query, per role.
 *
 * The real time is `real.sessionMedianMs`: the median time inside onnxruntime-web's session runs
 * (forward passes only, no tokenizing, chat template or text decoding), so both sides time the
 * same work, a model's forward passes for one query. The synthetic time is the replica's
 * `timing.medianMs` (GPU timestamps where the adapter has them, else the wall clock). A ratio
 * above 1 means the real model is slower than the synthetic race says.
 */
import { energyWorkload } from '../energy-workload.ts';
import type { ResultDocument, Role, Workload } from '../result.ts';

/** Why a role has no comparison. */
export const COMPARISON_REASONS = ['no-real-model', 'no-replica'] as const;
export type ComparisonReason = (typeof COMPARISON_REASONS)[number];

export type SyntheticComparison =
  | { available: true; realWorkloadId: string; replicaWorkloadId: string; realMs: number; syntheticMs: number; ratio: number }
  | { available: false; reason: ComparisonReason };

/**
 * The replica of a real model: the model workload `ROLE:MODEL` of the same model key, else the
 * role's only model workload (a replica built from another config.json is recorded as `custom`).
 */
function replicaOf(doc: Pick<ResultDocument, 'workloads'>, role: Role, model: string): Workload | undefined {
  const synthetic = doc.workloads.filter((w) => w.kind === 'model' && w.role === role);
  return synthetic.find((w) => w.id === `${role}:${model}`) ?? (synthetic.length === 1 ? synthetic[0] : undefined);
}

/** Real ÷ synthetic time per query for each role (the real model the energy rests on, and its replica). */
export function syntheticComparison(doc: Pick<ResultDocument, 'workloads'>): Record<Role, SyntheticComparison> {
  const one = (role: Role): SyntheticComparison => {
    const w = energyWorkload(doc, role);
    if (w?.real === undefined) return { available: false, reason: 'no-real-model' };
    const replica = replicaOf(doc, role, w.real.model);
    if (!replica) return { available: false, reason: 'no-replica' };
    const realMs = w.real.sessionMedianMs;
    const syntheticMs = replica.timing.medianMs;
    return { available: true, realWorkloadId: w.id, replicaWorkloadId: replica.id, realMs, syntheticMs, ratio: realMs / syntheticMs };
  };
  return { general: one('general'), specialized: one('specialized') };
}
