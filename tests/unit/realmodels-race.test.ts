/**
 * The real-model race (src/engine/realmodels/race.ts): the whole race with onnxruntime-web's WASM
 * backend on the tiny generated fixtures and the committed English task set, then fakes with
 * fixed answers for exact counting (parse failures, accuracy, agreement), cancel and progress.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import * as ort from 'onnxruntime-web';
import { ClassifierSession, type Classification, type ClassifierFiles } from '../../src/engine/realmodels/classifier.ts';
import { classifierFixture, decoderFixture, type RepoFiles } from '../../src/engine/realmodels/fixtures.ts';
import { GeneratorSession, type GenerateResult, type GeneratorFiles } from '../../src/engine/realmodels/generator.ts';
import {
  agreementRun, answerOne, DEFAULT_MAX_NEW_TOKENS, raceRecordFields, runRealRace, scoredAnswers, type RaceClassifier, type RaceGenerator, type RaceProgress,
} from '../../src/engine/realmodels/race.ts';
import { RunCancelledError, TabHiddenError } from '../../src/engine/errors.ts';
import { RunControl } from '../../src/engine/timing.ts';
import { parseRealModelRecord } from '../../src/shared/realmodels-result.ts';
import { sentimentMessages } from '../../src/shared/realmodels/prompt.ts';
import { accuracy, tokenSummary, wilson, type ScoredAnswer } from '../../src/shared/realmodels/scoring.ts';
import type { TaskItem, TaskSet } from '../../src/shared/realmodels/task-set.ts';

ort.env.wasm.numThreads = 1;

const text = new TextDecoder();
const jsonOf = (files: RepoFiles, path: string): object => JSON.parse(text.decode(files.get(path))) as object;

function classifierFiles(): ClassifierFiles {
  const f = classifierFixture();
  return { model: f.get('onnx/model.onnx')!, tokenizerJson: jsonOf(f, 'tokenizer.json'), tokenizerConfig: jsonOf(f, 'tokenizer_config.json'), config: jsonOf(f, 'config.json') };
}

function generatorFiles(): GeneratorFiles {
  const f = decoderFixture();
  return {
    model: f.get('onnx/model.onnx')!, tokenizerJson: jsonOf(f, 'tokenizer.json'), tokenizerConfig: jsonOf(f, 'tokenizer_config.json'),
    config: jsonOf(f, 'config.json'), generationConfig: jsonOf(f, 'generation_config.json'),
  };
}

const SET = JSON.parse(readFileSync(new URL('../../data/tasks/sentiment-en.json', import.meta.url), 'utf8')) as TaskSet;
const ITEMS: TaskItem[] = SET.items.slice(0, 10);

// Creating the first session compiles onnxruntime's WASM: seconds on a loaded machine.
describe('the whole race on the fixtures (WASM)', { timeout: 120_000 }, () => {
  test('answers every item, counts tokens as the tokenizer does, scores by hand count and Wilson', async () => {
    const classifier = await ClassifierSession.create(ort, classifierFiles(), 'wasm');
    const generator = await GeneratorSession.create(ort, generatorFiles(), 'wasm');
    const events: RaceProgress[] = [];
    const maxNewTokens = 4;
    try {
      const r = await runRealRace({ classifier, generator }, ITEMS, { language: 'en', warmup: 1, maxNewTokens, onProgress: (p) => events.push(p) });
      expect(r).toMatchObject({ language: 'en', promptVersion: 'sentiment-zs-1', maxNewTokens });

      for (const run of [r.specialized, r.general]) {
        expect(run.items.map((it) => it.id)).toEqual(ITEMS.map((it) => it.id));
        for (const it of run.items) expect(['positive', 'negative', 'unparseable']).toContain(it.label);
        // Accuracy: a hand count over the returned answers and the gold labels.
        const gold = new Map(ITEMS.map((it) => [it.id, it.label]));
        const correct = run.items.filter((it) => it.label === gold.get(it.id)).length;
        const failures = run.items.filter((it) => it.label === 'unparseable').length;
        expect(run.accuracy).toMatchObject({ correct, n: ITEMS.length, parseFailures: failures });
        expect(run.parseFailures).toBe(failures);
        const w = wilson(correct, ITEMS.length);
        expect(run.accuracy.low).toBe(w.low);
        expect(run.accuracy.high).toBe(w.high);
        // The breakdown by difficulty covers every item once.
        const byTag = Object.values(run.accuracyByDifficulty).filter((a) => a !== null);
        expect(byTag.reduce((s, a) => s + a.n, 0)).toBe(ITEMS.length);
        expect(byTag.reduce((s, a) => s + a.correct, 0)).toBe(correct);
        // Timing: one wall-clock sample per item, warm-up counted and excluded.
        expect(run.timing).toMatchObject({ source: 'wall-clock', warmup: 1, batch: 1 });
        expect(run.timing.samplesMs).toEqual(run.items.map((it) => it.ms));
        expect(run.items.every((it) => it.ms >= it.sessionMs && it.sessionMs > 0)).toBe(true);
        expect(run.tokens).toEqual(tokenSummary(run.items.map((it) => ({ input: it.tokensIn, output: it.tokensOut }))));
        expect(run.executionProvider).toBe('wasm');
        expect(run.agreement).toEqual({ measured: false, reason: 'is-reference' });
      }

      // Token counts as the tokenizers give them.
      r.specialized.items.forEach((it, i) => expect(it.tokensIn).toBe(classifier.encode(ITEMS[i]!.text).length));
      r.general.items.forEach((it, i) => {
        expect(it.tokensIn).toBe(generator.promptIds(sentimentMessages(ITEMS[i]!.text, 'en')).length);
        expect(it.tokensOut).toBeLessThanOrEqual(maxNewTokens);
        expect(it.stepMs).toHaveLength(it.tokensOut - 1);
      });
      expect(r.specialized.tokens.outputTotal).toBe(0);
      expect(r.specialized.tokensPerSecond).toBeNull();
      const g = r.general.items;
      const prefill = g.reduce((s, it) => s + it.tokensIn, 0) / (g.reduce((s, it) => s + it.prefillMs, 0) / 1000);
      expect(r.general.tokensPerSecond?.prefill).toBeCloseTo(prefill, 6);
      expect(r.general.tokensPerSecond?.decode).toBeGreaterThan(0);

      // Progress: warm-up then every item, specialized model first.
      const shape = events.map((e) => `${e.role}:${e.phase}:${e.index}/${e.of}`);
      const expected = (role: string) => [`${role}:warmup:1/1`, ...ITEMS.map((_, i) => `${role}:measure:${i + 1}/${ITEMS.length}`)];
      expect(shape).toEqual([...expected('specialized'), ...expected('general')]);

      // What the document stores passes the proposed schema (the caller adds the model's identity).
      const identity = { revision: null, sha256: null, dtype: 'fp32', taskSet: { id: 'sentiment-en', version: SET.version, language: 'en' } } as const;
      for (const [model, run, promptVersion] of [['distilbert-sst2', r.specialized, null], ['qwen2.5-0.5b-instruct', r.general, r.promptVersion]] as const) {
        expect(parseRealModelRecord({ ...identity, model, promptVersion, sessionMedianMs: run.sessionMedianMs, ...raceRecordFields(run) })).toMatchObject({ ok: true });
      }
      // A reply that is only end-of-sequence decodes to '' (the tokenizer refuses an empty list).
      expect(generator.decode([])).toBe('');

      // The live box: both answers for one sentence, the same as in the race (deterministic models).
      const one = await answerOne({ classifier, generator }, ITEMS[0]!.text, 'en', maxNewTokens);
      expect(one.specialized.label).toBe(r.specialized.items[0]!.label);
      expect(one.general).toMatchObject({ label: r.general.items[0]!.label, raw: r.general.items[0]!.raw, tokensIn: r.general.items[0]!.tokensIn });
      expect(one.general.ms).toBeGreaterThan(0);
    } finally {
      await classifier.release();
      await generator.release();
    }
  });
});

/** Fakes: a classifier that answers the gold label except where told, a generator with fixed replies. */
function fakeClassifier(wrong: ReadonlySet<string> = new Set(), ep: 'wasm' | 'webgpu' = 'wasm'): RaceClassifier & { calls: number } {
  const gold = new Map(ITEMS.map((it) => [it.text, it]));
  const fake = {
    ep, calls: 0,
    labels: new Map([[0, 'NEGATIVE'], [1, 'POSITIVE']]),
    classify(t: string): Promise<Classification> {
      fake.calls++;
      const it = gold.get(t)!;
      const positive = (it.label === 'positive') !== wrong.has(it.id);
      return Promise.resolve({ labelId: positive ? 1 : 0, label: positive ? 'POSITIVE' : 'NEGATIVE', logits: positive ? [-1, 1] : [1, -1], tokens: t.split(' ').length + 2, runMs: 0.5 });
    },
  };
  return fake;
}

