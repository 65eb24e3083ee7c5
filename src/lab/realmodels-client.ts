/**
 * What the real-models view asks of the lab, behind one small interface so the view can be tested
 * with a fake and so the session module can be swapped in without touching the view: the race
 * and its document, cancel, "type your own sentence", and the download size and cache, which the
 * page reads itself (Cache Storage is shared with the worker; HEAD requests are cheap).
 */
import type { ResultDocument } from '../shared/result.ts';
import type { TaskLanguage } from '../shared/realmodels/task-set.ts';
import { getLab } from './client.ts';
import { cacheStorageModelCache, type CachedFile } from './model-cache.ts';
import { modelSize, type ModelSize } from './model-download.ts';
import type { ModelRef } from './model-files.ts';
import type { OwnSentenceAnswers, RealRaceOutput, RealSessionRequest } from './realmodels-api.ts';
import { pageUrl, runRealModelsSession } from './realmodels-session.ts';

export interface RealSessionResult {
  doc: ResultDocument;
  output: RealRaceOutput;
}

export interface RealModelsClient {
  /** The race, then its result document (real-model workloads, replicas, energy). */
  run(req: RealSessionRequest): Promise<RealSessionResult>;
  /** Stops the race (or the download) between queries or chunks: what arrived is kept. */
  cancel(): void;
  answer(text: string, language: TaskLanguage): Promise<OwnSentenceAnswers>;
  /** Sizes of a model's files before anything is downloaded, and which are cached already. */
  size(ref: ModelRef, base?: string): Promise<ModelSize>;
  cached(): Promise<CachedFile[]>;
  /** Forgets every downloaded model file. */
  forget(): Promise<void>;
}

export function labRealModelsClient(): RealModelsClient {
  // The same address the session resolves a relative base against, so the size shown is of the files downloaded.
  const origin = pageUrl();
  return {
    run: (req) => runRealModelsSession(req),
    cancel: () => void getLab().cancel(),
    answer: (text, language) => getLab().answerSentence(text, language),
    size: (ref, base) => modelSize(ref, { ...(base ? { base } : {}), ...(origin ? { origin } : {}), cache: cacheStorageModelCache() }),
    cached: () => cacheStorageModelCache().list(),
    forget: () => cacheStorageModelCache().clear(),
  };
}
