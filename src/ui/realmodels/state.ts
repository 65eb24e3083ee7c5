/**
 * The real-models race on the page, as signals: the pair chosen, what it weighs (read before any
 * download), the cache, and the race itself (download, loading, answers ticking, then the
 * document). Views read these; the actions talk to the lab through a `RealModelsClient`, which
 * tests replace with a fake (`setRealModelsClient`).
 */
import { signal } from '@preact/signals';
import { lang } from '../../i18n/index.ts';
import type { CachedFile } from '../../lab/model-cache.ts';
import type { ModelProgress, ModelSize } from '../../lab/model-download.ts';
import { checkModelBase, checkModelId, DEFAULT_CLASSIFIER_ID, DEFAULT_GENERATOR_ID, LOCAL_MODELS_BASE, type ModelRef, type ModelTask } from '../../lab/model-files.ts';
import { labRealModelsClient, type RealModelsClient, type RealSessionResult } from '../../lab/realmodels-client.ts';
import type { OwnSentenceAnswers, RealRaceProgress } from '../../lab/realmodels-api.ts';
import { isPresetName, type PresetName } from '../../shared/presets.ts';
import type { Role } from '../../shared/result.ts';
import { agreementFor, consentNeeded, pageHref } from './consent.ts';
import { keepRealResult } from './keep.ts';
import { replaceHash } from '../router.ts';
import type { RealParam } from './mode.ts';

let client: RealModelsClient | null = null;
export function realModelsClient(): RealModelsClient {
  return (client ??= labRealModelsClient());
}
export function setRealModelsClient(c: RealModelsClient | null): void {
  client = c;
}

export const CLASSIFIER_DTYPES = ['fp32', 'quantized'] as const;
/** q4f16 and fp16 need shader-f16; q4 and quantized compute in fp32 and run on any adapter. */
export const GENERATOR_DTYPES = ['q4f16', 'fp16', 'q4', 'quantized'] as const;
export const ITEM_COUNTS = [20, 40, 100, 240] as const;
/** The largest `items=` and `maxNewTokens=` the address may ask for. */
const MAX_ITEMS = 240;
const MAX_NEW_TOKENS = 64;

export interface RealChoice {
  classifierId: string;
  classifierDtype: (typeof CLASSIFIER_DTYPES)[number];
  generatorId: string;
  generatorDtype: (typeof GENERATOR_DTYPES)[number];
  /** Empty: the Hugging Face hub; else a base URL laid out as `<base><id>/<path>` (a class server's `/models/`). */
  base: string;
  /** One of ITEM_COUNTS, or what the address asked for (`items=`). */
  items: number;
}

export const DEFAULT_CHOICE: RealChoice = {
  classifierId: DEFAULT_CLASSIFIER_ID,
  classifierDtype: 'fp32',
  generatorId: DEFAULT_GENERATOR_ID,
  generatorDtype: 'q4f16',
  base: '',
  items: 40,
};

export const choice = signal<RealChoice>(DEFAULT_CHOICE);

export type ChoiceField = 'classifierId' | 'generatorId' | 'base';

/**
 * What the address may add to the real race, for a slow adapter or a quick classroom check
 * (`#/?models=real&preset=ci&items=4&maxNewTokens=2`): the replicas' preset (its warm-up too), how
 * many sentences, and the chat model's reply budget. Anything out of range is ignored.
 */
export interface RaceOptions {
  preset?: PresetName;
  items?: number;
  maxNewTokens?: number;
}

function wholeIn(v: string | null, max: number): number | undefined {
  if (v === null || !/^\d+$/.test(v)) return undefined;
  const n = Number(v);
  return n >= 1 && n <= max ? n : undefined;
}

export function raceOptions(params: URLSearchParams): RaceOptions {
  const preset = params.get('preset');
  const items = wholeIn(params.get('items'), MAX_ITEMS);
  const maxNewTokens = wholeIn(params.get(MAX_NEW_TOKENS_PARAM), MAX_NEW_TOKENS);
  return {
    ...(isPresetName(preset) && preset !== 'custom' ? { preset } : {}),
    ...(items !== undefined ? { items } : {}),
    ...(maxNewTokens !== undefined ? { maxNewTokens } : {}),
  };
}

