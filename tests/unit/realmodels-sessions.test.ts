/**
 * The real-model sessions (src/engine/realmodels/) on the tiny generated fixtures, with
 * onnxruntime-web's WASM backend in Node: the classifier answers, the generator renders its chat
 * template, stops at end-of-sequence or at the budget, and decoding with the KV cache gives the
 * same tokens as re-running the whole sequence without it.
 */
import { describe, expect, test } from 'vitest';
import * as ort from 'onnxruntime-web';
import { checkHalfPrecision, checkModelFits, checkSignature, HalfPrecisionUnavailableError, ModelSignatureError } from '../../src/engine/realmodels/checks.ts';
import { argmax, ClassifierSession, type ClassifierFiles } from '../../src/engine/realmodels/classifier.ts';
import { classifierFixture, decoderFixture, type RepoFiles } from '../../src/engine/realmodels/fixtures.ts';
import { ChatTemplateError, GeneratorSession, renderChat, type GeneratorFiles } from '../../src/engine/realmodels/generator.ts';
import { ModelTooLargeError } from '../../src/engine/errors.ts';
import { OnnxLoadError } from '../../src/shared/onnx.ts';

ort.env.wasm.numThreads = 1;

const text = new TextDecoder();
const jsonOf = (files: RepoFiles, path: string): object => JSON.parse(text.decode(files.get(path))) as object;

function classifierFiles(model = 'onnx/model.onnx'): ClassifierFiles {
  const f = classifierFixture();
  return { model: f.get(model)!, tokenizerJson: jsonOf(f, 'tokenizer.json'), tokenizerConfig: jsonOf(f, 'tokenizer_config.json'), config: jsonOf(f, 'config.json') };
}

function generatorFiles(model = 'onnx/model.onnx'): GeneratorFiles {
  const f = decoderFixture();
  return {
    model: f.get(model)!, tokenizerJson: jsonOf(f, 'tokenizer.json'), tokenizerConfig: jsonOf(f, 'tokenizer_config.json'),
    config: jsonOf(f, 'config.json'), generationConfig: jsonOf(f, 'generation_config.json'),
  };
}

const MESSAGES = [
  { role: 'system' as const, content: 'Answer positive or negative.' },
  { role: 'user' as const, content: 'The film was not good.' },
];

describe('fixtures', () => {
  test('are deterministic: the same seed gives the same bytes', () => {
    expect(classifierFixture(3).get('onnx/model.onnx')).toEqual(classifierFixture(3).get('onnx/model.onnx'));
    expect(decoderFixture(3).get('onnx/model_q4f16.onnx')).toEqual(decoderFixture(3).get('onnx/model_q4f16.onnx'));
    expect(classifierFixture(3).get('onnx/model.onnx')).not.toEqual(classifierFixture(4).get('onnx/model.onnx'));
  });
});

// Creating the first session compiles onnxruntime's WASM: seconds on a loaded machine.
describe('classifier session', { timeout: 60_000 }, () => {
  test('tokenizes with [CLS] … [SEP], runs, and names the argmax label from id2label', async () => {
    const s = await ClassifierSession.create(ort, classifierFiles(), 'wasm');
    const ids = s.encode('This movie is NOT good!');
    expect(ids.length).toBeGreaterThan(4);
    const r = await s.classify('This movie is NOT good!');
    expect(r.logits).toHaveLength(2);
    expect(r.labelId).toBe(argmax(r.logits));
    expect(['NEGATIVE', 'POSITIVE']).toContain(r.label);
    expect(r.tokens).toBe(ids.length);
    expect(r.runMs).toBeGreaterThanOrEqual(0);
    // Deterministic: the same sentence, the same logits.
    expect((await s.classify('This movie is NOT good!')).logits).toEqual(r.logits);
    await s.release();
  });

  test('a decoder offered as the classifier is refused by name', async () => {
    const err = await ClassifierSession.create(ort, { ...classifierFiles(), model: decoderFixture().get('onnx/model.onnx')! }, 'wasm').catch((e: unknown) => e);
    // The decoder has input_ids, attention_mask and logits too: what tells it apart is the
    // inputs it needs that a classifier run never feeds.
    expect(err).toBeInstanceOf(ModelSignatureError);
    expect(err).toMatchObject({ missing: [], unexpected: expect.arrayContaining(['position_ids', 'past_key_values.0.key']) as unknown });
  });
});

