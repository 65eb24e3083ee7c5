/**
 * The task "sentiment" and the suite presets `ci`, `quick`, `paper`, `custom` (see docs/ARCHITECTURE.md).
 *
 * A suite is two model workloads for the same task: a specialized encoder classifier and a
 * general decoder LLM. Each preset carries a version: results are comparable only within the
 * same preset and version, so any change to models, token counts or seeds bumps it.
 */
import { bytesText } from '../../shared/bytes.ts';
import type { PresetName } from '../../shared/result.ts';
import {
  BERT_TINY,
  DISTILBERT_SST2,
  MODEL_PRESETS,
  ModelConfigError,
  QWEN25_05B_INSTRUCT,
  SMOLLM2_135M,
  TINY_DECODER,
  isModelPresetName,
  validateWorkload,
  type DecoderConfig,
  type DecoderWorkloadSpec,
  type Dtype,
  type EncoderConfig,
  type EncoderWorkloadSpec,
  type ModelConfig,
  type ModelWorkloadSpec,
} from './config.ts';
import { bytesPerElement } from './flops.ts';
import { modelTensors, tensorElements } from '../weights.ts';

export type TaskName = 'sentiment';

export const SUITE_VERSIONS: Readonly<Record<PresetName, string>> = Object.freeze({
  ci: 'ci-1',
  quick: 'quick-1',
  paper: 'paper-1',
  custom: 'custom-1',
});

/**
 * A user-visible note, as an i18n key (src/i18n/dict/model.ts) with its parameters, plus the
 * English text for logs and the CLI.
 */
export interface SuiteNote {
  key: string;
  params: Record<string, string | number>;
  text: string;
}

export interface Suite {
  preset: PresetName;
  version: string;
  task: TaskName;
  /** Specialized first, then general. */
  workloads: ModelWorkloadSpec[];
  /** What `quick` chose and why; the dtype choice; anything the user should know. */
  notes: SuiteNote[];
}

/** Answer length of the general model: "short" (a label word) or "chatty" (an explanation). */
export type AnswerLength = 'short' | 'chatty';

/** The sentiment task (Luccioni et al., FAccT 2024): review of 64 tokens; prompt = instructions + review. */
export const SENTIMENT = Object.freeze({
  name: 'sentiment' as const,
  reviewTokens: 64,
  promptTokens: 112,
  outputTokens: { short: 4, chatty: 48 } satisfies Record<AnswerLength, number>,
  labels: 2,
});

/** WebGPU's default limits: what every adapter grants without asking. */
export const DEFAULT_LIMITS = Object.freeze({
  maxStorageBufferBindingSize: 134_217_728,
  maxBufferSize: 268_435_456,
});

export interface CustomSuite {
  specialized: ModelWorkloadSpec;
  general: ModelWorkloadSpec;
}

export interface ResolveOptions {
  /** Adapter limits (as in `adapter.limits`); WebGPU defaults when absent. */
  limits?: Record<string, number>;
  /** Whether the adapter has `shader-f16`: models then store and compute in f16. */
  f16?: boolean;
  /** Required for `custom` (from `parseCustom`). */
  custom?: CustomSuite;
  /** General model's answer length for `quick` and `paper` (default "short"). */
  answer?: AnswerLength;
  /** Seed of weights and token ids (default 1). */
  seed?: number;
}

const DEFAULT_SEED = 1;

function encoderWorkload(model: EncoderConfig, inputTokens: number, seed: number): EncoderWorkloadSpec {
  return { family: 'encoder', id: `specialized:${model.name}`, role: 'specialized', seed, model, inputTokens, labels: model.labels };
}

function decoderWorkload(model: DecoderConfig, promptTokens: number, outputTokens: number, seed: number): DecoderWorkloadSpec {
  return { family: 'decoder', id: `general:${model.name}`, role: 'general', seed, model, promptTokens, outputTokens };
}

/** Bytes of the largest single weight tensor (the one a binding must hold, unless split). */
export function largestTensorBytes(config: ModelConfig): number {
  const b = bytesPerElement(config.dtype);
  return Math.max(...modelTensors(config).map((t) => tensorElements(t) * b));
}

