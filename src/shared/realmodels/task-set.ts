/**
 * The sentiment task sets of the real-models race (data/tasks/sentiment-*.json): their shape, and
 * the checks a set must pass before anyone measures accuracy on it (`npm run tasks:check`, and a
 * unit test on the committed files). Pure: no file system here, the caller reads the JSON.
 *
 * A set is useful only if a model cannot score well by always answering one label (exact
 * balance), if no review counts twice (duplicates, exact or near), and if it is not all one kind
 * of sentence (length spread, every difficulty tag present under both labels).
 */
import * as v from 'valibot';

/** Task set ids, one per language. */
export const TASK_SET_IDS = ['sentiment-en', 'sentiment-fr'] as const;
export type TaskSetId = (typeof TASK_SET_IDS)[number];

export const TASK_LANGUAGES = ['en', 'fr'] as const;
export type TaskLanguage = (typeof TASK_LANGUAGES)[number];

import { DIFFICULTIES, GOLD_LABELS, type Difficulty, type GoldLabel } from './labels.ts';

export { DIFFICULTIES, GOLD_LABELS, type Difficulty, type GoldLabel };

export const TASK_LICENSE = 'CC0-1.0';

export interface TaskItem {
  /** `en-001`, `fr-117`: the language, then a number unique in the set. */
  id: string;
  text: string;
  label: GoldLabel;
  difficulty: Difficulty;
}

export interface TaskSet {
  id: TaskSetId;
  /** Bumped whenever an item is added, removed or changed: accuracy is comparable only within a version. */
  version: number;
  language: TaskLanguage;
  license: typeof TASK_LICENSE;
  items: TaskItem[];
}

/** The limits the checks apply. */
export const TASK_RULES = {
  minItems: 200,
  maxItems: 2000,
  maxChars: 400,
  /** "Short" is at most this many words, "long" at least `longWords`. */
  shortWords: 6,
  longWords: 20,
  /** Each of short and long must hold at least this share of the items. */
  minShareShort: 0.1,
  minShareLong: 0.1,
  /** Every difficulty tag must hold at least this share of the items. */
  minShareDifficulty: 0.05,
  /** Two texts whose word sets overlap this much (Jaccard) count as the same review. */
  nearDuplicateJaccard: 0.9,
} as const;

const ITEM_ID = /^(en|fr)-\d{3,4}$/;

const itemSchema = v.strictObject({
  id: v.pipe(v.string('must be a string'), v.regex(ITEM_ID, 'must be like en-001 or fr-001')),
  text: v.pipe(v.string('must be a string'), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(TASK_RULES.maxChars, `must be at most ${TASK_RULES.maxChars} characters`)),
  label: v.picklist(GOLD_LABELS, 'must be "positive" or "negative"'),
  difficulty: v.picklist(DIFFICULTIES, `must be one of ${DIFFICULTIES.join(', ')}`),
});

export const taskSetSchema = v.strictObject({
  id: v.picklist(TASK_SET_IDS, `must be one of ${TASK_SET_IDS.join(', ')}`),
  version: v.pipe(v.number('must be a number'), v.integer('must be an integer'), v.minValue(1, 'must be ≥ 1')),
  language: v.picklist(TASK_LANGUAGES, 'must be "en" or "fr"'),
  license: v.literal(TASK_LICENSE, `must be "${TASK_LICENSE}"`),
  items: v.pipe(v.array(itemSchema, 'must be an array'), v.maxLength(TASK_RULES.maxItems, `must have at most ${TASK_RULES.maxItems} items`)),
});

