/**
 * The general model's session (in the worker): render the chat template (`@huggingface/jinja`,
 * from tokenizer_config.json), tokenize, prefill, then greedy decoding with the KV cache until an
 * end-of-sequence token or the token budget.
 *
 * On the WebGPU EP the cache never leaves the GPU: the `present.*` outputs are requested as GPU
 * buffers (`preferredOutputLocation`) and fed back as the next step's `past_key_values.*`. The
 * logits stay on the GPU too, and only their last row comes back to the CPU (greedy argmax of the
 * last position): a prefill's logits are [prompt × vocab] (≈ 18 MB for a 60-token prompt on
 * Qwen2.5's 151,936-token vocabulary), and reading them all back would bill the general model
 * for a copy the answer never uses. The WASM EP is the CPU
 * reference. `useCache: false` re-runs the whole sequence at every step (no cache): the tests
 * check that both give the same tokens.
 */
import { Tokenizer } from '@huggingface/tokenizers';
import type * as Ort from 'onnxruntime-web';
import type { OnnxEp } from '../../shared/onnx.ts';
import { createSession, type OrtModule } from '../onnx/ort.ts';
import { checkHalfPrecision, checkSignature, ModelSignatureError } from './checks.ts';
import { argmax } from './classifier.ts';
import { floatsOf } from './tensors.ts';
import { readBuffer } from '../readback.ts';
import { f16BitsToF32 } from '../../shared/half.ts';
import { ChatTemplateError, renderChatPrompt } from '../../shared/realmodels/chat-template.ts';
import type { ChatMessage } from '../../shared/realmodels/prompt.ts';

export { ChatTemplateError };

export interface GeneratorFiles {
  model: Uint8Array;
  tokenizerJson: object;
  tokenizerConfig: object;
  config: object;
  generationConfig: object;
}

export type { ChatMessage };

export interface GenerateOptions {
  maxNewTokens: number;
  /** Defaults to generation_config.json's eos_token_id (one id or a list). */
  eosTokenIds?: readonly number[];
  /** false: no KV cache, the whole sequence again at every step (the reference). Default true. */
  useCache?: boolean;
}

export interface GenerateResult {
  /** The generated tokens decoded, special tokens skipped. */
  reply: string;
  promptIds: number[];
  /** Generated ids, the end-of-sequence token included when it stopped on one. */
  outputIds: number[];
  tokensIn: number;
  tokensOut: number;
  stop: 'eos' | 'max-tokens';
  /** Wall time of the prefill run (the first token's logits), ms. */
  prefillMs: number;
  /** Wall time of each decode step after the prefill, ms. */
  stepMs: number[];
}

/**
 * The chat template of tokenizer_config.json rendered for `messages`, with the assistant's turn
 * opened (shared/realmodels/chat-template.ts; a missing template is a ChatTemplateError too).
 */
export function renderChat(tokenizerConfig: object, messages: readonly ChatMessage[]): string {
  const cfg = tokenizerConfig as { chat_template?: unknown; bos_token?: unknown; eos_token?: unknown };
  if (typeof cfg.chat_template !== 'string') throw new ChatTemplateError('tokenizer_config.json has no chat_template.');
  const str = (v: unknown): string => (typeof v === 'string' ? v : '');
  return renderChatPrompt(cfg.chat_template, messages, { bosToken: str(cfg.bos_token), eosToken: str(cfg.eos_token) });
}

/**
 * Row `row` of a [1, rows, vocab] float32/float16 logits tensor held in a GPU buffer, read back
 * alone: one copy of that row (widened to 4-byte bounds, as copyBufferToBuffer requires) into a
 * mappable buffer. onnxruntime-web submits its work on the same device queue before run()
 * resolves, so the copy sees the finished logits.
 */
export async function lastRowFromGpu(device: GPUDevice, t: Ort.Tensor, row: number, vocab: number): Promise<Float32Array> {
  const half = t.type === 'float16';
  if (!half && t.type !== 'float32') throw new TypeError(`expected float32 or float16 logits, got ${t.type}`);
  const elem = half ? 2 : 4;
  const src = t.gpuBuffer;
  const start = row * vocab * elem;
  const begin = Math.floor(start / 4) * 4;
  const end = Math.min(src.size, Math.ceil((start + vocab * elem) / 4) * 4);
  const bytes = await readBuffer(device, src, 'Generator.lastLogits', begin, end - begin);
  const skip = start - begin;
  if (!half) return new Float32Array(bytes, skip, vocab).slice();
  const bits = new Uint16Array(bytes, skip, vocab);
  const out = new Float32Array(vocab);
  for (let i = 0; i < vocab; i++) out[i] = f16BitsToF32(bits[i]!);
  return out;
}

