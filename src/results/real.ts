/**
 * What the results views need to know about a real-models document (pure, unit-tested, small
 * enough for the first screen's script): whether it is one, and which model pair it measured.
 * The figures themselves are read by the real-models views, which load on demand.
 */
import { energyWorkload } from '../shared/energy-workload.ts';
import type { ResultDocument, Role } from '../shared/result.ts';

/** A document of the real-models race holds real-model workloads (beside their synthetic replicas). */
export function isRealDocument(doc: Pick<ResultDocument, 'workloads'>): boolean {
  return doc.workloads.some((w) => w.kind === 'real-model');
}

/** One role's model as the document records it: the closed model key (never the id typed) and its variant. */
export interface RealModelName {
  model: string;
  dtype: string;
}

export type RealPair = Record<Role, RealModelName | null>;

/**
 * The model pair of a real-models document, read from the workloads its energy rests on (the
 * WebGPU run, else the WASM reference); null for a synthetic-race document.
 */
export function realPair(doc: Pick<ResultDocument, 'workloads'>): RealPair | null {
  if (!isRealDocument(doc)) return null;
  const name = (role: Role): RealModelName | null => {
    const r = energyWorkload(doc, role)?.real;
    return r ? { model: r.model, dtype: r.dtype } : null;
  };
  return { specialized: name('specialized'), general: name('general') };
}

/** "distilbert-sst2 fp32 · qwen2.5-0.5b-instruct q4" ("?" for a role the document lacks). */
export function realPairLabel(pair: RealPair): string {
  const one = (n: RealModelName | null) => (n ? `${n.model} ${n.dtype}` : '?');
  return `${one(pair.specialized)} · ${one(pair.general)}`;
}
