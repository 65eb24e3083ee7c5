// The committed sentiment task sets pass the same checks as `npm run tasks:check`, and the
// checks catch what they are for: a crafted unbalanced, duplicated or thin set fails, naming why.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { DIFFICULTIES, TASK_RULES, checkTaskSet, jaccard, normalizeText, words, type TaskItem, type TaskSet } from '../../src/shared/realmodels/task-set.ts';

const load = (lang: 'en' | 'fr'): unknown => JSON.parse(readFileSync(new URL(`../../data/tasks/sentiment-${lang}.json`, import.meta.url), 'utf8'));

describe('committed task sets', () => {
  test.each(['en', 'fr'] as const)('sentiment-%s passes every check', (lang) => {
    const r = checkTaskSet(load(lang));
    expect(r.ok ? [] : r.problems).toEqual([]);
    if (!r.ok) return;
    expect(r.set.language).toBe(lang);
    expect(r.set.license).toBe('CC0-1.0');
    expect(r.stats.items).toBeGreaterThanOrEqual(200);
    expect(r.stats.positive).toBe(r.stats.negative);
    for (const d of DIFFICULTIES) expect(r.stats.byDifficulty[d].positive + r.stats.byDifficulty[d].negative).toBeGreaterThan(0);
  });

  test('the first 20 items (the WebGPU-vs-WASM check) hold both labels', () => {
    for (const lang of ['en', 'fr'] as const) {
      const r = checkTaskSet(load(lang));
      if (!r.ok) throw new Error(r.problems.join('\n'));
      const first = r.set.items.slice(0, 20);
      expect(new Set(first.map((it) => it.label)).size).toBe(2);
    }
  });
});

/** A valid set: distinct texts, both labels, every tag, short and long items. */
function validSet(): TaskSet {
  const items: TaskItem[] = [];
  const vocab = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet', 'kilo', 'lima'];
  for (let i = 0; i < 240; i++) {
    const n = i % 4 === 0 ? 3 : i % 4 === 1 ? 24 : 10;
    // Distinct word sets: every item holds its own number words, so no two overlap much.
    const text = Array.from({ length: n }, (_, j) => `${vocab[j % vocab.length]}${i}x${j}`).join(' ');
    items.push({ id: `en-${String(i + 1).padStart(3, '0')}`, text, label: i % 2 === 0 ? 'positive' : 'negative', difficulty: DIFFICULTIES[Math.floor(i / 2) % DIFFICULTIES.length]! });
  }
  return { id: 'sentiment-en', version: 1, language: 'en', license: 'CC0-1.0', items };
}

const problems = (json: unknown): string[] => {
  const r = checkTaskSet(json);
  return r.ok ? [] : r.problems;
};

describe('checks on crafted sets', () => {
  test('the crafted base set passes', () => {
    expect(problems(validSet())).toEqual([]);
  });

  test('unbalanced', () => {
    const s = validSet();
    s.items[1] = { ...s.items[1]!, label: 'positive' };
    expect(problems(s)).toEqual(['unbalanced: 121 positive, 119 negative']);
  });

  test('exact duplicate after normalization (case, punctuation, spaces)', () => {
    const s = validSet();
    s.items[2] = { ...s.items[2]!, text: 'Loved it, truly!' };
    s.items[4] = { ...s.items[4]!, text: '  loved   IT... truly' };
    expect(problems(s)).toEqual(['en-003 and en-005: same text']);
  });

  test('near duplicate (word Jaccard ≥ 0.9)', () => {
    const s = validSet();
    const base = Array.from({ length: 12 }, (_, j) => `w${j}`);
    s.items[6] = { ...s.items[6]!, text: base.join(' ') };
    s.items[8] = { ...s.items[8]!, text: [...base, 'extra'].join(' ') };
    expect(jaccard(words(s.items[6].text), words(s.items[8].text))).toBeCloseTo(12 / 13, 12);
    expect(problems(s)).toEqual(['en-007 and en-009: near duplicates (word Jaccard 0.92)']);
  });

  test('duplicate ids, wrong language prefix, too few items', () => {
    const s = validSet();
    s.items[3] = { ...s.items[3]!, id: 'en-001' };
    s.items[5] = { ...s.items[5]!, id: 'fr-900' };
    expect(problems(s)).toEqual(['en-001: id used twice', 'fr-900: id must start with "en-"']);
    expect(problems({ ...s, items: s.items.slice(0, 100) })).toContain(`100 items, at least ${TASK_RULES.minItems} needed`);
  });

  test('no spread of lengths, a tag missing or one-sided', () => {
    const s = validSet();
    const flat = { ...s, items: s.items.map((it, i) => ({ ...it, text: `plain${i} words${i} only${i} here${i} to${i} fill${i} ten${i} of${i} them${i} now${i}` })) };
    expect(problems(flat)).toEqual([
      'only 0 short items (≤ 6 words), at least 24 needed',
      'only 0 long items (≥ 20 words), at least 24 needed',
    ]);
    const noSlang = { ...s, items: s.items.map((it) => (it.difficulty === 'slang' && it.label === 'negative' ? { ...it, difficulty: 'plain' as const } : it)) };
    expect(problems(noSlang)).toEqual(['difficulty "slang": needs both labels (20 positive, 0 negative)']);
  });

  test('schema: unknown label, tag or field, bad licence, empty text', () => {
    const s = validSet();
    expect(problems({ ...s, license: 'MIT' })[0]).toMatch(/^license: /);
    expect(problems({ ...s, items: [{ ...s.items[0], label: 'neutral' }, ...s.items.slice(1)] })[0]).toMatch(/^items\.0\.label: /);
    expect(problems({ ...s, items: [{ ...s.items[0], difficulty: 'sarcasm' }, ...s.items.slice(1)] })[0]).toMatch(/^items\.0\.difficulty: /);
    expect(problems({ ...s, items: [{ ...s.items[0], text: '   ' }, ...s.items.slice(1)] })[0]).toMatch(/^items\.0\.text: /);
    expect(problems({ ...s, items: [{ ...s.items[0], note: 'x' }, ...s.items.slice(1)] }).length).toBeGreaterThan(0);
    expect(problems({ ...s, id: 'sentiment-fr' })).toEqual(['id "sentiment-fr" does not match language "en"']);
    expect(problems(null).length).toBeGreaterThan(0);
  });

  test('normalizeText keeps accents and letters of every script, drops punctuation', () => {
    expect(normalizeText('  Très   BIEN !!! ')).toBe('très bien');
    expect(normalizeText("C'est — vraiment… nul")).toBe('c est vraiment nul');
  });
});
