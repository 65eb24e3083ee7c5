/**
 * The specialized model's session (in the worker): tokenize with `@huggingface/tokenizers`, run
 * the ONNX classifier, take the argmax of the logits. The labels come from config.json's id2label.
 */
import { Tokenizer } from '@huggingface/tokenizers';
import type * as Ort from 'onnxruntime-web';
import type { OnnxEp } from '../../shared/onnx.ts';
import { createSession, type OrtModule } from '../onnx/ort.ts';
import { checkSignature } from './checks.ts';
import { floatsOf } from './tensors.ts';

/** The parsed JSON files and the model bytes of a classifier repository. */
export interface ClassifierFiles {
  model: Uint8Array;
  tokenizerJson: object;
  tokenizerConfig: object;
  config: object;
}

export interface Classification {
  labelId: number;
  /** From config.json's id2label; `LABEL_<id>` when it has none. */
  label: string;
  logits: number[];
  /** Tokens fed, [CLS] and [SEP] included. */
  tokens: number;
  /** Wall time of the session run (tokenization excluded), ms. */
  runMs: number;
}

/** The argmax of `v` (the first on a tie); -1 for an empty vector. */
export function argmax(v: ArrayLike<number>): number {
  let best = -1;
  let bestValue = -Infinity;
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (x > bestValue) {
      bestValue = x;
      best = i;
    }
  }
  return best;
}

function labelsOf(config: object): Map<number, string> {
  const raw = (config as { id2label?: Record<string, unknown> }).id2label ?? {};
  const out = new Map<number, string>();
  for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') out.set(Number(k), v);
  return out;
}

const i64 = (ort: OrtModule, values: readonly number[]): Ort.Tensor => new ort.Tensor('int64', BigInt64Array.from(values, (v) => BigInt(v)), [1, values.length]);

export class ClassifierSession {
  private constructor(
    private readonly ort: OrtModule,
    private readonly session: Ort.InferenceSession,
    private readonly tokenizer: Tokenizer,
    readonly labels: ReadonlyMap<number, string>,
    readonly ep: OnnxEp,
  ) {}

  /** ModelSignatureError when the model is not a classifier with input_ids/attention_mask → logits. */
  static async create(ort: OrtModule, files: ClassifierFiles, ep: OnnxEp): Promise<ClassifierSession> {
    const tokenizer = new Tokenizer(files.tokenizerJson, files.tokenizerConfig);
    const session = await createSession(ort, files.model, ep);
    try {
      checkSignature('classifier', session.inputNames, session.outputNames);
    } catch (e) {
      await session.release();
      throw e;
    }
    return new ClassifierSession(ort, session, tokenizer, labelsOf(files.config), ep);
  }

  /** Token ids of `text` as the model sees them (special tokens added). */
  encode(text: string): number[] {
    return this.tokenizer.encode(text).ids;
  }

  async classify(text: string): Promise<Classification> {
    const ids = this.encode(text);
    const feeds: Record<string, Ort.Tensor> = { input_ids: i64(this.ort, ids), attention_mask: i64(this.ort, ids.map(() => 1)) };
    if (this.session.inputNames.includes('token_type_ids')) feeds.token_type_ids = i64(this.ort, ids.map(() => 0));
    const t0 = performance.now();
    const out = await this.session.run(feeds);
    const runMs = performance.now() - t0;
    const logits = Array.from(floatsOf(out.logits!));
    const labelId = argmax(logits);
    return { labelId, label: this.labels.get(labelId) ?? `LABEL_${labelId}`, logits, tokens: ids.length, runMs };
  }

  release(): Promise<void> {
    return this.session.release();
  }
}
