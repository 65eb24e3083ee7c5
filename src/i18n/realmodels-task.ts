/**
 * The words of the real-models task in the reader's language: answers, difficulty tags, the
 * "type your own sentence" box, accuracy with its interval, parse failures, agreement. Views call
 * these rather than building keys, so every key is spelled once and a new label or tag fails to
 * compile until it has its words.
 */
import type { Answer } from '../shared/realmodels/answer.ts';
import type { NoFigureReason } from '../shared/realmodels/scoring.ts';
import type { Difficulty } from '../shared/realmodels/task-set.ts';
import { fmt, lang, t, type Lang } from './index.ts';

export function answerText(a: Answer, l: Lang = lang.value): string {
  switch (a) {
    case 'positive': return t('realmodels.task.answer.positive', undefined, l);
    case 'negative': return t('realmodels.task.answer.negative', undefined, l);
    case 'unparseable': return t('realmodels.task.answer.unparseable', undefined, l);
  }
}

export function difficultyText(d: Difficulty, l: Lang = lang.value): string {
  switch (d) {
    case 'plain': return t('realmodels.task.difficulty.plain', undefined, l);
    case 'negation': return t('realmodels.task.difficulty.negation', undefined, l);
    case 'irony': return t('realmodels.task.difficulty.irony', undefined, l);
    case 'mixed': return t('realmodels.task.difficulty.mixed', undefined, l);
    case 'comparison': return t('realmodels.task.difficulty.comparison', undefined, l);
    case 'slang': return t('realmodels.task.difficulty.slang', undefined, l);
  }
}

/** The labels of the "type your own sentence" box. */
export function ownSentenceTexts(l: Lang = lang.value): { title: string; placeholder: string; submit: string; hint: string } {
  return {
    title: t('realmodels.task.own.title', undefined, l),
    placeholder: t('realmodels.task.own.placeholder', undefined, l),
    submit: t('realmodels.task.own.submit', undefined, l),
    hint: t('realmodels.task.own.hint', undefined, l),
  };
}

/** Percent with three significant digits, in the reader's number format. */
const pct = (x: number, l: Lang) => fmt(x * 100, 2, l);

/** "171 of 240 correct (71.3 %; 95 % interval 65.2–76.6 %)". */
export function accuracyText(acc: { correct: number; n: number; low: number; high: number }, l: Lang = lang.value): string {
  return t('realmodels.task.accuracy', { correct: acc.correct, n: acc.n, rate: pct(acc.correct / acc.n, l), low: pct(acc.low, l), high: pct(acc.high, l) }, l);
}

export function parseFailuresText(count: number, n: number, l: Lang = lang.value): string {
  return t('realmodels.task.parseFailures', { count, n }, l);
}

export function agreementText(a: { agree: number; n: number }, l: Lang = lang.value): string {
  return t('realmodels.task.agreement', { agree: a.agree, n: a.n }, l);
}

/** Why an energy per correct answer is missing. */
export function noFigureText(reason: NoFigureReason, l: Lang = lang.value): string {
  switch (reason) {
    case 'no-correct-answers': return t('realmodels.task.perCorrect.none', undefined, l);
  }
}
