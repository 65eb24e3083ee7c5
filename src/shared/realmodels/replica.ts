/**
 * How faithful is the synthetic race? A real-models document holds, beside each real model
 * (`ROLE:MODEL:EP`, kind `real-model`), its synthetic replica run by our engine at the same
 * shape and token counts (`ROLE:MODEL`, kind `model`). The comparison is real ÷ synthetic time
 * per query, per role.
 *
 * The real time is `real.sessionMedianMs`: the median time inside onnxruntime-web's session runs
 * (forward passes only, no tokenizing, chat template or text decoding). A session run is timed on
 * the wall clock and includes what surrounds the GPU work: dispatching it from JavaScript and
 * reading the outputs back. So the synthetic side is the replica's wall-clock median
 * (`timing.wallMedianMs`, submit → onSubmittedWorkDone), not its GPU-timestamp median, which
 * leaves those out; `timing.medianMs` only when no wall-clock median was recorded (it is then the
 * wall clock itself). Both sides then time the same thing, a model's forward passes for one query
 * as the page waits for them. A ratio above 1 means the real model is slower than the synthetic
 * race says.
 *
 * The replica runs in the plan's dtype (f32 unless the preset asks for f16), whatever the real
 * file's dtype: a quantized or half-precision real model is compared with a full-precision replica.
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
    const syntheticMs = replica.timing.wallMedianMs ?? replica.timing.medianMs;
    return { available: true, realWorkloadId: w.id, replicaWorkloadId: replica.id, realMs, syntheticMs, ratio: realMs / syntheticMs };
  };
  return { general: one('general'), specialized: one('specialized') };
}
