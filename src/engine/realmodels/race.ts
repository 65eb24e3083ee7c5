/**
 * The real-model race: the specialized classifier and the general generator answer the same
 * sentiment items, one model after the other, each with warm-up, per-query timing and scoring.
 * The sessions are created by the caller, so the same code runs on WebGPU and on the WASM
 * reference; see docs/ARCHITECTURE.md for where this sits between the loader and the document.
 *
 * Timing rules, as in the synthetic race: warm-up queries first (counted, excluded), then an
 * optional pre-heat (more excluded queries until `preheatMs` has passed, so clocks settle), then
 * one sample per item. The record's source is always `wall-clock`: onnxruntime-web exposes no GPU
 * timestamps, and a query here is several runs with CPU work between them (tokenizing, the chat
 * template, the greedy argmax of each step, decoding the reply), so the wall clock from text in to
 * answer out is what a person waits for. Each item also keeps the time spent inside the session
 * runs alone (`sessionMs`), for the comparison with the synthetic replica, which times only the
 * forward passes.
 *
 * Cancelling (the AbortSignal) stops between queries and throws `RunCancelledError`: nothing
 * partial comes back, so a stopped run can never be taken for a finished one.
 */
import type { AgreementReason, AnswerKind, ExecutionProvider } from '../../shared/realmodels/record.ts';
import { classifierAnswer, labelMapping, parseReply, type Answer, type LabelMapping } from '../../shared/realmodels/answer.ts';
import { PROMPT_VERSION, sentimentMessages, type PromptVersion } from '../../shared/realmodels/prompt.ts';
import {
  accuracy, accuracyByDifficulty, agreement, AGREEMENT_ITEMS, tokenSummary, type AccuracyRecord, type AgreementRecord, type ScoredAnswer, type TokenSummary,
} from '../../shared/realmodels/scoring.ts';
import type { Difficulty, TaskItem, TaskLanguage } from '../../shared/realmodels/task-set.ts';
import type { TimingRecord } from '../../shared/result.ts';
import { RunCancelledError, TabHiddenError } from '../errors.ts';
import { wallClockTiming } from '../onnx/measure.ts';
import { summarize } from '../stats.ts';
import type { RunControl } from '../timing.ts';
import type { Classification, ClassifierSession } from './classifier.ts';
import type { GenerateOptions, GenerateResult, GeneratorSession } from './generator.ts';

/** What the race needs of a classifier session (a `ClassifierSession`, or a fake in tests). */
export type RaceClassifier = Pick<ClassifierSession, 'ep' | 'labels'> & { classify(text: string): Promise<Classification> };
/** What the race needs of a generator session (a `GeneratorSession`, or a fake in tests). */
export type RaceGenerator = Pick<GeneratorSession, 'ep'> & {
  generate(messages: ReturnType<typeof sentimentMessages>, opts: GenerateOptions): Promise<GenerateResult>;
};

export interface RaceSessions {
  classifier: RaceClassifier;
  generator: RaceGenerator;
}

export type RaceRole = 'specialized' | 'general';
export type RacePhase = 'warmup' | 'measure';

export interface RaceProgress {
  role: RaceRole;
  phase: RacePhase;
  /** 1-based: warm-up query i of `of` (during a pre-heat `of` grows with i: its count is not known ahead), or item i of the items. */
  index: number;
  of: number;
  /** The item's id (measure phase only). */
  id?: string;
  /** Wall time of that query, ms. */
  ms: number;
}

/** Reply budget of the general model when the caller gives none: one word and end-of-turn, with room for a short sentence. */
export const DEFAULT_MAX_NEW_TOKENS = 16;

/** What the race reads of RunControl: the gate, and whether the tab was hidden during the current query. */
export type RaceVisibility = Pick<RunControl, 'whenVisible' | 'hidden' | 'hiddenDuringSample'>;

export interface RaceOptions {
  language: TaskLanguage;
  /** Warm-up queries per model, excluded (the plan's `warmup`). */
  warmup: number;
  /** After the warm-up queries, keep warming up until this much time has passed (the plan's `modelPreheatMs`). Default 0. */
  preheatMs?: number;
  /** The general model's reply budget. Default `DEFAULT_MAX_NEW_TOKENS`. */
  maxNewTokens?: number;
  signal?: AbortSignal;
  /**
   * The tab's visibility, as the run's RunControl tracks it (the worker passes its control). As in
   * the synthetic race (timing.ts): each query waits until the tab is visible, a measured query
   * during which it was hidden (throttled timers and GPU) is dropped and taken again, and more
   * drops than items end the run with TabHiddenError. The record is flagged `tab-hidden`.
   */
  visibility?: RaceVisibility;
  onProgress?: (p: RaceProgress) => void;
  /** The WASM reference's answers (from an earlier run on the same items), to measure agreement on the first items. */
  reference?: { specialized: readonly ScoredAnswer[]; general: readonly ScoredAnswer[] };
}

