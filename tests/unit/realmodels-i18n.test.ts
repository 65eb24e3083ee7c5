// The task's words in both languages: every answer, tag and sentence renders, numbers in the
// reader's format.
import { describe, expect, test } from 'vitest';
import { accuracyText, agreementText, answerText, difficultyText, noFigureText, ownSentenceTexts, parseFailuresText } from '../../src/i18n/realmodels-task.ts';
import { DIFFICULTIES } from '../../src/shared/realmodels/task-set.ts';
import { wilson } from '../../src/shared/realmodels/scoring.ts';

describe('real-models task words', () => {
  test('answers and tags in both languages, never the key', () => {
    expect(answerText('positive', 'en')).toBe('positive');
    expect(answerText('negative', 'fr')).toBe('négatif');
    expect(answerText('unparseable', 'fr')).toBe('sans réponse');
    for (const l of ['en', 'fr'] as const) {
      for (const d of DIFFICULTIES) expect(difficultyText(d, l)).not.toMatch(/^realmodels\./);
      for (const s of Object.values(ownSentenceTexts(l))) expect(s).not.toMatch(/^realmodels\./);
    }
    expect(difficultyText('irony', 'fr')).toBe('ironie');
  });

  test('accuracy with its interval, in each number format', () => {
    const w = wilson(171, 240);
    const acc = { correct: 171, n: 240, low: w.low, high: w.high };
    expect(accuracyText(acc, 'en')).toBe('171 of 240 correct (71.3 %; 95 % interval 65.2–76.6 %)');
    expect(accuracyText(acc, 'fr')).toBe('justes : 171 sur 240 (71,3 % ; intervalle à 95 % : 65,2–76,6 %)');
  });

  test('parse failures, agreement, a missing per-correct figure', () => {
    expect(parseFailuresText(6, 240, 'en')).toBe('6 of 240 replies named neither label (counted as wrong)');
    expect(agreementText({ agree: 19, n: 20 }, 'fr')).toBe('WebGPU et la référence WASM ont donné la même réponse pour 19 des 20 premières phrases');
    expect(noFigureText('no-correct-answers', 'en')).toMatch(/no energy per correct answer/);
  });
});
