/**
 * Which workload an energy figure rests on. One function for the page (src/energy/model.ts
 * computeEnergy), the server (recompute.ts) and the provenance, so all read the same timings and
 * agree on every figure (the per-correct figures built on it: realmodels-result.ts perCorrectFigures).
 *
 * A document of the real-models race holds the real models (`ROLE:MODEL:EP`, kind `real-model`)
 * beside their synthetic replicas (`ROLE:MODEL`, kind `model`): the energy is the real models'.
 * The measured run is the WebGPU one; a document with only the WASM reference uses that. A
 * document with real-model workloads never falls back to a replica for a missing role: a ratio of
 * a real model over a synthetic one would compare two different things.
 */
import type { RealModelRecord } from './realmodels/record.ts';
import type { ResultDocument, Role, Workload } from './result.ts';

/** The workload the energy of `role` is computed from (undefined when the document has none). */
export function energyWorkload(doc: Pick<ResultDocument, 'workloads'>, role: Role): Workload | undefined {
  if (doc.workloads.some((w) => w.kind === 'real-model')) {
    const mine = doc.workloads.filter((w) => w.kind === 'real-model' && w.role === role);
    return mine.find((w) => w.real?.executionProvider === 'webgpu') ?? mine[0];
  }
  return doc.workloads.find((w) => w.kind === 'model' && w.role === role);
}

type RealWorkload = Workload & { real: RealModelRecord };

/** Both roles' energy workloads when both are real models (then the per-correct figures exist). */
export function realEnergyWorkloads(doc: Pick<ResultDocument, 'workloads'>): Record<Role, RealWorkload> | null {
  const general = energyWorkload(doc, 'general');
  const specialized = energyWorkload(doc, 'specialized');
  if (general?.real === undefined || specialized?.real === undefined) return null;
  return { general: general as RealWorkload, specialized: specialized as RealWorkload };
}