describe('checks', () => {
  test('signature: missing inputs and outputs are named', () => {
    expect(() => checkSignature('generator', ['input_ids', 'attention_mask'], ['logits'])).toThrow(ModelSignatureError);
    const err = (() => {
      try {
        checkSignature('classifier', ['pixel_values'], ['logits']);
      } catch (e) {
        return e as ModelSignatureError;
      }
      return null;
    })();
    expect(err?.missing).toEqual(['input_ids', 'attention_mask']);
    expect(() => checkSignature('generator', ['input_ids', 'attention_mask', 'past_key_values.0.key', 'past_key_values.0.value', 'past_key_values.1.key'],
      ['logits', 'present.0.key', 'present.0.value'])).toThrow(/present\.1\.key/);
  });

  test('half precision on WebGPU needs shader-f16; WASM needs nothing', () => {
    expect(() => checkHalfPrecision('qwen', 'float16', 'webgpu', new Set())).toThrow(HalfPrecisionUnavailableError);
    expect(() => checkHalfPrecision('qwen', 'float16', 'webgpu', new Set(['shader-f16']))).not.toThrow();
    expect(() => checkHalfPrecision('qwen', 'float16', 'wasm', new Set())).not.toThrow();
    expect(() => checkHalfPrecision('qwen', 'float32', 'webgpu', new Set())).not.toThrow();
  });

  test('not ONNX: OnnxLoadError; too large for the adapter: ModelTooLargeError naming the tensor', () => {
    expect(() => checkModelFits('m', new TextEncoder().encode('<!doctype html><title>404</title>'), { maxBufferSize: 1e9, maxStorageBufferBindingSize: 1e9 })).toThrow(OnnxLoadError);
    const bytes = decoderFixture().get('onnx/model.onnx')!;
    expect(checkModelFits('m', bytes, { maxBufferSize: 1e9, maxStorageBufferBindingSize: 1e9 }).name).toBe('embed_positions');
    const err = (() => {
      try {
        checkModelFits('qwen', bytes, { maxBufferSize: 1e9, maxStorageBufferBindingSize: 1024 });
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(ModelTooLargeError);
    expect(err).toMatchObject({ tensor: 'embed_positions', limit: 'maxStorageBufferBindingSize', limitBytes: 1024 });
  });
});

describe('generator session', { timeout: 60_000 }, () => {
  test('the chat template renders Qwen ChatML', () => {
    const rendered = renderChat(generatorFiles().tokenizerConfig, MESSAGES);
    expect(rendered).toBe('<|im_start|>system\nAnswer positive or negative.<|im_end|>\n<|im_start|>user\nThe film was not good.<|im_end|>\n<|im_start|>assistant\n');
    expect(renderChat(generatorFiles().tokenizerConfig, MESSAGES.slice(1))).toMatch(/^<\|im_start\|>system\nYou are Qwen, created by Alibaba Cloud\. You are a helpful assistant\.<\|im_end\|>\n<\|im_start\|>user\n/);
    expect(() => renderChat({}, MESSAGES)).toThrow(ChatTemplateError);
  });

  test('the prompt tokenizes with the ChatML specials as single tokens', async () => {
    const s = await GeneratorSession.create(ort, generatorFiles(), 'wasm');
    const ids = s.promptIds(MESSAGES);
    const eos = s.eosTokenIds;
    expect(eos).toHaveLength(2);
    expect(ids.filter((id) => id === eos[0])).toHaveLength(2); // two <|im_end|>: system and user turns
    expect(s.decode(ids)).toBe('system\nAnswer positive or negative.\nuser\nThe film was not good.\nassistant\n');
    await s.release();
  });

  test.each(['onnx/model.onnx', 'onnx/model_q4f16.onnx'])('%s: the KV cache gives the same tokens as the whole sequence re-run; stops at max tokens, then at eos', async (model) => {
    const s = await GeneratorSession.create(ort, generatorFiles(model), 'wasm', { adapterFeatures: new Set() });
    expect(s.ioType).toBe(model.includes('f16') ? 'float16' : 'float32');
    const cached = await s.generate(MESSAGES, { maxNewTokens: 8, eosTokenIds: [] });
    const full = await s.generate(MESSAGES, { maxNewTokens: 8, eosTokenIds: [], useCache: false });
    expect(cached.outputIds).toEqual(full.outputIds);
    expect(cached).toMatchObject({ stop: 'max-tokens', tokensOut: 8, tokensIn: s.promptIds(MESSAGES).length });
    expect(cached.stepMs).toHaveLength(7);
    expect(cached.prefillMs).toBeGreaterThan(0);
    // Not a constant: a real model (random weights) produces more than one distinct token.
    expect(new Set(cached.outputIds).size).toBeGreaterThan(1);
    // The fourth generated token as end-of-sequence: generation stops there, eos not in the reply.
    const eosId = cached.outputIds[3]!;
    const firstAt = cached.outputIds.indexOf(eosId);
    const stopped = await s.generate(MESSAGES, { maxNewTokens: 8, eosTokenIds: [eosId] });
    expect(stopped).toMatchObject({ stop: 'eos', tokensOut: firstAt + 1 });
    expect(stopped.outputIds).toEqual(cached.outputIds.slice(0, firstAt + 1));
    expect(stopped.reply).toBe(s.decode(cached.outputIds.slice(0, firstAt)));
    await s.release();
  });

  test('float16 and float32 exports of the same weights agree on the tokens', async () => {
    const a = await GeneratorSession.create(ort, generatorFiles('onnx/model.onnx'), 'wasm');
    const b = await GeneratorSession.create(ort, generatorFiles('onnx/model_fp16.onnx'), 'wasm');
    const ra = await a.generate(MESSAGES, { maxNewTokens: 5, eosTokenIds: [] });
    const rb = await b.generate(MESSAGES, { maxNewTokens: 5, eosTokenIds: [] });
    expect(rb.outputIds).toEqual(ra.outputIds);
    await a.release();
    await b.release();
  });

  test('a step whose logits cannot be read frees the new KV cache (GPU buffers on WebGPU) and the logits', async () => {
    const disposed: string[] = [];
    const track = (name: string, t: ort.Tensor): ort.Tensor => {
      const dispose = t.dispose.bind(t);
      t.dispose = () => (disposed.push(name), dispose());
      return t;
    };
    // Sessions whose run returns int32 logits, which floatsOf refuses (TypeError).
    const create = async (bytes: Uint8Array, o?: ort.InferenceSession.SessionOptions): Promise<ort.InferenceSession> => {
      const real = await ort.InferenceSession.create(bytes, o);
      return new Proxy(real, {
        get(target, p) {
          if (p === 'run') {
            return async (feeds: ort.InferenceSession.FeedsType) => {
              const out = await target.run(feeds);
              const renamed: Record<string, ort.Tensor> = {};
              for (const [name, t] of Object.entries(out)) {
                renamed[name] = track(name, name === 'logits' ? new ort.Tensor('int32', new Int32Array(t.size), t.dims) : t);
              }
              return renamed;
            };
          }
          const v: unknown = Reflect.get(target, p, target);
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
        },
      });
    };
    const broken = { ...ort, InferenceSession: { create } } as unknown as typeof ort;
    const g = await GeneratorSession.create(broken, generatorFiles(), 'wasm');
    try {
      await expect(g.generate(MESSAGES, { maxNewTokens: 2 })).rejects.toThrow(TypeError);
      // The fixture decoder has two layers: each present tensor of the failed prefill freed once, and the logits.
      expect(disposed.filter((n) => n.startsWith('present.')).sort()).toEqual(['present.0.key', 'present.0.value', 'present.1.key', 'present.1.value']);
      expect(disposed.filter((n) => n === 'logits')).toHaveLength(1);
    } finally {
      await g.release();
    }
  });

  test('a classifier offered as the chat model is refused with ModelSignatureError', async () => {
    const err = await GeneratorSession.create(ort, { ...generatorFiles(), model: classifierFixture().get('onnx/model.onnx')! }, 'wasm').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelSignatureError);
    expect((err as ModelSignatureError).missing).toContain('past_key_values.0.key');
  });
});