function eosOf(generationConfig: object): number[] {
  const raw = (generationConfig as { eos_token_id?: unknown }).eos_token_id;
  if (typeof raw === 'number') return [raw];
  return Array.isArray(raw) ? raw.filter((v): v is number => typeof v === 'number') : [];
}

interface KvLayout {
  layers: number;
  kvHeads: number;
  headDim: number;
  type: 'float32' | 'float16';
}

function kvLayout(session: Ort.InferenceSession, config: object): KvLayout {
  const layers = session.inputNames.filter((n) => /^past_key_values\.\d+\.key$/.test(n)).length;
  const meta = session.inputMetadata.find((m) => m.name === 'past_key_values.0.key');
  const cfg = config as { num_key_value_heads?: number; head_dim?: number; hidden_size?: number; num_attention_heads?: number };
  const shape = meta?.isTensor ? meta.shape : [];
  const num = (v: unknown, fallback: number | undefined): number => (typeof v === 'number' && v > 0 ? v : (fallback ?? 0));
  const kvHeads = num(shape[1], cfg.num_key_value_heads);
  const headDim = num(shape[3], cfg.head_dim ?? (cfg.hidden_size && cfg.num_attention_heads ? cfg.hidden_size / cfg.num_attention_heads : undefined));
  const type = meta?.isTensor && meta.type === 'float16' ? 'float16' : 'float32';
  return { layers, kvHeads, headDim, type };
}

export class GeneratorSession {
  private constructor(
    private readonly ort: OrtModule,
    private readonly session: Ort.InferenceSession,
    private readonly tokenizer: Tokenizer,
    private readonly tokenizerConfig: object,
    private readonly kv: KvLayout,
    readonly eosTokenIds: readonly number[],
    readonly ep: OnnxEp,
  ) {}

  /** float16 for the half-precision exports (their KV cache and logits). */
  get ioType(): 'float32' | 'float16' {
    return this.kv.type;
  }

  /**
   * ModelSignatureError when the model lacks input_ids/attention_mask/past_key_values →
   * logits/present; HalfPrecisionUnavailableError for a half-precision model on WebGPU when
   * `adapterFeatures` (the adapter's features, given on WebGPU) lack shader-f16.
   */
  static async create(ort: OrtModule, files: GeneratorFiles, ep: OnnxEp, opts: { name?: string; adapterFeatures?: ReadonlySet<string> } = {}): Promise<GeneratorSession> {
    const tokenizer = new Tokenizer(files.tokenizerJson, files.tokenizerConfig);
    // The cache stays on the GPU between steps; names are only known once a session exists, so
    // the first one (CPU outputs) reads them and, on WebGPU, a second one asks for GPU buffers.
    let session = await createSession(ort, files.model, ep);
    try {
      checkSignature('generator', session.inputNames, session.outputNames);
      if (opts.adapterFeatures) checkHalfPrecision(opts.name ?? 'this model', kvLayout(session, files.config).type, ep, opts.adapterFeatures);
    } catch (e) {
      await session.release();
      throw e;
    }
    if (ep === 'webgpu') {
      const location: Record<string, Ort.Tensor.DataLocation> = {};
      for (const n of session.outputNames) location[n] = n.startsWith('present.') || n === 'logits' ? 'gpu-buffer' : 'cpu';
      await session.release();
      session = await createSession(ort, files.model, ep, { preferredOutputLocation: location });
    }
    return new GeneratorSession(ort, session, tokenizer, files.tokenizerConfig, kvLayout(session, files.config), eosOf(files.generationConfig), ep);
  }

  /** The prompt as the model sees it: the chat template rendered, then tokenized. */
  promptIds(messages: readonly ChatMessage[]): number[] {
    return this.tokenizer.encode(renderChat(this.tokenizerConfig, messages), { add_special_tokens: false }).ids;
  }

  /** '' for no ids: the tokenizer refuses an empty list, and a reply that is only end-of-sequence is empty. */
  decode(ids: readonly number[]): string {
    if (ids.length === 0) return '';
    return this.tokenizer.decode([...ids], { skip_special_tokens: true });
  }

