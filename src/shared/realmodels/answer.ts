/**
 * From a model's output to an answer: the general model's reply text is parsed to a label, the
 * classifier's logits are mapped through its id2label. The raw reply is always kept beside the
 * parsed label (shown locally, never uploaded: the dataset holds no free text).
 */
import type { GoldLabel } from './task-set.ts';

export type Answer = GoldLabel | 'unparseable';

export interface ParsedReply {
  label: Answer;
  /** The reply exactly as decoded. */
  raw: string;
}

/** The words read as a label, in English and French, lower case and without accents. */
const WORDS: Record<GoldLabel, readonly string[]> = {
  positive: ['positive', 'positif', 'positiv', 'pos'],
  negative: ['negative', 'negatif', 'negativ', 'neg'],
};
/** A label word right after one of these is not an answer ("not positive", "pas négatif", "neither … nor …"). */
const NEGATORS: ReadonlySet<string> = new Set(['not', 'no', 'neither', 'nor', 'pas', 'ni', 'non', 'never', 'jamais']);

function plainWords(text: string): string[] {
  const folded = text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
  return folded.split(/[^\p{L}]+/u).filter((w) => w.length > 0);
}

/**
 * The label of a reply: exactly one of the two labels named (in either language, any case,
 * accents or not, with or without leading words: "Positive.", "The sentiment is negative",
 * "Sentiment : négatif"). Unparseable when neither is named, when both are ("positive or
 * negative?"), when the only one named is negated ("not positive"), or when the reply is empty.
 */
export function parseReply(raw: string): ParsedReply {
  const ws = plainWords(raw);
  const found = new Set<GoldLabel>();
  let negated = false;
  ws.forEach((w, i) => {
    for (const label of ['positive', 'negative'] as const) {
      if (!WORDS[label].includes(w)) continue;
      found.add(label);
      if (i > 0 && NEGATORS.has(ws[i - 1]!)) negated = true;
    }
  });
  if (found.size !== 1 || negated) return { label: 'unparseable', raw };
  const [label] = [...found];
  return { label: label!, raw };
}

/** Thrown when a classifier's id2label does not name exactly one positive and one negative class. */
export class ClassifierLabelsError extends Error {
  override name = 'ClassifierLabelsError';
}

/** SST-2's id2label (distilbert-base-uncased-finetuned-sst-2-english's config.json). */
export const SST2_ID2LABEL: Readonly<Record<string, string>> = { 0: 'NEGATIVE', 1: 'POSITIVE' };

/** Logit index → label. */
export type LabelMapping = readonly Answer[];

function labelOf(name: string): GoldLabel | null {
  const w = name.trim().toLowerCase();
  if (['positive', 'pos', 'positif'].includes(w)) return 'positive';
  if (['negative', 'neg', 'negatif', 'négatif'].includes(w)) return 'negative';
  return null;
}

/**
 * The classifier's logit index → label, from a config's `id2label` (SST-2's when the config has
 * none). Extra classes (a "neutral" head) map to unparseable; a config without exactly one
 * positive and one negative class, or with generic names ("LABEL_0"), is refused: guessing which
 * index is positive would turn a wrong guess into a confident 0 % accuracy.
 */
export function labelMapping(id2label: Readonly<Record<string, string>> | undefined = SST2_ID2LABEL): LabelMapping {
  const entries = Object.entries(id2label).map(([k, name]) => ({ index: Number(k), name }));
  if (entries.some((e) => !Number.isInteger(e.index) || e.index < 0 || e.index > 1000)) {
    throw new ClassifierLabelsError('id2label keys must be class indices (0, 1, …)');
  }
  const size = Math.max(-1, ...entries.map((e) => e.index)) + 1;
  const mapping: Answer[] = Array.from({ length: size }, () => 'unparseable');
  for (const e of entries) mapping[e.index] = labelOf(e.name) ?? 'unparseable';
  const pos = mapping.filter((l) => l === 'positive').length;
  const neg = mapping.filter((l) => l === 'negative').length;
  if (pos !== 1 || neg !== 1) {
    throw new ClassifierLabelsError(`id2label must name one positive and one negative class (got ${entries.map((e) => `${e.index}: ${e.name}`).join(', ') || 'none'})`);
  }
  return mapping;
}

/** The classifier's answer: the label of the largest logit (the first one on a tie). */
export function classifierAnswer(logits: ArrayLike<number>, mapping: LabelMapping): Answer {
  if (logits.length !== mapping.length) {
    throw new ClassifierLabelsError(`the classifier gave ${logits.length} logits for ${mapping.length} labels`);
  }
  let best = 0;
  for (let i = 1; i < logits.length; i++) if ((logits[i] ?? -Infinity) > (logits[best] ?? -Infinity)) best = i;
  if (!Number.isFinite(logits[best] ?? NaN)) return 'unparseable';
  return mapping[best] ?? 'unparseable';
}