function limit(limits: Record<string, number> | undefined, name: keyof typeof DEFAULT_LIMITS): number {
  const v = limits?.[name];
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : DEFAULT_LIMITS[name];
}

const mb = bytesText;

function note(key: string, params: Record<string, string | number>, text: string): SuiteNote {
  return { key, params, text };
}

/** Applies the dtype to a model preset (presets are stored as f32). */
function withDtype<C extends ModelConfig>(c: C, dtype: Dtype): C {
  return { ...c, dtype };
}

/**
 * `quick` keeps each model whole in one binding (no split path on the visitor default) and
 * the query short: the first candidate whose largest tensor fits both limits wins.
 */
function pickFitting<C extends ModelConfig>(candidates: C[], limits: Record<string, number> | undefined, role: string, notes: SuiteNote[]): C {
  const allowed = Math.min(limit(limits, 'maxStorageBufferBindingSize'), limit(limits, 'maxBufferSize'));
  for (const c of candidates) {
    const need = largestTensorBytes(c);
    if (need <= allowed) {
      notes.push(
        note(
          'model.note.quickChose',
          { role, model: c.name, need: mb(need), allowed: mb(allowed) },
          `${role}: ${c.name} (largest tensor ${mb(need)} fits the ${mb(allowed)} buffer limit)`,
        ),
      );
      return c;
    }
    notes.push(
      note(
        'model.note.quickSkipped',
        { role, model: c.name, need: mb(need), allowed: mb(allowed) },
        `${role}: ${c.name} skipped (largest tensor ${mb(need)} exceeds the ${mb(allowed)} buffer limit)`,
      ),
    );
  }
  // The last candidate is tiny (a few MB): every WebGPU adapter grants that much.
  const last = candidates[candidates.length - 1];
  if (!last) throw new Error('pickFitting: no candidates');
  return last;
}

/** Builds the workloads of a preset. Throws `ModelConfigError` for an invalid custom suite. */
export function resolveSuite(preset: PresetName, opts: ResolveOptions = {}): Suite {
  const seed = opts.seed ?? DEFAULT_SEED;
  const dtype: Dtype = opts.f16 ? 'f16' : 'f32';
  const answer = opts.answer ?? 'short';
  const notes: SuiteNote[] = [
    dtype === 'f16'
      ? note('model.note.dtypeF16', {}, 'weight matrices stored in f16, matrix products multiply in f16; activations, norms, attention and the running sums across K in f32')
      : note('model.note.dtype', { dtype }, 'weights and activations in f32'),
  ];
  let workloads: ModelWorkloadSpec[];
  switch (preset) {
    case 'ci':
      // Tiny on purpose: SwiftShader runs ~0.3 GFLOP/s and CI allows a minute for all samples.
      workloads = [encoderWorkload(withDtype(BERT_TINY, dtype), 16, seed), decoderWorkload(withDtype(TINY_DECODER, dtype), 24, 4, seed)];
      break;
    case 'quick': {
      const enc = pickFitting([withDtype(DISTILBERT_SST2, dtype), withDtype(BERT_TINY, dtype)], opts.limits, 'specialized', notes);
      const dec = pickFitting([withDtype(SMOLLM2_135M, dtype), withDtype(TINY_DECODER, dtype)], opts.limits, 'general', notes);
      workloads = [
        encoderWorkload(enc, SENTIMENT.reviewTokens, seed),
        decoderWorkload(dec, SENTIMENT.promptTokens, SENTIMENT.outputTokens[answer], seed),
      ];
      break;
    }
    case 'paper':
      workloads = [
        encoderWorkload(withDtype(DISTILBERT_SST2, dtype), SENTIMENT.reviewTokens, seed),
        decoderWorkload(withDtype(QWEN25_05B_INSTRUCT, dtype), SENTIMENT.promptTokens, SENTIMENT.outputTokens[answer], seed),
      ];
      break;
    case 'custom': {
      const custom = opts.custom ?? parseCustomOrThrow([]);
      workloads = [
        { ...custom.specialized, model: withDtype(custom.specialized.model, dtype) } as ModelWorkloadSpec,
        { ...custom.general, model: withDtype(custom.general.model, dtype) } as ModelWorkloadSpec,
      ];
      break;
    }
  }
  for (const w of workloads) validateWorkload(w);
  return { preset, version: SUITE_VERSIONS[preset], task: SENTIMENT.name, workloads, notes };
}