/** What is wrong with the typed ids and base URL, by field (empty when the choice can run). */
export function choiceProblems(c: RealChoice, origin = pageHref()): Partial<Record<ChoiceField, string>> {
  const out: Partial<Record<ChoiceField, string>> = {};
  for (const f of ['classifierId', 'generatorId'] as const) {
    try {
      checkModelId(c[f].trim());
    } catch (e) {
      out[f] = e instanceof Error ? e.message : String(e);
    }
  }
  if (c.base.trim() !== '') {
    try {
      checkModelBase(c.base.trim(), origin);
    } catch (e) {
      out.base = e instanceof Error ? e.message : String(e);
    }
  }
  return out;
}

// Every real-race parameter name is typed as a RealParam: REAL_PARAMS (mode.ts) is the one list,
// which the switch back to synthetic removes.
const MAX_NEW_TOKENS_PARAM: RealParam = 'maxNewTokens';

/** Each choice field's address parameter, beside `models=real` (`#/?models=real&base=/models/&generatorDtype=q4`). */
const CHOICE_PARAMS = {
  classifierId: 'classifier',
  classifierDtype: 'classifierDtype',
  generatorId: 'generator',
  generatorDtype: 'generatorDtype',
  base: 'base',
  items: 'items',
} as const satisfies Record<keyof RealChoice, RealParam>;

const pick = <T extends string>(list: readonly T[], v: string | null): T | undefined => list.find((d) => d === v);

/** The choice the address asks for over `c`: each valid value taken, anything else ignored. */
export function choiceFromParams(params: URLSearchParams, c: RealChoice = DEFAULT_CHOICE): RealChoice {
  const valid = (field: ChoiceField): string | undefined => {
    const v = params.get(CHOICE_PARAMS[field])?.trim();
    if (!v) return undefined;
    return Object.keys(choiceProblems({ ...DEFAULT_CHOICE, [field]: v })).length === 0 ? v : undefined;
  };
  return {
    classifierId: valid('classifierId') ?? c.classifierId,
    classifierDtype: pick(CLASSIFIER_DTYPES, params.get(CHOICE_PARAMS.classifierDtype)) ?? c.classifierDtype,
    generatorId: valid('generatorId') ?? c.generatorId,
    generatorDtype: pick(GENERATOR_DTYPES, params.get(CHOICE_PARAMS.generatorDtype)) ?? c.generatorDtype,
    base: valid('base') ?? c.base,
    items: wholeIn(params.get(CHOICE_PARAMS.items), MAX_ITEMS) ?? c.items,
  };
}

/** The choice as address parameters: each valid field that differs from the default; null removes one. */
function choiceParams(c: RealChoice): Record<string, string | null> {
  const problems = choiceProblems(c);
  const out: Record<string, string | null> = {};
  for (const field of Object.keys(CHOICE_PARAMS) as (keyof RealChoice)[]) {
    const v = String(c[field]).trim();
    out[CHOICE_PARAMS[field]] = v === String(DEFAULT_CHOICE[field]) || field in problems ? null : v;
  }
  return out;
}

/** `hash` with each parameter of `patch` set (or removed for null), every other one kept. */
function hashWithParams(hash: string, patch: Record<string, string | null>): string {
  const h = hash.replace(/^#/, '');
  const at = h.indexOf('?');
  const params = new URLSearchParams(at < 0 ? '' : h.slice(at + 1));
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) params.delete(k);
    else params.set(k, v);
  }
  const q = params.toString();
  return `#${(at < 0 ? h : h.slice(0, at)) || '/'}${q ? `?${q}` : ''}`;
}

