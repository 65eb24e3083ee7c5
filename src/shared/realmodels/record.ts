/**
 * The closed vocabulary and the stored shapes of a real-model workload (types and constants only,
 * so that result.ts can name them without importing the validators): see
 * src/shared/realmodels-result.ts for the schema and the checks.
 */
import type { PromptVersion } from './prompt.ts';
import type { Range3, TokenSummary } from './scoring.ts';
import type { TaskLanguage, TaskSetId } from './task-set.ts';

/**
 * Real models the lab knows, by the key a result stores, with the repository they come from
 * (the page and `models:fetch` read `hubId`; the dataset keeps only the key).
 */
export const REAL_MODELS = {
  'distilbert-sst2': { hubId: 'Xenova/distilbert-base-uncased-finetuned-sst-2-english', answer: 'logits' },
  'qwen2.5-0.5b-instruct': { hubId: 'onnx-community/Qwen2.5-0.5B-Instruct', answer: 'generation' },
} as const;
/** `custom`: a model id or base URL the visitor typed; stored as `custom` with its file's SHA-256 only. */
export const REAL_MODEL_KEYS = [...(Object.keys(REAL_MODELS) as Array<keyof typeof REAL_MODELS>), 'custom'] as const;
export type RealModelKey = (typeof REAL_MODEL_KEYS)[number];

/** ONNX weight variants as Hugging Face exports name them (model_fp16.onnx, model_q4f16.onnx, …). */
export const REAL_DTYPES = ['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4'] as const;
export type RealDtype = (typeof REAL_DTYPES)[number];

export const EXECUTION_PROVIDERS = ['webgpu', 'wasm'] as const;
export type ExecutionProvider = (typeof EXECUTION_PROVIDERS)[number];

/** How the model answers: the argmax of a classifier head, or a generated reply that is parsed. */
export const ANSWER_KINDS = ['logits', 'generation'] as const;
export type AnswerKind = (typeof ANSWER_KINDS)[number];

/** Why there is no agreement figure. */
export const AGREEMENT_REASONS = ['reference-not-run', 'is-reference'] as const;
export type AgreementReason = (typeof AGREEMENT_REASONS)[number];

/** Workload ids of real models: `ROLE:MODEL:EP`. */
export const REAL_WORKLOAD_IDS: readonly string[] = (['general', 'specialized'] as const).flatMap((role) =>
  REAL_MODEL_KEYS.flatMap((m) => EXECUTION_PROVIDERS.map((ep) => `${role}:${m}:${ep}`)),
);

export function realWorkloadId(role: 'general' | 'specialized', model: RealModelKey, ep: ExecutionProvider): string {
  return `${role}:${model}:${ep}`;
}

export interface RealModelRecord {
  model: RealModelKey;
  /** The repository commit the files came from (40 hex digits), when the host says. */
  revision: string | null;
  /** SHA-256 of the ONNX file run (64 hex digits); required for a custom model. */
  sha256: string | null;
  dtype: RealDtype;
  executionProvider: ExecutionProvider;
  answer: AnswerKind;
  /** The prompt the general model answered (realmodels/prompt.ts); null for a classifier. */
  promptVersion: PromptVersion | null;
  taskSet: { id: TaskSetId; version: number; language: TaskLanguage };
  /** Tokens per query over the items run: the input (the rendered prompt, or the review for a classifier) and the reply (0 for a classifier). */
  tokens: TokenSummary;
  /** Correct answers of n, and the 95 % Wilson interval of the rate. */
  accuracy: { correct: number; n: number; low: number; high: number };
  /** Replies that named no label (included in n, counted wrong). */
  parseFailures: number;
  /** This provider's answers against the WASM reference's, on the first items. */
  agreement: { measured: true; agree: number; n: number } | { measured: false; reason: AgreementReason };
  /**
   * Median time inside the session runs per query, ms (forward passes only: no tokenizing, no
   * template, no decoding of text): what the synthetic replica of the same shape is compared with.
   */
  sessionMedianMs: number;
}


/** Why a per-correct figure is absent. */
export const NO_FIGURE_REASONS = ['no-correct-answers'] as const;

export type PerCorrectEnergyRecord =
  | { available: true; joules: Range3; method: 'interval-envelope' }
  | { available: false; reason: (typeof NO_FIGURE_REASONS)[number] };

/** The stored form of `gapRatios(...).perCorrect`: general ÷ specialized energy per correct answer. */
export type PerCorrectRatioRecord =
  | { available: true; ratio: Range3; method: 'interval-envelope' }
  | { available: false; reason: (typeof NO_FIGURE_REASONS)[number] };

