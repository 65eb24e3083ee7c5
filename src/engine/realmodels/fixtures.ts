/**
 * The files of the two tiny fixture repositories, laid out like the Hugging Face repositories of
 * the real models (repository-relative paths: `onnx/model.onnx`, `tokenizer.json`, …). The
 * caller decides where the repositories go (`npm run fixtures:models` writes them under their
 * model ids; tests serve them over HTTP). Deterministic: the same seed gives the same bytes.
 */
import { classifierGraph, decoderGraph, type ClassifierShape, type DecoderShape } from './fixture-graphs.ts';
import {
  bpeTokenizerConfig, bpeTokenizerJson, bpeVocab, classifierConfig, decoderConfig, generationConfig, wordPieceTokenizerConfig, wordPieceTokenizerJson,
  wordPieceVocab,
} from './fixture-tokenizers.ts';

/** Repository-relative path → contents. */
export type RepoFiles = Map<string, Uint8Array>;

const json = (v: object): Uint8Array => new TextEncoder().encode(`${JSON.stringify(v, null, 2)}\n`);

export const FIXTURE_CLASSIFIER_SHAPE: ClassifierShape = { vocab: Object.keys(wordPieceVocab()).length, hidden: 16, labels: 2 };

export const FIXTURE_DECODER_SHAPE: Omit<DecoderShape, 'io'> = {
  vocab: Object.keys(bpeVocab()).length, hidden: 16, layers: 2, kvHeads: 2, headDim: 8, ffn: 32, maxPositions: 512,
};

/**
 * The classifier's repository: `onnx/model.onnx` (fp32) and `onnx/model_quantized.onnx` (another
 * seed: the real quantized export has the same signature and slightly different answers).
 */
export function classifierFixture(seed = 1): RepoFiles {
  const s = FIXTURE_CLASSIFIER_SHAPE;
  return new Map([
    ['config.json', json(classifierConfig(s.hidden, s.vocab))],
    ['tokenizer.json', json(wordPieceTokenizerJson())],
    ['tokenizer_config.json', json(wordPieceTokenizerConfig())],
    ['onnx/model.onnx', classifierGraph(s, seed)],
    ['onnx/model_quantized.onnx', classifierGraph(s, seed + 1)],
  ]);
}

/**
 * The decoder's repository: `onnx/model.onnx`, `model_q4.onnx` and `model_quantized.onnx`
 * (float32 inputs and outputs), and `onnx/model_fp16.onnx` and `onnx/model_q4f16.onnx` with a
 * float16 KV cache and logits, as the real half-precision exports have (same weights: only the
 * input/output types differ).
 */
export function decoderFixture(seed = 7): RepoFiles {
  const s = FIXTURE_DECODER_SHAPE;
  return new Map([
    ['config.json', json(decoderConfig(s))],
    ['generation_config.json', json(generationConfig())],
    ['tokenizer.json', json(bpeTokenizerJson())],
    ['tokenizer_config.json', json(bpeTokenizerConfig())],
    ['onnx/model.onnx', decoderGraph({ ...s, io: 'float32' }, seed)],
    ['onnx/model_q4.onnx', decoderGraph({ ...s, io: 'float32' }, seed)],
    ['onnx/model_quantized.onnx', decoderGraph({ ...s, io: 'float32' }, seed)],
    ['onnx/model_fp16.onnx', decoderGraph({ ...s, io: 'float16' }, seed)],
    ['onnx/model_q4f16.onnx', decoderGraph({ ...s, io: 'float16' }, seed)],
  ]);
}

/** Both repositories under their model ids (`<id>/<path>`), as a models folder holds them. */
export function fixtureTree(ids: { classifier: string; generator: string }): RepoFiles {
  const out: RepoFiles = new Map();
  for (const [path, bytes] of classifierFixture()) out.set(`${ids.classifier}/${path}`, bytes);
  for (const [path, bytes] of decoderFixture()) out.set(`${ids.generator}/${path}`, bytes);
  return out;
}
