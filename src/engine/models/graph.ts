/**
 * What a model builder (encoder.ts, decoder.ts) hands to the model runner: one query as steps of
 * dispatches, plus the buffers the runner reads back after a replay. Its own module so that the
 * builders and the runner share it without importing each other.
 */
import type { Dispatch } from '../dispatch.ts';

export interface ModelStep {
  /** Technical label ("prefill", "token 3/4"); the UI builds its own localized text from the fields below. */
  label: string;
  phase: 'prefill' | 'encode' | 'decode';
  dispatches: Dispatch[];
  /** Decoder steps: the output token this step produces (prefill produces token 1). */
  token?: { index: number; total: number };
}

/** One query of a model as recorded dispatches, and where its ids and logits live on the GPU. */
export interface ModelGraph {
  steps: ModelStep[];
  /** Input ids (decoder: the prompt, then every generated token). */
  ids: GPUBuffer;
  logits: GPUBuffer;
  logitsCount: number;
}