  private emptyPast(): Ort.Tensor {
    const { kvHeads, headDim, type } = this.kv;
    const dims = [1, kvHeads, 0, headDim];
    return type === 'float16' ? new this.ort.Tensor('float16', new Uint16Array(0), dims) : new this.ort.Tensor('float32', new Float32Array(0), dims);
  }

  private i64(values: readonly number[]): Ort.Tensor {
    return new this.ort.Tensor('int64', BigInt64Array.from(values, (v) => BigInt(v)), [1, values.length]);
  }

  /**
   * One forward pass of `ids` after `pastLen` cached positions; returns the last position's
   * logits and the new cache (the caller owns it and disposes the one it replaced).
   */
  private async step(ids: readonly number[], pastLen: number, past: Map<string, Ort.Tensor> | null): Promise<{ logits: Float32Array; present: Map<string, Ort.Tensor> }> {
    const feeds: Record<string, Ort.Tensor> = {
      input_ids: this.i64(ids),
      attention_mask: this.i64(Array.from({ length: pastLen + ids.length }, () => 1)),
    };
    if (this.session.inputNames.includes('position_ids')) feeds.position_ids = this.i64(ids.map((_, i) => pastLen + i));
    for (let l = 0; l < this.kv.layers; l++) {
      for (const kind of ['key', 'value'] as const) feeds[`past_key_values.${l}.${kind}`] = past?.get(`present.${l}.${kind}`) ?? this.emptyPast();
    }
    const out = await this.session.run(feeds);
    const present = new Map<string, Ort.Tensor>();
    for (const [name, t] of Object.entries(out)) if (name.startsWith('present.')) present.set(name, t);
    const logitsT = out.logits;
    try {
      if (!logitsT) throw new ModelSignatureError('generator', ['logits']);
      const vocab = logitsT.dims[2]!;
      // The last row the export returned: every position's logits, or (some exports) the last one only.
      const last = (logitsT.dims[1] ?? 1) - 1;
      const logits =
        logitsT.location === 'gpu-buffer'
          ? await lastRowFromGpu(await this.ort.env.webgpu.device, logitsT, last, vocab)
          : floatsOf(logitsT, last * vocab, vocab).slice();
      return { logits, present };
    } catch (e) {
      // The new cache (GPU buffers on WebGPU) is the caller's only on success: free it here otherwise.
      present.forEach((t) => t.dispose());
      throw e;
    } finally {
      logitsT?.dispose();
    }
  }

  async generate(messages: readonly ChatMessage[], opts: GenerateOptions): Promise<GenerateResult> {
    const promptIds = this.promptIds(messages);
    return this.generateIds(promptIds, opts);
  }

  /** Greedy decoding from token ids (the prompt already rendered and tokenized). */
  async generateIds(promptIds: readonly number[], opts: GenerateOptions): Promise<GenerateResult> {
    const eos = new Set(opts.eosTokenIds ?? this.eosTokenIds);
    const useCache = opts.useCache ?? true;
    const outputIds: number[] = [];
    const stepMs: number[] = [];
    let prefillMs = 0;
    let past: Map<string, Ort.Tensor> | null = null;
    let stop: GenerateResult['stop'] = 'max-tokens';
    const dispose = (m: Map<string, Ort.Tensor> | null): void => m?.forEach((t) => t.dispose());
    try {
      while (outputIds.length < opts.maxNewTokens) {
        const first = outputIds.length === 0;
        const all = [...promptIds, ...outputIds];
        const ids = first || !useCache ? all : all.slice(-1);
        const t0 = performance.now();
        const { logits, present } = await this.step(ids, all.length - ids.length, useCache ? past : null);
        const ms = performance.now() - t0;
        if (first) prefillMs = ms;
        else stepMs.push(ms);
        dispose(past);
        past = present;
        if (!useCache) {
          dispose(past);
          past = null;
        }
        const next = argmax(logits);
        outputIds.push(next);
        if (eos.has(next)) {
          stop = 'eos';
          break;
        }
      }
    } finally {
      dispose(past);
    }
    const reply = this.decode(outputIds.filter((id) => !eos.has(id)));
    return { reply, promptIds: [...promptIds], outputIds, tokensIn: promptIds.length, tokensOut: outputIds.length, stop, prefillMs, stepMs };
  }

  release(): Promise<void> {
    return this.session.release();
  }
}