interface ItemBase {
  id: string;
  label: Answer;
  /** Wall time of the whole query, text in → answer out, ms (the timing sample). */
  ms: number;
  /** Time inside the session runs only, ms. */
  sessionMs: number;
  tokensIn: number;
  tokensOut: number;
}

export interface ClassifierItem extends ItemBase {
  kind: 'logits';
}

export interface GeneratorItem extends ItemBase {
  kind: 'generation';
  /** The reply as decoded: shown locally, never uploaded (free text). */
  raw: string;
  prefillMs: number;
  /** Each decode step after the prefill, ms. */
  stepMs: number[];
  stop: GenerateResult['stop'];
}

export type RaceAgreement = ({ measured: true } & AgreementRecord) | { measured: false; reason: AgreementReason };

export interface ModelRun<I extends ClassifierItem | GeneratorItem> {
  role: RaceRole;
  answer: AnswerKind;
  executionProvider: ExecutionProvider;
  /** One per item, in the items' order. */
  items: I[];
  /** Per-query wall time over the items (`source: 'wall-clock'`, raw samples kept). */
  timing: TimingRecord;
  /** Median of the per-item session times, ms (forward passes only). */
  sessionMedianMs: number;
  tokens: TokenSummary;
  accuracy: AccuracyRecord;
  accuracyByDifficulty: Record<Difficulty, AccuracyRecord | null>;
  parseFailures: number;
  /**
   * Generator only: Σ prompt tokens ÷ Σ prefill time, and Σ decode steps ÷ Σ step time (tokens/s);
   * decode is null when no reply went past its first token (no decode step ran). Null for a classifier.
   */
  tokensPerSecond: { prefill: number | null; decode: number | null } | null;
  agreement: RaceAgreement;
}

export interface RealRaceResult {
  language: TaskLanguage;
  promptVersion: PromptVersion;
  maxNewTokens: number;
  specialized: ModelRun<ClassifierItem>;
  general: ModelRun<GeneratorItem>;
}

/** The answers of a model run, in the form scoring and agreement take (ids and labels only). */
export function scoredAnswers(run: ModelRun<ClassifierItem | GeneratorItem>): ScoredAnswer[] {
  return run.items.map((it) => ({ id: it.id, label: it.label }));
}

export { raceRecordFields } from '../../shared/realmodels/race-record.ts';

/**
 * Agreement of a WebGPU run's answers with the WASM reference's on the first `AGREEMENT_ITEMS`
 * items both answered (scoring.agreement): the correctness check of the GPU path.
 */
export function agreementRun(webgpuAnswers: readonly ScoredAnswer[], wasmAnswers: readonly ScoredAnswer[]): AgreementRecord {
  return agreement(webgpuAnswers, wasmAnswers, AGREEMENT_ITEMS);
}

function raceAgreement(ep: ExecutionProvider, mine: readonly ScoredAnswer[], reference: readonly ScoredAnswer[] | undefined): RaceAgreement {
  if (ep === 'wasm') return { measured: false, reason: 'is-reference' };
  if (!reference) return { measured: false, reason: 'reference-not-run' };
  return { measured: true, ...agreementRun(mine, reference) };
}

function checkCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new RunCancelledError();
}

function classifierMapping(labels: ReadonlyMap<number, string>): LabelMapping {
  // A config without id2label reads as SST-2's (labelMapping's default); generic names are refused there.
  return labels.size === 0 ? labelMapping() : labelMapping(Object.fromEntries(labels));
}

/** One timed query, whatever the model: the answer, and what the record needs. */
type Query<I> = (text: string) => Promise<Omit<I, 'id' | 'ms'>>;

interface Measured<I> {
  items: I[];
  timing: TimingRecord;
}