/** Keeps the visitor's choice in the address (no history entry), so a reload or a copied link runs the same pair. */
export function writeChoiceToAddress(c: RealChoice = choice.value): void {
  if (typeof window === 'undefined') return;
  const hash = hashWithParams(window.location.hash, choiceParams(c));
  if (hash === window.location.hash) return;
  replaceHash(hash);
}

/** Whether `base` is this page's own server's model folder (`/models/` on the page's origin). */
export function isLocalBase(base: string, page = pageHref()): boolean {
  if (base.trim() === '') return false;
  try {
    return checkModelBase(base.trim(), page).href === new URL(LOCAL_MODELS_BASE, page).href;
  } catch {
    return false;
  }
}

/**
 * The address parameters a pupil's link carries for this race: `models=real`, the choice where it
 * differs from the default, the reply budget, and the base made absolute against the teacher's
 * page, since a relative `/models/` on a pupil's device must still mean the teacher's machine.
 * A base on a host the teacher has not agreed to (a crafted link, consent.ts) is left out: the QR
 * code would otherwise hand the pupils a host nobody on this page accepted.
 */
export function pupilParams(c: RealChoice, opts: RaceOptions, page = pageHref()): Record<string, string> {
  const out: Record<string, string> = { models: 'real' };
  for (const [k, v] of Object.entries(choiceParams(c))) if (v !== null) out[k] = v;
  if (out['base'] !== undefined) {
    if (consentNeeded(out['base'], page) === null) out['base'] = checkModelBase(out['base'], page).href;
    else delete out['base'];
  }
  if (opts.maxNewTokens !== undefined) out[MAX_NEW_TOKENS_PARAM] = String(opts.maxNewTokens);
  return out;
}

export function refsOf(c: RealChoice): Record<ModelTask, ModelRef> {
  return {
    classifier: { task: 'classifier', id: c.classifierId.trim(), dtype: c.classifierDtype },
    generator: { task: 'generator', id: c.generatorId.trim(), dtype: c.generatorDtype },
  };
}

export interface Failure {
  name: string | null;
  message: string;
}

export function failureOf(e: unknown): Failure {
  // Comlink rebuilds errors as plain objects: read name and message, never the class.
  const name = typeof e === 'object' && e !== null && 'name' in e && typeof e.name === 'string' ? e.name : null;
  const message = typeof e === 'object' && e !== null && 'message' in e ? String(e.message) : String(e);
  return { name, message };
}

export type SizeState =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'ready'; classifier: ModelSize; generator: ModelSize }
  | { kind: 'error'; failure: Failure };

export const sizes = signal<SizeState>({ kind: 'idle' });
export const cacheFiles = signal<CachedFile[] | null>(null);
export const cacheError = signal<Failure | null>(null);

/** How long a typed id or base must stay unchanged before its size is asked. */
const SIZE_DEBOUNCE_MS = 500;

let sizeAbort: AbortController | null = null;
let sizeTimer: ReturnType<typeof setTimeout> | null = null;
/** The ids, variants and base whose sizes are shown or being read. */
let sizedKey: string | null = null;

const sizeKey = (c: RealChoice): string => JSON.stringify([refsOf(c), c.base.trim()]);

/** Drops a pending or running size request: its answer would be of values no longer chosen. */
function dropSizeAsk(): void {
  if (sizeTimer !== null) clearTimeout(sizeTimer);
  sizeTimer = null;
  sizeAbort?.abort();
  sizeAbort = null;
  sizedKey = null;
}

/**
 * Whether the race may ask anything of the choice's base now: a valid choice, on the page's own
 * server, the hub, or a host the visitor agreed to (consent.ts).
 */
export function mayAsk(c: RealChoice = choice.value): boolean {
  return Object.keys(choiceProblems(c)).length === 0 && consentNeeded(c.base) === null;
}

/**
 * Reads what the chosen pair weighs and what is cached, downloading nothing; an invalid choice,
 * or a base on another host the visitor has not agreed to, asks nothing.
 */