function fakeGenerator(replies: ReadonlyMap<string, string>, ep: 'wasm' | 'webgpu' = 'wasm'): RaceGenerator & { calls: number } {
  const byText = new Map(ITEMS.map((it) => [it.text, it.id]));
  const fake = {
    ep, calls: 0,
    generate(messages: Array<{ content: string }>): Promise<GenerateResult> {
      fake.calls++;
      const review = /Review: (.*)\n/.exec(messages[1]!.content)![1]!;
      const reply = replies.get(byText.get(review)!) ?? 'Positive';
      const out = reply.split(' ').length + 1;
      return Promise.resolve({
        reply, promptIds: [1, 2, 3], outputIds: Array.from({ length: out }, (_, i) => i), tokensIn: 30, tokensOut: out, stop: 'eos',
        prefillMs: 2, stepMs: Array.from({ length: out - 1 }, () => 1),
      });
    },
  };
  return fake;
}

const REPLIES = new Map([
  ['en-001', 'Positive.'], // gold positive: correct
  ['en-002', 'positive or negative?'], // unparseable (both named)
  ['en-003', 'The sentiment is negative'], // gold negative: correct
  ['en-004', 'not positive'], // unparseable (negated)
  ['en-005', ''], // unparseable (empty)
  ['en-006', 'Négatif'], // gold positive: wrong
  ['en-007', 'I cannot tell'], // unparseable (no label)
  ['en-008', 'negative'], // correct
  ['en-009', 'POSITIVE'], // correct
  ['en-010', 'positive'], // correct
]);