async function measureModel<I extends ClassifierItem | GeneratorItem>(role: RaceRole, query: Query<I>, items: readonly TaskItem[], opts: RaceOptions): Promise<Measured<I>> {
  const progress = opts.onProgress ?? (() => {});
  const preheatMs = opts.preheatMs ?? 0;
  const v = opts.visibility;
  let hiddenSeen = false;
  let dropped = 0;
  /**
   * One query, after the tab is visible again. A measured query during which the tab was hidden
   * is taken again (its time measures the browser's throttling); warm-up ones are kept.
   */
  const timed = async (text: string, measured: boolean): Promise<{ out: Omit<I, 'id' | 'ms'>; ms: number }> => {
    for (;;) {
      if (v) {
        // Only the measured queries' visibility matters to the record.
        await v.whenVisible(() => (hiddenSeen ||= measured));
        v.hiddenDuringSample = v.hidden;
      }
      checkCancelled(opts.signal);
      const t0 = performance.now();
      const out = await query(text);
      const ms = performance.now() - t0;
      if (!measured || !v?.hiddenDuringSample) return { out, ms };
      hiddenSeen = true;
      dropped++;
      if (dropped > items.length) {
        throw new TabHiddenError('The tab kept being hidden during the measurement: keep the lab visible while it runs, then run again.');
      }
    }
  };

  // Warm-up on the items themselves (cycled), so the shapes warmed are the shapes measured.
  let warmup = 0;
  const start = performance.now();
  while (warmup < opts.warmup || (preheatMs > 0 && performance.now() - start < preheatMs)) {
    checkCancelled(opts.signal);
    const { ms } = await timed(items[warmup % items.length]!.text, false);
    warmup++;
    progress({ role, phase: 'warmup', index: warmup, of: Math.max(opts.warmup, warmup), ms });
  }
  const warmedMs = performance.now() - start;

  const out: I[] = [];
  for (const [i, item] of items.entries()) {
    checkCancelled(opts.signal);
    const { out: r, ms } = await timed(item.text, true);
    out.push({ ...r, id: item.id, ms } as I);
    progress({ role, phase: 'measure', index: i + 1, of: items.length, id: item.id, ms });
  }
  checkCancelled(opts.signal);
  // Assembled as `#/model`'s onnxruntime-web timings are: invalid samples dropped and counted.
  const record = wallClockTiming(out.map((it) => it.ms), warmup, hiddenSeen ? ['tab-hidden'] : []);
  return { items: out, timing: { ...record, ...(preheatMs > 0 ? { preheatMs: warmedMs } : {}) } };
}

function modelRun<I extends ClassifierItem | GeneratorItem>(
  role: RaceRole, answer: AnswerKind, ep: ExecutionProvider, m: Measured<I>, items: readonly TaskItem[], reference: readonly ScoredAnswer[] | undefined,
  tokensPerSecond: ModelRun<I>['tokensPerSecond'],
): ModelRun<I> {
  const scored = m.items.map((it) => ({ id: it.id, label: it.label }));
  const acc = accuracy(items, scored);
  return {
    role, answer, executionProvider: ep, items: m.items, timing: m.timing,
    sessionMedianMs: summarize(m.items.map((it) => it.sessionMs)).median,
    tokens: tokenSummary(m.items.map((it) => ({ input: it.tokensIn, output: it.tokensOut }))),
    accuracy: acc,
    accuracyByDifficulty: accuracyByDifficulty(items, scored),
    parseFailures: acc.parseFailures,
    tokensPerSecond,
    agreement: raceAgreement(ep, scored, reference),
  };
}

function generatorRates(items: readonly GeneratorItem[]): { prefill: number | null; decode: number | null } {
  const prefillMs = items.reduce((s, it) => s + it.prefillMs, 0);
  const prefillTokens = items.reduce((s, it) => s + it.tokensIn, 0);
  const steps = items.reduce((s, it) => s + it.stepMs.length, 0);
  const stepMs = items.reduce((s, it) => s + it.stepMs.reduce((a, b) => a + b, 0), 0);
  return {
    prefill: prefillMs > 0 ? prefillTokens / (prefillMs / 1000) : null,
    decode: steps > 0 && stepMs > 0 ? steps / (stepMs / 1000) : null,
  };
}

/** The classifier's query: its answer through id2label. */
function classifierQuery(c: RaceClassifier): Query<ClassifierItem> {
  const mapping = classifierMapping(c.labels);
  return async (text) => {
    const r = await c.classify(text);
    return { kind: 'logits', label: classifierAnswer(r.logits, mapping), sessionMs: r.runMs, tokensIn: r.tokens, tokensOut: 0 };
  };
}

