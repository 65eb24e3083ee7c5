/**
 * What every kernel declares beside its WGSL. FLOPs and bytes are functions of
 * the shape so the roofline, per-kernel energy and the result document can all recount them.
 */
export type BindingKind = 'uniform' | 'storage' | 'read-only-storage';

export interface BindingDecl {
  binding: number;
  name: string;
  kind: BindingKind;
}

export interface KernelMeta<Shape> {
  name: string;
  /** Group 0 bindings, in order. */
  bindings: readonly BindingDecl[];
  /** Workgroup size of every entry point, except those listed in `entryWorkgroupSizes`. */
  workgroupSize: readonly [number, number, number];
  /** Entry points whose workgroup size differs from `workgroupSize`. */
  entryWorkgroupSizes?: Readonly<Record<string, readonly [number, number, number]>>;
  requiredFeatures: readonly GPUFeatureName[];
  flops(shape: Shape): number;
  bytes(shape: Shape): number;
  /** Workgroup counts for one dispatch of `shape`. */
  workgroups(shape: Shape): [number, number, number];
}

export const ceilDiv = (a: number, b: number): number => Math.floor((a + b - 1) / b);