// ---------------------------------------------------------------------------------------------
// custom: model fields as key/value pairs, validated field by field. Where they come from (the
// page address, the CLI's --param=value) is the lab's business: it strips page parameters first
// (src/lab/custom.ts), so here every key that is not a model field is an error.
//
//   specialized=<model preset>   general=<model preset>        (defaults: the paper pair)
//   s.<field>=… / g.<field>=…    override a field of the specialized / general model:
//       layers hidden heads kvHeads headDim ffn vocab maxPositions normEps
//       labels preClassifier(relu|tanh)                      (encoder)
//       ropeTheta tiedEmbeddings(true|false) qkvBias(true|false)  (decoder)
//   inputTokens promptTokens outputTokens seed

export type CustomErrorCode = 'unknown-param' | 'not-a-number' | 'not-positive-integer' | 'invalid-choice' | 'unknown-model' | 'invalid-config';

export interface CustomFieldError {
  /** The URL parameter at fault, e.g. "g.kvHeads". */
  field: string;
  code: CustomErrorCode;
  /** i18n key (model.error.*) and its parameters. */
  key: string;
  params: Record<string, string | number>;
  /** English message for logs and the CLI. */
  message: string;
}

export type CustomParseResult = { ok: true; value: CustomSuite } | { ok: false; errors: CustomFieldError[] };

const INT_FIELDS = ['layers', 'hidden', 'heads', 'kvHeads', 'headDim', 'ffn', 'vocab', 'maxPositions'] as const;
const ENCODER_INT_FIELDS = ['labels'] as const;
const FLOAT_FIELDS = ['normEps'] as const;
const DECODER_FLOAT_FIELDS = ['ropeTheta'] as const;
const DECODER_BOOL_FIELDS = ['tiedEmbeddings', 'qkvBias'] as const;
const TOKEN_FIELDS = ['inputTokens', 'promptTokens', 'outputTokens'] as const;

function fieldError(field: string, code: CustomErrorCode, value: string, message: string, detail?: string): CustomFieldError {
  const params: Record<string, string | number> = detail === undefined ? { field, value } : { field, value, detail };
  return { field, code, key: `model.error.${code}`, params, message };
}

/** Model fields of a custom suite, in order; a repeated key counts once, first value wins. */
export type CustomFields = Iterable<readonly [string, string]>;