/** The generator's query: the fixed prompt, a greedy reply, parsed. */
function generatorQuery(g: RaceGenerator, language: TaskLanguage, maxNewTokens: number): Query<GeneratorItem> {
  return async (text) => {
    const r = await g.generate(sentimentMessages(text, language), { maxNewTokens });
    const parsed = parseReply(r.reply);
    return {
      kind: 'generation', label: parsed.label, raw: parsed.raw, sessionMs: r.prefillMs + r.stepMs.reduce((a, b) => a + b, 0),
      tokensIn: r.tokensIn, tokensOut: r.tokensOut, prefillMs: r.prefillMs, stepMs: [...r.stepMs], stop: r.stop,
    };
  };
}

function checkOptions(items: readonly TaskItem[], opts: RaceOptions): number {
  // A timing record needs two samples; six give the median's 95 % interval (stats.medianCI).
  if (items.length < 2) throw new RangeError(`the race needs at least 2 items (got ${items.length})`);
  if (new Set(items.map((it) => it.id)).size !== items.length) throw new RangeError('item ids must be unique');
  if (!Number.isInteger(opts.warmup) || opts.warmup < 0) throw new RangeError(`warmup must be a whole number ≥ 0 (got ${opts.warmup})`);
  if (opts.preheatMs !== undefined && !(opts.preheatMs >= 0)) throw new RangeError(`preheatMs must be ≥ 0 (got ${opts.preheatMs})`);
  const maxNewTokens = opts.maxNewTokens ?? DEFAULT_MAX_NEW_TOKENS;
  if (!Number.isInteger(maxNewTokens) || maxNewTokens < 1) throw new RangeError(`maxNewTokens must be a whole number ≥ 1 (got ${maxNewTokens})`);
  return maxNewTokens;
}

/**
 * Runs the race on `items`: the specialized model over every item, then the general model.
 * Throws RunCancelledError when `opts.signal` aborts (checked between queries), RangeError on
 * bad options, and whatever a session throws (the caller names the model from the progress).
 */
export async function runRealRace(sessions: RaceSessions, items: readonly TaskItem[], opts: RaceOptions): Promise<RealRaceResult> {
  const maxNewTokens = checkOptions(items, opts);
  checkCancelled(opts.signal);
  const c = sessions.classifier;
  const g = sessions.generator;
  const spec = await measureModel('specialized', classifierQuery(c), items, opts);
  const gen = await measureModel('general', generatorQuery(g, opts.language, maxNewTokens), items, opts);
  return {
    language: opts.language,
    promptVersion: PROMPT_VERSION,
    maxNewTokens,
    specialized: modelRun('specialized', 'logits', c.ep, spec, items, opts.reference?.specialized, null),
    general: modelRun('general', 'generation', g.ep, gen, items, opts.reference?.general, generatorRates(gen.items)),
  };
}

export interface OneAnswer {
  label: Answer;
  /** Wall time, text in → answer out, ms (one query: no warm-up, no statistics). */
  ms: number;
  tokensIn: number;
  tokensOut: number;
}

export interface OwnSentenceAnswers {
  specialized: OneAnswer;
  general: OneAnswer & { raw: string };
}

/**
 * "Type your own sentence": both models answer one text, each timed once (the live box shows a
 * single query's time, not a measurement; the first call after loading includes warm-up cost).
 */
export async function answerOne(sessions: RaceSessions, text: string, language: TaskLanguage, maxNewTokens = DEFAULT_MAX_NEW_TOKENS): Promise<OwnSentenceAnswers> {
  if (text.trim() === '') throw new RangeError('the sentence is empty');
  const time = async <T>(f: () => Promise<T>): Promise<{ r: T; ms: number }> => {
    const t0 = performance.now();
    const r = await f();
    return { r, ms: performance.now() - t0 };
  };
  const c = await time(() => classifierQuery(sessions.classifier)(text));
  const g = await time(() => generatorQuery(sessions.generator, language, maxNewTokens)(text));
  return {
    specialized: { label: c.r.label, ms: c.ms, tokensIn: c.r.tokensIn, tokensOut: 0 },
    general: { label: g.r.label, raw: g.r.raw, ms: g.ms, tokensIn: g.r.tokensIn, tokensOut: g.r.tokensOut },
  };
}