export async function refreshSizes(c: RealChoice = choice.value): Promise<void> {
  dropSizeAsk();
  const cl = realModelsClient();
  void refreshCache();
  if (!mayAsk(c)) {
    sizes.value = { kind: 'idle' };
    return;
  }
  const ac = new AbortController();
  sizeAbort = ac;
  sizedKey = sizeKey(c);
  sizes.value = { kind: 'loading' };
  const refs = refsOf(c);
  const base = c.base.trim() || undefined;
  try {
    // The agreement goes with the ask: the client refuses a foreign base without it (consent.ts).
    const agreement = base === undefined ? undefined : agreementFor(base);
    const [classifier, generator] = await Promise.all([cl.size(refs.classifier, base, ac.signal, agreement), cl.size(refs.generator, base, ac.signal, agreement)]);
    if (!ac.signal.aborted) sizes.value = { kind: 'ready', classifier, generator };
  } catch (e) {
    if (!ac.signal.aborted) sizes.value = { kind: 'error', failure: failureOf(e) };
  } finally {
    if (sizeAbort === ac) sizeAbort = null;
  }
}

/**
 * While the visitor types an id or a base: the shown sizes are of other values, so they go; the
 * new ones are asked once the value is valid and has not changed for SIZE_DEBOUNCE_MS (or at
 * once on Enter or leaving the field, `settleSizes`), never on every keystroke.
 */
export function scheduleSizes(): void {
  dropSizeAsk();
  sizes.value = { kind: 'idle' };
  if (!mayAsk()) return;
  sizeTimer = setTimeout(() => {
    sizeTimer = null;
    void refreshSizes();
  }, SIZE_DEBOUNCE_MS);
}

/** Sizes the choice now, unless these very values are already shown or being read. */
export function settleSizes(): void {
  const c = choice.value;
  if (sizedKey === sizeKey(c) && (sizes.value.kind === 'ready' || sizes.value.kind === 'loading')) return;
  void refreshSizes(c);
}

/**
 * With no base in the address and none typed: when this page's own server holds the chosen pair
 * under `/models/` (`npm start` with `MODELS_DIR`), the files come from there, so a class
 * downloads from the teacher's machine and not from the hub. Asked before any size is.
 */
export async function detectLocalBase(): Promise<void> {
  const cl = realModelsClient();
  const c = choice.value;
  if (c.base.trim() !== '' || !cl.servedAt || Object.keys(choiceProblems(c)).length > 0) return;
  const refs = refsOf(c);
  const here = await cl.servedAt([refs.classifier, refs.generator], LOCAL_MODELS_BASE).catch(() => false);
  // Only if nothing was typed meanwhile.
  if (here && sizeKey(choice.value) === sizeKey(c)) choice.value = { ...choice.value, base: LOCAL_MODELS_BASE };
}

export async function refreshCache(): Promise<void> {
  try {
    cacheFiles.value = await realModelsClient().cached();
    cacheError.value = null;
  } catch (e) {
    cacheFiles.value = null;
    cacheError.value = failureOf(e);
  }
}

export async function forgetModels(): Promise<void> {
  try {
    await realModelsClient().forget();
  } catch (e) {
    cacheError.value = failureOf(e);
  }
  await refreshSizes();
}

/** One lane of the race as it runs. */
export interface LaneState {
  stage: 'waiting' | 'download' | 'load' | 'warmup' | 'answer' | 'done';
  /** Answers given in the measured phase, and of how many. */
  answered: number;
  of: number;
  lastMs: number | null;
}

export interface RunningState {
  kind: 'running';
  download: Partial<Record<ModelTask, ModelProgress>>;
  lanes: Record<Role, LaneState>;
  /** The synthetic replicas' progress, after the race. */
  replica: { done: number; of: number } | null;
}

export type RaceState =
  | { kind: 'idle' }
  | RunningState
  | { kind: 'done'; result: RealSessionResult }
  | { kind: 'cancelled'; download: Partial<Record<ModelTask, ModelProgress>> }
  | { kind: 'error'; failure: Failure };

export const race = signal<RaceState>({ kind: 'idle' });