/** Parses and validates a custom suite; every wrong field is reported, not only the first. */
export function parseCustom(fields: CustomFields): CustomParseResult {
  const errors: CustomFieldError[] = [];
  const entries = [...fields];
  const params = {
    get: (key: string): string | null => entries.find(([k]) => k === key)?.[1] ?? null,
    keys: (): string[] => [...new Set(entries.map(([k]) => k))],
  };
  const known = new Set<string>(['specialized', 'general', 'seed', ...TOKEN_FIELDS]);

  const base = (role: 'specialized' | 'general', fallback: ModelConfig): ModelConfig => {
    const name = params.get(role);
    if (name === null) return { ...fallback };
    if (!isModelPresetName(name)) {
      errors.push(fieldError(role, 'unknown-model', name, `${role}: unknown model "${name}" (one of ${Object.keys(MODEL_PRESETS).join(', ')})`));
      return { ...fallback };
    }
    return { ...MODEL_PRESETS[name] };
  };

  const int = (field: string, raw: string): number | null => {
    const v = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(v)) {
      errors.push(fieldError(field, 'not-a-number', raw, `${field}: "${raw}" is not a number`));
      return null;
    }
    if (!Number.isInteger(v) || v <= 0) {
      errors.push(fieldError(field, 'not-positive-integer', raw, `${field}: must be a positive integer (got ${raw})`));
      return null;
    }
    return v;
  };
  const positiveNumber = (field: string, raw: string): number | null => {
    const v = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(v) || v <= 0) {
      errors.push(fieldError(field, 'not-a-number', raw, `${field}: "${raw}" is not a positive number`));
      return null;
    }
    return v;
  };
  const choice = <T extends string>(field: string, raw: string, options: readonly T[]): T | null => {
    if ((options as readonly string[]).includes(raw)) return raw as T;
    errors.push(fieldError(field, 'invalid-choice', raw, `${field}: "${raw}" is not one of ${options.join(', ')}`));
    return null;
  };

  /** Applies s.* / g.* overrides onto a copy of the base model. */
  const overrides = (prefix: 's' | 'g', model: ModelConfig): ModelConfig => {
    const m: Record<string, unknown> = { ...model, name: 'custom' };
    let changed = false;
    for (const [key, raw] of entries) {
      if (!key.startsWith(`${prefix}.`)) continue;
      const f = key.slice(2);
      known.add(key);
      changed = true;
      if ((INT_FIELDS as readonly string[]).includes(f) || (model.family === 'encoder' && (ENCODER_INT_FIELDS as readonly string[]).includes(f))) {
        const v = int(key, raw);
        if (v !== null) m[f] = v;
      } else if ((FLOAT_FIELDS as readonly string[]).includes(f) || (model.family === 'decoder' && (DECODER_FLOAT_FIELDS as readonly string[]).includes(f))) {
        const v = positiveNumber(key, raw);
        if (v !== null) m[f] = v;
      } else if (model.family === 'decoder' && (DECODER_BOOL_FIELDS as readonly string[]).includes(f)) {
        const v = choice(key, raw, ['true', 'false'] as const);
        if (v !== null) m[f] = v === 'true';
      } else if (model.family === 'encoder' && f === 'preClassifier') {
        const v = choice(key, raw, ['relu', 'tanh'] as const);
        if (v !== null) m[f] = v;
      } else {
        errors.push(fieldError(key, 'unknown-param', raw, `${key}: not a field of a ${model.family} model`));
      }
    }
    // An unchanged preset keeps its name, so results stay labelled "distilbert-sst2" etc.
    return (changed ? m : { ...m, name: model.name }) as unknown as ModelConfig;
  };

  const seedRaw = params.get('seed');
  const seed = seedRaw === null ? DEFAULT_SEED : Number(seedRaw);
  if (seedRaw !== null && (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)) {
    errors.push(fieldError('seed', 'not-a-number', seedRaw, `seed: must be an integer in [0, 2^32) (got ${seedRaw})`));
  }
  const tokens = (field: (typeof TOKEN_FIELDS)[number], fallback: number): number => {
    const raw = params.get(field);
    if (raw === null) return fallback;
    return int(field, raw) ?? fallback;
  };

  const workload = (role: 'specialized' | 'general', model: ModelConfig): ModelWorkloadSpec => {
    switch (model.family) {
      case 'encoder':
        return { family: 'encoder', id: `${role}:${model.name}`, role, seed, model, inputTokens: tokens('inputTokens', SENTIMENT.reviewTokens), labels: model.labels };
      case 'decoder':
        return {
          family: 'decoder',
          id: `${role}:${model.name}`,
          role,
          seed,
          model,
          promptTokens: tokens('promptTokens', SENTIMENT.promptTokens),
          outputTokens: tokens('outputTokens', SENTIMENT.outputTokens.short),
        };
    }
  };

  const specialized = workload('specialized', overrides('s', base('specialized', DISTILBERT_SST2)));
  const general = workload('general', overrides('g', base('general', QWEN25_05B_INSTRUCT)));
  for (const key of params.keys()) {
    if (!known.has(key)) errors.push(fieldError(key, 'unknown-param', params.get(key) ?? '', `${key}: unknown parameter`));
  }
  if (errors.length === 0) {
    for (const [prefix, w] of [['s', specialized], ['g', general]] as const) {
      try {
        validateWorkload(w);
      } catch (e) {
        if (!(e instanceof ModelConfigError)) throw e;
        const tokenField = (TOKEN_FIELDS as readonly string[]).includes(e.field);
        const field = tokenField ? e.field : `${prefix}.${e.field}`;
        errors.push(fieldError(field, 'invalid-config', String(params.get(field) ?? ''), `${field}: ${e.message}`, e.message));
      }
    }
  }
  return errors.length ? { ok: false, errors } : { ok: true, value: { specialized, general } };
}