describe('the race with fakes', () => {
  test('parse failures and accuracy are counted exactly; raw replies are kept', async () => {
    const r = await runRealRace({ classifier: fakeClassifier(new Set(['en-003', 'en-004'])), generator: fakeGenerator(REPLIES) }, ITEMS, { language: 'en', warmup: 0 });
    expect(r.general.parseFailures).toBe(4);
    expect(r.general.accuracy).toMatchObject({ correct: 5, n: 10, parseFailures: 4, low: wilson(5, 10).low, high: wilson(5, 10).high });
    expect(r.general.items.map((it) => it.raw)).toEqual(ITEMS.map((it) => REPLIES.get(it.id)));
    expect(r.general.items[5]!.label).toBe('negative');
    expect(r.specialized.accuracy).toMatchObject({ correct: 8, n: 10, parseFailures: 0 });
    expect(r.specialized.parseFailures).toBe(0);
    // irony: en-004 (general unparseable, classifier wrong) and en-010 (both right).
    expect(r.general.accuracyByDifficulty.irony).toMatchObject({ correct: 1, n: 2, parseFailures: 1 });
    expect(r.specialized.accuracyByDifficulty.irony).toMatchObject({ correct: 1, n: 2 });
    expect(r.general.tokens).toMatchObject({ inputMedian: 30, inputTotal: 300 });
    // 1 + words tokens per reply: decode steps = tokens − 1, each 1 ms → 1000 tokens/s.
    expect(r.general.tokensPerSecond?.prefill).toBeCloseTo(30 / 0.002, 6);
    expect(r.general.tokensPerSecond?.decode).toBeCloseTo(1000, 6);
    expect(r.specialized.timing.warmup).toBe(0);
    expect(r.specialized.timing.samplesMs).toHaveLength(10);
  });

  test('agreement with the WASM reference on WebGPU; not measured without one', async () => {
    const reference = await runRealRace({ classifier: fakeClassifier(), generator: fakeGenerator(REPLIES) }, ITEMS, { language: 'en', warmup: 0 });
    const changed = new Map(REPLIES);
    changed.set('en-002', 'positive'); // unparseable → positive: a disagreement
    changed.set('en-005', 'I have no idea'); // unparseable → unparseable: agreement
    const gpu = await runRealRace(
      { classifier: fakeClassifier(new Set(['en-009']), 'webgpu'), generator: fakeGenerator(changed, 'webgpu') }, ITEMS,
      { language: 'en', warmup: 0, reference: { specialized: scoredAnswers(reference.specialized), general: scoredAnswers(reference.general) } },
    );
    expect(gpu.specialized.agreement).toEqual({ measured: true, agree: 9, n: 10, rate: 0.9, disagreements: ['en-009'] });
    expect(gpu.general.agreement).toEqual({ measured: true, agree: 9, n: 10, rate: 0.9, disagreements: ['en-002'] });
    expect(raceRecordFields(gpu.general)).toMatchObject({ executionProvider: 'webgpu', answer: 'generation', parseFailures: 3, agreement: { measured: true, agree: 9, n: 10 } });
    expect(raceRecordFields(reference.specialized).agreement).toEqual({ measured: false, reason: 'is-reference' });
    const alone = await runRealRace({ classifier: fakeClassifier(new Set(), 'webgpu'), generator: fakeGenerator(REPLIES, 'webgpu') }, ITEMS, { language: 'en', warmup: 0 });
    expect(alone.general.agreement).toEqual({ measured: false, reason: 'reference-not-run' });
  });

  test('agreementRun compares the first 20 items of the reference', () => {
    const ids = Array.from({ length: 30 }, (_, i) => `en-${String(i + 1).padStart(3, '0')}`);
    const wasm: ScoredAnswer[] = ids.map((id) => ({ id, label: 'positive' }));
    const gpu: ScoredAnswer[] = ids.map((id, i) => ({ id, label: i === 3 || i >= 25 ? 'negative' : 'positive' }));
    expect(agreementRun(gpu, wasm)).toEqual({ agree: 19, n: 20, rate: 0.95, disagreements: ['en-004'] });
  });

  test('cancel stops between items and throws RunCancelledError, nothing partial', async () => {
    const controller = new AbortController();
    const classifier = fakeClassifier();
    const generator = fakeGenerator(REPLIES);
    const events: RaceProgress[] = [];
    const run = runRealRace({ classifier, generator }, ITEMS, {
      language: 'en', warmup: 1, signal: controller.signal,
      onProgress: (p) => {
        events.push(p);
        if (p.role === 'general' && p.phase === 'measure' && p.index === 3) controller.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(RunCancelledError);
    expect(classifier.calls).toBe(11);
    expect(generator.calls).toBe(1 + 3);
    expect(events.at(-1)).toMatchObject({ role: 'general', phase: 'measure', index: 3, id: 'en-003' });
    // Already aborted: nothing runs.
    const idle = fakeClassifier();
    await expect(runRealRace({ classifier: idle, generator }, ITEMS, { language: 'en', warmup: 1, signal: AbortSignal.abort() })).rejects.toBeInstanceOf(RunCancelledError);
    expect(idle.calls).toBe(0);
  });

  test('pre-heat keeps warming up until its time has passed, and records it', async () => {
    const slow = fakeClassifier();
    const classify = slow.classify.bind(slow);
    slow.classify = async (t) => {
      await new Promise((r) => setTimeout(r, 5));
      return classify(t);
    };
    // No warm-up count asked: the pre-heat alone runs (excluded) queries until 30 ms have passed.
    const r = await runRealRace({ classifier: slow, generator: fakeGenerator(REPLIES) }, ITEMS, { language: 'en', warmup: 0, preheatMs: 30 });
    expect(r.specialized.timing.warmup).toBeGreaterThanOrEqual(1);
    expect(r.specialized.timing.preheatMs).toBeGreaterThanOrEqual(30);
    expect(slow.calls).toBe(r.specialized.timing.warmup + ITEMS.length);
  });

  test('tab hidden: each query waits until visible; a measured query during which it was hidden is retaken and flagged', async () => {
    // Hidden before the specialized model's warm-up (it waits; not flagged), then during the general model's second measured query.
    const control = new RunControl();
    const classifier = fakeClassifier();
    const generator = fakeGenerator(REPLIES);
    const gen = generator.generate.bind(generator);
    let hideOnCall = -1;
    generator.generate = async (m, o) => {
      // Hidden while the query runs, visible again at once (a quick tab switch).
      if (generator.calls + 1 === hideOnCall) {
        control.setHidden(true);
        control.setHidden(false);
      }
      return gen(m, o);
    };
    const events: RaceProgress[] = [];
    control.setHidden(true);
    const run = runRealRace({ classifier, generator }, ITEMS, {
      language: 'en', warmup: 1, visibility: control,
      onProgress: (p) => {
        events.push(p);
        if (p.role === 'specialized' && p.phase === 'warmup') hideOnCall = 1 + 2; // the general model's warm-up, then measured query 2
      },
    });
    // Waiting for the tab: nothing ran while it was hidden.
    await new Promise((r) => setTimeout(r, 5));
    expect(classifier.calls).toBe(0);
    control.setHidden(false);
    const r = await run;
    expect(r.specialized.timing.flags).not.toContain('tab-hidden');
    expect(r.general.timing.flags).toContain('tab-hidden');
    // The hidden query was taken again: one extra call, still one sample per item, in order.
    expect(classifier.calls).toBe(1 + ITEMS.length);
    expect(generator.calls).toBe(1 + ITEMS.length + 1);
    expect(r.general.timing.samplesMs).toHaveLength(ITEMS.length);
    expect(r.general.items.map((it) => it.id)).toEqual(ITEMS.map((it) => it.id));
    expect(events.filter((e) => e.role === 'general' && e.phase === 'measure').map((e) => e.index)).toEqual(ITEMS.map((_, i) => i + 1));
  });

  test('tab hidden during more queries than there are items: TabHiddenError, as in the synthetic race; cancel while waiting: RunCancelledError', async () => {
    const control = new RunControl();
    const classifier = fakeClassifier();
    const classify = classifier.classify.bind(classifier);
    classifier.classify = async (t) => {
      control.setHidden(true);
      control.setHidden(false);
      return classify(t);
    };
    await expect(runRealRace({ classifier, generator: fakeGenerator(REPLIES) }, ITEMS, { language: 'en', warmup: 0, visibility: control })).rejects.toBeInstanceOf(TabHiddenError);
    // The first query, then as many retakes as there are items, then the one that ends it.
    expect(classifier.calls).toBe(1 + ITEMS.length);

    const waiting = new RunControl();
    waiting.setHidden(true);
    const idle = fakeClassifier();
    const run = runRealRace({ classifier: idle, generator: fakeGenerator(REPLIES) }, ITEMS, { language: 'en', warmup: 0, visibility: waiting });
    waiting.cancel();
    await expect(run).rejects.toBeInstanceOf(RunCancelledError);
    expect(idle.calls).toBe(0);
  });

  test('bad options are refused before anything runs', async () => {
    const c = fakeClassifier();
    const g = fakeGenerator(REPLIES);
    await expect(runRealRace({ classifier: c, generator: g }, ITEMS.slice(0, 1), { language: 'en', warmup: 0 })).rejects.toThrow(RangeError);
    await expect(runRealRace({ classifier: c, generator: g }, [ITEMS[0]!, ITEMS[0]!], { language: 'en', warmup: 0 })).rejects.toThrow(/unique/);
    await expect(runRealRace({ classifier: c, generator: g }, ITEMS, { language: 'en', warmup: -1 })).rejects.toThrow(RangeError);
    await expect(runRealRace({ classifier: c, generator: g }, ITEMS, { language: 'en', warmup: 0, maxNewTokens: 0 })).rejects.toThrow(RangeError);
    expect(c.calls + g.calls).toBe(0);
    await expect(answerOne({ classifier: c, generator: g }, '  ', 'en')).rejects.toThrow(RangeError);
    expect(DEFAULT_MAX_NEW_TOKENS).toBeGreaterThanOrEqual(4);
  });

  test('scoring agrees with the record: accuracy() over scoredAnswers', async () => {
    const r = await runRealRace({ classifier: fakeClassifier(), generator: fakeGenerator(REPLIES) }, ITEMS, { language: 'en', warmup: 0 });
    expect(accuracy(ITEMS, scoredAnswers(r.general))).toEqual(r.general.accuracy);
  });
});