const LANE_OF: Record<ModelTask, Role> = { classifier: 'specialized', generator: 'general' };
const idleLane = (): LaneState => ({ stage: 'waiting', answered: 0, of: 0, lastMs: null });

/** The running state after one progress event (pure). */
export function applyProgress(s: RunningState, p: RealRaceProgress): RunningState {
  switch (p.phase) {
    case 'download': {
      const role = LANE_OF[p.model];
      return { ...s, download: { ...s.download, [p.model]: p.progress }, lanes: { ...s.lanes, [role]: { ...s.lanes[role], stage: 'download' } } };
    }
    case 'load': {
      const role = LANE_OF[p.model];
      return { ...s, lanes: { ...s.lanes, [role]: { ...s.lanes[role], stage: 'load' } } };
    }
    case 'race': {
      // The WASM reference runs the first items again on the CPU: it is not the race the lanes show.
      if (p.ep !== 'webgpu') return s;
      const r = p.progress;
      const lane: LaneState =
        r.phase === 'warmup'
          ? { ...s.lanes[r.role], stage: 'warmup', lastMs: r.ms }
          : { stage: r.index >= r.of ? 'done' : 'answer', answered: r.index, of: r.of, lastMs: r.ms };
      return { ...s, lanes: { ...s.lanes, [r.role]: lane } };
    }
    case 'replica':
      return { ...s, replica: { done: p.done, of: p.of } };
    default: {
      const never: never = p;
      return never;
    }
  }
}

export async function startRealRace(country: string | null = null, opts: RaceOptions = {}): Promise<void> {
  if (race.value.kind === 'running') return;
  const c = choice.value;
  if (!mayAsk(c)) return;
  const refs = refsOf(c);
  race.value = { kind: 'running', download: {}, lanes: { specialized: idleLane(), general: idleLane() }, replica: null };
  ownAnswers.value = { kind: 'idle' };
  const base = c.base.trim();
  const agreement = agreementFor(base);
  try {
    const result = await realModelsClient().run({
      models: { classifier: refs.classifier, generator: refs.generator },
      ...(base ? { base } : {}),
      ...(agreement ? { agreement } : {}),
      language: lang.value,
      items: c.items,
      // Warm-up and pre-heat come from the preset's plan in the worker (ci: one query, 200 ms).
      ...(opts.preset ? { preset: opts.preset } : {}),
      ...(opts.maxNewTokens !== undefined ? { maxNewTokens: opts.maxNewTokens } : {}),
      reference: true,
      replicas: true,
      country,
      onProgress: (p) => {
        const s = race.value;
        if (s.kind === 'running') race.value = applyProgress(s, p);
      },
    });
    race.value = { kind: 'done', result };
    void keepRealResult(result);
  } catch (e) {
    const f = failureOf(e);
    const s = race.value;
    const download = s.kind === 'running' ? s.download : {};
    race.value = f.name === 'DownloadCancelledError' || f.name === 'RunCancelledError' ? { kind: 'cancelled', download } : { kind: 'error', failure: f };
  }
  void refreshSizes();
}

export function cancelRealRace(): void {
  if (race.value.kind === 'running') realModelsClient().cancel();
}

export type OwnState =
  | { kind: 'idle' }
  | { kind: 'asking'; text: string }
  | { kind: 'done'; text: string; answers: OwnSentenceAnswers }
  | { kind: 'error'; failure: Failure };

export const ownAnswers = signal<OwnState>({ kind: 'idle' });

export async function askOwnSentence(text: string): Promise<void> {
  const trimmed = text.trim();
  if (trimmed === '' || ownAnswers.value.kind === 'asking') return;
  ownAnswers.value = { kind: 'asking', text: trimmed };
  try {
    const answers = await realModelsClient().answer(trimmed, lang.value);
    ownAnswers.value = { kind: 'done', text: trimmed, answers };
  } catch (e) {
    ownAnswers.value = { kind: 'error', failure: failureOf(e) };
  }
}