/** Lower case, accents kept, punctuation and repeated spaces removed: what "the same text" means. */
export function normalizeText(text: string): string {
  return text.toLowerCase().normalize('NFC').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** The words of a text (normalized), for lengths and near-duplicates. */
export function words(text: string): string[] {
  const n = normalizeText(text);
  return n === '' ? [] : n.split(' ');
}

/** Jaccard similarity of two word sets: |A ∩ B| / |A ∪ B| (1 for two empty sets). */
export function jaccard(a: readonly string[], b: readonly string[]): number {
  const A = new Set(a);
  const B = new Set(b);
  if (A.size === 0 && B.size === 0) return 1;
  let inter = 0;
  for (const w of A) if (B.has(w)) inter++;
  return inter / (A.size + B.size - inter);
}

export interface TaskSetStats {
  items: number;
  positive: number;
  negative: number;
  byDifficulty: Record<Difficulty, { positive: number; negative: number }>;
  words: { min: number; median: number; max: number; short: number; long: number };
}

export type TaskSetCheck =
  | { ok: true; set: TaskSet; stats: TaskSetStats }
  | { ok: false; problems: string[]; stats: TaskSetStats | null };

function statsOf(items: readonly TaskItem[]): TaskSetStats {
  const byDifficulty = Object.fromEntries(DIFFICULTIES.map((d) => [d, { positive: 0, negative: 0 }])) as Record<Difficulty, { positive: number; negative: number }>;
  for (const it of items) byDifficulty[it.difficulty][it.label]++;
  const lengths = items.map((it) => words(it.text).length).sort((a, b) => a - b);
  return {
    items: items.length,
    positive: items.filter((it) => it.label === 'positive').length,
    negative: items.filter((it) => it.label === 'negative').length,
    byDifficulty,
    words: {
      min: lengths[0] ?? 0,
      median: lengths[Math.floor(lengths.length / 2)] ?? 0,
      max: lengths[lengths.length - 1] ?? 0,
      short: lengths.filter((n) => n <= TASK_RULES.shortWords).length,
      long: lengths.filter((n) => n >= TASK_RULES.longWords).length,
    },
  };
}

/** Pairs of items whose texts are the same once normalized, or whose word sets overlap ≥ the Jaccard threshold. */
export function duplicatePairs(items: readonly TaskItem[]): Array<{ a: string; b: string; kind: 'exact' | 'near'; jaccard: number }> {
  const prepared = items.map((it) => ({ id: it.id, norm: normalizeText(it.text), words: words(it.text) }));
  const out: Array<{ a: string; b: string; kind: 'exact' | 'near'; jaccard: number }> = [];
  for (let i = 0; i < prepared.length; i++) {
    for (let j = i + 1; j < prepared.length; j++) {
      const a = prepared[i]!;
      const b = prepared[j]!;
      if (a.norm === b.norm) {
        out.push({ a: a.id, b: b.id, kind: 'exact', jaccard: 1 });
        continue;
      }
      const jac = jaccard(a.words, b.words);
      if (jac >= TASK_RULES.nearDuplicateJaccard) out.push({ a: a.id, b: b.id, kind: 'near', jaccard: jac });
    }
  }
  return out;
}

/**
 * Every check on a parsed JSON value: schema, id ↔ language, unique item ids, exact balance,
 * duplicates, length spread, difficulty tags. Returns all problems at once, each a sentence that
 * names the item, so one run of `npm run tasks:check` lists everything to fix.
 */
export function checkTaskSet(json: unknown): TaskSetCheck {
  const parsed = v.safeParse(taskSetSchema, json);
  if (!parsed.success) {
    return { ok: false, stats: null, problems: parsed.issues.map((i) => `${v.getDotPath(i) ?? '(root)'}: ${i.message}`) };
  }
  const set = parsed.output;
  const problems: string[] = [];
  const stats = statsOf(set.items);
  if (set.id !== `sentiment-${set.language}`) problems.push(`id "${set.id}" does not match language "${set.language}"`);
  if (set.items.length < TASK_RULES.minItems) problems.push(`${set.items.length} items, at least ${TASK_RULES.minItems} needed`);

  const seen = new Set<string>();
  for (const it of set.items) {
    if (!it.id.startsWith(`${set.language}-`)) problems.push(`${it.id}: id must start with "${set.language}-"`);
    if (seen.has(it.id)) problems.push(`${it.id}: id used twice`);
    seen.add(it.id);
  }
  if (stats.positive !== stats.negative) problems.push(`unbalanced: ${stats.positive} positive, ${stats.negative} negative`);
  for (const d of duplicatePairs(set.items)) {
    problems.push(d.kind === 'exact' ? `${d.a} and ${d.b}: same text` : `${d.a} and ${d.b}: near duplicates (word Jaccard ${d.jaccard.toFixed(2)})`);
  }

  const n = set.items.length;
  if (stats.words.short < TASK_RULES.minShareShort * n) {
    problems.push(`only ${stats.words.short} short items (≤ ${TASK_RULES.shortWords} words), at least ${Math.ceil(TASK_RULES.minShareShort * n)} needed`);
  }
  if (stats.words.long < TASK_RULES.minShareLong * n) {
    problems.push(`only ${stats.words.long} long items (≥ ${TASK_RULES.longWords} words), at least ${Math.ceil(TASK_RULES.minShareLong * n)} needed`);
  }
  for (const d of DIFFICULTIES) {
    const { positive, negative } = stats.byDifficulty[d];
    if (positive === 0 || negative === 0) problems.push(`difficulty "${d}": needs both labels (${positive} positive, ${negative} negative)`);
    if (positive + negative < TASK_RULES.minShareDifficulty * n) {
      problems.push(`difficulty "${d}": ${positive + negative} items, at least ${Math.ceil(TASK_RULES.minShareDifficulty * n)} needed`);
    }
  }
  return problems.length === 0 ? { ok: true, set, stats } : { ok: false, problems, stats };
}
