/**
 * What the real-models view asks of the lab, behind one small interface so the view can be tested
 * with a fake and so the session module can be swapped in without touching the view: the race
 * and its document, cancel, "type your own sentence", and the download size and cache, which the
 * page reads itself (Cache Storage is shared with the worker; HEAD requests are cheap). A base on
 * another host than the page's and the hub's is asked nothing without the visitor's agreement to
 * it (base-agreement.ts): refused here, in the session, and again at each request.
 */
import type { ResultDocument } from '../shared/result.ts';
import type { TaskLanguage } from '../shared/realmodels/task-set.ts';
import type { LabApi } from './api.ts';
import { agreedOriginFor, type BaseAgreement } from './base-agreement.ts';
import { getLab } from './client.ts';
import { cacheStorageModelCache, type CachedFile, type ModelCache } from './model-cache.ts';
import { modelSize, modelsServedAt, type ModelSize } from './model-download.ts';
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
  /**
   * Sizes of a model's files before anything is downloaded, and which are cached already; `signal`
   * drops a stale ask. A base on another origin than the page's and the hub's needs `agreement`
   * for that origin (BaseNotAgreedError, nothing sent, without); so does `run` (its request's `agreement`).
   */
  size(ref: ModelRef, base?: string, signal?: AbortSignal, agreement?: BaseAgreement): Promise<ModelSize>;
  /** Whether `base` (resolved against the page) holds every model of `refs` (src/lab/model-download.ts `modelsServedAt`); agreed as `size`. */
  servedAt?(refs: readonly ModelRef[], base: string, agreement?: BaseAgreement): Promise<boolean>;
  cached(): Promise<CachedFile[]>;
  /** Forgets every downloaded model file, and the bytes of interrupted downloads kept for a resume. */
  forget(): Promise<void>;
}

/** The worker's methods the client calls, as comlink gives them (every call a promise) or in process. */
interface LabPart {
  cancel(): unknown;
  answerSentence: LabApi['answerSentence'];
  forgetPartialDownloads(): void | Promise<void>;
}

/** What the client needs of the lab and the cache; tests pass fakes. */
interface RealClientDeps {
  lab?: () => LabPart;
  cache?: () => ModelCache;
  fetchImpl?: typeof fetch;
}

export function labRealModelsClient(deps: RealClientDeps = {}): RealModelsClient {
  // The same address the session resolves a relative base against, so the size shown is of the files downloaded.
  const origin = pageUrl();
  const lab = deps.lab ?? getLab;
  const cache = deps.cache ?? (() => cacheStorageModelCache());
  const net = { ...(origin ? { origin } : {}), ...(deps.fetchImpl ? { fetchImpl: deps.fetchImpl } : {}) };
  return {
    // The session checks the request's agreement before the worker is asked (and the worker each request).
    run: (req) => runRealModelsSession(req),
    cancel: () => void lab().cancel(),
    answer: (text, language) => lab().answerSentence(text, language),
    async size(ref, base, signal, agreement) {
      const guard = { agreedOrigin: agreedOriginFor(base, origin, agreement) };
      return modelSize(ref, { ...(base ? { base } : {}), ...net, ...(signal ? { signal } : {}), cache: cache(), guard });
    },
    async servedAt(refs, base, agreement) {
      const guard = { agreedOrigin: agreedOriginFor(base, origin, agreement) };
      return modelsServedAt(refs, base, { ...net, guard });
    },
    cached: () => cache().list(),
    async forget() {
      // The worker downloads, so the bytes kept for a resume are in its memory, not the page's.
      await lab().forgetPartialDownloads();
      await cache().clear();
    },
  };
}