/** A named error listing every wrong custom field (crosses the worker boundary by name). */
export class CustomSuiteError extends Error {
  override name = 'CustomSuiteError';
  constructor(readonly errors: CustomFieldError[]) {
    super(errors.map((e) => e.message).join('; '));
  }
}

export function parseCustomOrThrow(fields: CustomFields): CustomSuite {
  const r = parseCustom(fields);
  if (!r.ok) throw new CustomSuiteError(r.errors);
  return r.value;
}

/** The fields that reproduce a custom suite (the inverse of `parseCustom`). */
export function customToFields(custom: CustomSuite): Map<string, string> {
  const p = new Map<string, string>();
  for (const [role, prefix, w] of [['specialized', 's', custom.specialized], ['general', 'g', custom.general]] as const) {
    const { name: _name, family, dtype: _dtype, norm: _norm, activation: _act, positions: _pos, ...fields } = w.model;
    // Start from the family's paper preset so that the fields below fully determine the model.
    p.set(role, family === 'encoder' ? DISTILBERT_SST2.name : QWEN25_05B_INSTRUCT.name);
    for (const [k, v] of Object.entries(fields)) p.set(`${prefix}.${k}`, String(v));
    switch (w.family) {
      case 'encoder':
        p.set('inputTokens', String(w.inputTokens));
        break;
      case 'decoder':
        p.set('promptTokens', String(w.promptTokens));
        p.set('outputTokens', String(w.outputTokens));
        break;
    }
    p.set('seed', String(w.seed));
  }
  return p;
}

/**
 * Why a workload cannot run on an adapter, naming the model and the limit, with a smaller
 * preset to try. Null when it fits. Weight tensors may be split across bindings, but a single
 * activation or KV-cache buffer may not: those must fit one binding.
 */
export interface LimitProblem {
  model: string;
  limit: 'maxStorageBufferBindingSize' | 'maxBufferSize';
  needBytes: number;
  allowedBytes: number;
  /** Which buffer: one layer's KV cache, the FFN activations of the query, the logits. */
  what: 'kv-cache' | 'ffn-activations' | 'logits';
  suggestion: PresetName;
  key: string;
  params: Record<string, string | number>;
  message: string;
}

const WHAT_LABEL: Record<LimitProblem['what'], string> = {
  'kv-cache': 'the KV cache of one layer',
  'ffn-activations': 'the FFN activations',
  logits: 'the logits',
};

export function limitProblem(spec: ModelWorkloadSpec, limits: Record<string, number> | undefined, preset: PresetName): LimitProblem | null {
  const c = spec.model;
  const b = bytesPerElement(c.dtype);
  const seq = spec.family === 'encoder' ? spec.inputTokens : spec.promptTokens + spec.outputTokens;
  const candidates: [LimitProblem['what'], number][] = [
    ['kv-cache', spec.family === 'decoder' ? 2 * seq * c.kvHeads * c.headDim * b : 0],
    ['ffn-activations', seq * c.ffn * b],
    ['logits', c.vocab * b],
  ];
  const binding = limit(limits, 'maxStorageBufferBindingSize');
  const suggestion: PresetName = preset === 'paper' ? 'quick' : 'ci';
  for (const [what, need] of candidates) {
    if (need > binding) {
      const params = { model: c.name, need: mb(need), limit: 'maxStorageBufferBindingSize', allowed: mb(binding), preset: suggestion };
      return {
        model: c.name,
        limit: 'maxStorageBufferBindingSize',
        needBytes: need,
        allowedBytes: binding,
        what,
        suggestion,
        key: `model.error.limit.${what}`,
        params,
        message: `${c.name}: ${WHAT_LABEL[what]} take ${mb(need)}, above maxStorageBufferBindingSize (${mb(binding)}). Try the "${suggestion}" preset.`,
      };
    }
  }
  return null;
}
