/**
 * The kernel sources a tuning depends on: a cached choice is kept only while these are unchanged,
 * so a new version of a candidate kernel is timed again. Every WGSL file under kernels/gemm* and
 * kernels/gemv* belongs here: tests/unit/tuning.test.ts fails when one is missing (a new split-K
 * or subgroup kernel must be added to this list).
 */
import gemmCode from '../../../kernels/gemm/gemm.wgsl?raw';
import gemvCode from '../../../kernels/gemv/gemv.wgsl?raw';
import gemmSplitKCode from '../../../kernels/gemm-splitk/gemm-splitk.wgsl?raw';
import gemvSubgroupCode from '../../../kernels/gemv-subgroup/gemv-subgroup.wgsl?raw';
import argmaxSubgroupCode from '../../../kernels/argmax-subgroup/argmax-subgroup.wgsl?raw';
import { PRODUCT_SNIPPETS } from '../ops/product.ts';
import { WEIGHT_SNIPPETS } from '../ops/weight-storage.ts';

// argmax-subgroup runs with the subgroup GEMV (the same tuning flag), so its source counts too;
// the products' shared prologue/epilogue snippets (kernels/product) and every weight-access
// snippet (kernels/weights: f32, f16 storage, f16 products) are part of the candidates.
export const TUNED_KERNEL_SOURCES: readonly string[] = [gemmCode, gemvCode, gemmSplitKCode, gemvSubgroupCode, argmaxSubgroupCode, ...WEIGHT_SNIPPETS, ...PRODUCT_SNIPPETS];

/** FNV-1a over the text, as 8 hex digits (a change detector, not a security hash). */
export function fnv1a(text: string, seed = 2166136261): string {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0).toString(16).padStart(8, '0');
}

export function sourcesHash(sources: readonly string[] = TUNED_KERNEL_SOURCES): string {
  // Lengths are mixed in so that moving text from one file to the next changes the hash.
  return fnv1a(sources.map((s) => `${s.length}:${s}`).join('\u0000'));
}
