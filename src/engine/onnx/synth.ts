/**
 * Input synthesis for a user ONNX model: deterministic tensors of the chosen shapes, whose
 * content follows the input's name and type (token ids within the vocabulary, a mask of ones,
 * positions, random floats). Answers are meaningless; time depends only on shapes.
 */
import type * as Ort from 'onnxruntime-web';
import { f32ToF16Bits } from '../../shared/half.ts';
import { OnnxRunError, type OnnxValueInfo } from '../../shared/onnx.ts';
import { mulberry32 } from '../../shared/prng.ts';
import { synthValues } from '../synth-cpu.ts';
import { ELEM, INT_TYPES, type ParsedModel } from './parse.ts';
import { prod } from './shape-ops.ts';

export type InputRole = 'token-ids' | 'attention-mask' | 'token-type-ids' | 'position-ids' | 'zeros' | 'random-float' | 'ones';

/** What a synthesized input holds, chosen from its name and type. */
export function inputRole(name: string, elemType: number): InputRole {
  const n = name.toLowerCase();
  if (!INT_TYPES.has(elemType)) return 'random-float';
  if (elemType === 9) return /mask/.test(n) ? 'ones' : 'zeros';
  if (/mask/.test(n)) return 'attention-mask';
  if (/token_type|segment/.test(n)) return 'token-type-ids';
  if (/position/.test(n)) return 'position-ids';
  if (/ids|token|input/.test(n)) return 'token-ids';
  return 'zeros';
}

/** Vocabulary size for token ids: rows of the embedding table the input indexes (Gather data). */
export function vocabFor(m: ParsedModel, input: string): number {
  for (const n of m.nodeList) {
    if (n.op === 'Gather' && n.inputs[1] === input) {
      const table = m.initializers.get(n.inputs[0] ?? '');
      if (table?.dims[0]) return table.dims[0];
    }
  }
  return 100; // Unknown: small ids are valid in any real vocabulary.
}

export function synthInput(ort: typeof Ort, m: ParsedModel, inp: OnnxValueInfo, shape: number[], seed: number): Ort.Tensor {
  const count = prod(shape);
  const role = inputRole(inp.name, inp.elemType);
  const rand = mulberry32(seed);
  const last = shape[shape.length - 1] ?? 1;
  const intValue = (k: number): number => {
    switch (role) {
      case 'token-ids': return Math.floor(rand() * vocabFor(m, inp.name));
      case 'attention-mask': case 'ones': return 1;
      case 'position-ids': return k % last;
      case 'token-type-ids': case 'zeros': case 'random-float': return 0;
    }
  };
  switch (ELEM[inp.elemType]?.ort) {
    case 'float32':
      return new ort.Tensor('float32', synthValues(seed, count, 1), shape);
    case 'float64':
      return new ort.Tensor('float64', Float64Array.from(synthValues(seed, count, 1)), shape);
    case 'float16':
      return new ort.Tensor('float16', Uint16Array.from(synthValues(seed, count, 1), f32ToF16Bits), shape);
    case 'int64':
      return new ort.Tensor('int64', BigInt64Array.from({ length: count }, (_, k) => BigInt(intValue(k))), shape);
    case 'int32':
      return new ort.Tensor('int32', Int32Array.from({ length: count }, (_, k) => intValue(k)), shape);
    case 'uint8':
      return new ort.Tensor('uint8', Uint8Array.from({ length: count }, (_, k) => intValue(k) & 0xff), shape);
    case 'int8':
      return new ort.Tensor('int8', Int8Array.from({ length: count }, (_, k) => intValue(k) & 0x7f), shape);
    case 'bool':
      return new ort.Tensor('bool', Uint8Array.from({ length: count }, () => (role === 'ones' ? 1 : 0)), shape);
    case undefined:
    default:
      throw new OnnxRunError(`Input “${inp.name}” has element type ${inp.type}, which this lab cannot synthesize.`);
  }
}
