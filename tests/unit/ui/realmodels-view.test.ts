// @vitest-environment happy-dom
/**
 * The real-models views with a fake session: the switch writes `models=real`; sizes are shown
 * before anything downloads; a bad model id says so and blocks the race; download progress shows
 * bytes, rate and time left; cancel keeps what arrived and offers to resume; forgetting asks
 * first; the results show the interval, the per-correct figure and the ratios; the own sentence
 * gets both answers with time and energy.
 */
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { mountPoint, READY_CAPS, until } from './helpers.ts';
import { fakeClient, FIXTURE_BY_DIFFICULTY, fixtureDoc, fixtureOutput, progress } from './realmodels-fixture.ts';

vi.mock('../../../src/lab/client.ts', async () => (await import('./helpers.ts')).fakeClientModule());

const { lang } = await import('../../../src/i18n/index.ts');
const { location, parseHash } = await import('../../../src/ui/router.ts');
const { capsState } = await import('../../../src/ui/state.ts');
const { ModelsSwitch } = await import('../../../src/ui/realmodels/ModelsSwitch.tsx');
const { hashWithMode, modelsMode, REAL_PARAMS } = await import('../../../src/ui/realmodels/mode.ts');
const { parseCustomParams } = await import('../../../src/lab/custom.ts');
const { RealModelsPanel } = await import('../../../src/ui/realmodels/RealModelsPanel.tsx');
const { RealResults } = await import('../../../src/ui/realmodels/RealResults.tsx');
const { OwnSentence } = await import('../../../src/ui/realmodels/OwnSentence.tsx');
const { RealDemo } = await import('../../../src/ui/realmodels/RealDemo.tsx');
const rm = await import('../../../src/ui/realmodels/state.ts');

const mounted = mountPoint();
let root: HTMLElement;
let fake: ReturnType<typeof fakeClient>;

function go(hash: string): void {
  window.location.hash = hash;
  location.value = parseHash(hash);
}

const text = (id: string) => root.querySelector(`[data-testid="${id}"]`)?.textContent ?? '';
const button = (id: string) => root.querySelector(`[data-testid="${id}"]`) as HTMLButtonElement;

beforeEach(() => {
  root = mounted();
  lang.value = 'en';
  capsState.value = READY_CAPS as never;
  fake = fakeClient();
  rm.setRealModelsClient(fake.client);
  rm.choice.value = rm.DEFAULT_CHOICE;
  rm.sizes.value = { kind: 'idle' };
  rm.race.value = { kind: 'idle' };
  rm.ownAnswers.value = { kind: 'idle' };
  rm.cacheFiles.value = null;
});

describe('the synthetic / real switch', () => {
  test('writes models=real into the address, keeps the other parameters, and removes it again', async () => {
    go('#/demo?preset=ci&lang=en');
    render(h(ModelsSwitch, { disabled: false }), root);
    const real = root.querySelector('[data-testid="models-real"]') as HTMLInputElement;
    expect(real.type).toBe('radio');
    expect((root.querySelector('[data-testid="models-synthetic"]') as HTMLInputElement).checked).toBe(true);
    await act(() => real.click());
    expect(modelsMode(location.value.params)).toBe('real');
    expect(location.value.route).toBe('demo');
    expect(location.value.params.get('preset')).toBe('ci');
    expect(window.location.hash).toContain('models=real');
    await act(() => (root.querySelector('[data-testid="models-synthetic"]') as HTMLInputElement).click());
    expect(location.value.params.has('models')).toBe(false);
    expect(hashWithMode('#/', 'real')).toBe('#/?models=real');
    expect(hashWithMode('#/?models=real&lang=fr', 'synthetic')).toBe('#/?lang=fr');
  });

  test("switching back to synthetic removes the real race's parameters, so preset=custom reads only its own", async () => {
    go('#/?preset=custom&g.layers=3&lang=en');
    render(h(ModelsSwitch, { disabled: false }), root);
    await act(() => (root.querySelector('[data-testid="models-real"]') as HTMLInputElement).click());
    // Every parameter the real race writes, the pupils' link included, is on the one list.
    const chosen = { classifierId: 'someone/classifier', classifierDtype: 'quantized', generatorId: 'someone/chat', generatorDtype: 'q4', base: '/models/', items: 4 } as const;
    rm.writeChoiceToAddress(chosen);
    const written = [...new URLSearchParams(window.location.hash.split('?')[1]).keys(), ...Object.keys(rm.pupilParams(chosen, { items: 4, maxNewTokens: 2 }, 'http://class.example/'))];
    expect(written).toEqual(expect.arrayContaining(['classifier', 'classifierDtype', 'generator', 'generatorDtype', 'base', 'items', 'maxNewTokens']));
    const own = new Set(['models', 'preset', 'g.layers', 'lang']);
    expect(written.filter((k) => !own.has(k) && !(REAL_PARAMS as readonly string[]).includes(k))).toEqual([]);
    go(`${window.location.hash}&maxNewTokens=2`);
    expect(parseCustomParams(location.value.params).ok).toBe(false);
    await act(() => (root.querySelector('[data-testid="models-synthetic"]') as HTMLInputElement).click());
    expect(window.location.hash).toBe('#/?preset=custom&g.layers=3&lang=en');
    expect(parseCustomParams(location.value.params)).toMatchObject({ ok: true });
  });
});

describe('the model panel', () => {
  test('shows each file with its size and what is already downloaded, and the start button says what will be downloaded', async () => {
    go('#/?models=real');
    render(h(RealModelsPanel, {}), root);
    await until(() => rm.sizes.value.kind === 'ready' && rm.cacheFiles.value !== null);
    expect(fake.client.run).not.toHaveBeenCalled();
    expect(text('size-classifier')).toContain('onnx/model.onnx');
    expect(text('size-classifier')).toContain('67 MB');
    expect(text('size-classifier')).toContain('already downloaded');
    expect(text('size-classifier')).toContain('Total 68 MB');
    expect(text('size-generator')).toContain('483 MB');
    // 67 MB + 1 MB + 483 MB still to fetch.
    expect(button('rm-start').textContent).toBe('Download 551 MB and run');
    expect(text('rm-cache')).toContain('Downloaded models in this browser: 1 MB (1 file).');
  });

  test('a custom model id that is not owner/name is refused with a clear error, and the race cannot start', async () => {
    render(h(RealModelsPanel, {}), root);
    const input = root.querySelector('[data-testid="rm-generatorId"]') as HTMLInputElement;
    input.value = '../../etc/passwd';
    await act(() => void input.dispatchEvent(new Event('change')));
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(text('rm-generatorId-error')).toContain('"../../etc/passwd" is not a model id');
    expect(button('rm-start').disabled).toBe(true);
    const base = root.querySelector('[data-testid="rm-base"]') as HTMLInputElement;
    base.value = 'ftp://teacher/models/';
    await act(() => void base.dispatchEvent(new Event('change')));
    expect(text('rm-base-error')).toContain('not a web address');
  });

  test('forgetting downloaded models asks first, then empties the cache', async () => {
    render(h(RealModelsPanel, {}), root);
    await until(() => rm.cacheFiles.value !== null);
    await act(() => button('forget').click());
    expect(fake.client.forget).not.toHaveBeenCalled();
    expect(text('rm-cache')).toContain('Delete every downloaded model file');
    await act(() => button('forget-no').click());
    expect(fake.client.forget).not.toHaveBeenCalled();
    await act(() => button('forget').click());
    await act(() => button('forget-yes').click());
    await until(() => rm.cacheFiles.value?.length === 0);
    expect(fake.client.forget).toHaveBeenCalledTimes(1);
    expect(text('rm-cache')).toContain('No model is downloaded in this browser yet.');
  });

  test('a race started while "forget" asks for confirmation disables the "yes": nothing is forgotten under its downloads', async () => {
    render(h(RealModelsPanel, {}), root);
    await until(() => rm.cacheFiles.value !== null);
    await act(() => button('forget').click());
    expect(button('forget-yes').disabled).toBe(false);
    const lane = { stage: 'waiting', answered: 0, of: 0, lastMs: null } as const;
    await act(() => {
      rm.race.value = { kind: 'running', download: {}, lanes: { specialized: lane, general: lane }, replica: null };
    });
    expect(button('forget-yes').disabled).toBe(true);
    await act(() => button('forget-yes').click());
    expect(fake.client.forget).not.toHaveBeenCalled();
  });
});

describe('the race', () => {
  test('download progress shows bytes, rate and time left, and the storage-full warning; answers tick', async () => {
    render(h(RealModelsPanel, {}), root);
    await until(() => rm.sizes.value.kind === 'ready');
    await act(() => button('rm-start').click());
    expect(fake.request()?.models.generator).toEqual({ task: 'generator', id: 'onnx-community/Qwen2.5-0.5B-Instruct', dtype: 'q4f16' });
    expect(fake.request()?.reference).toBe(true);
    await act(() => fake.progress({ phase: 'download', model: 'generator', progress: progress({ received: 50e6, total: 200e6, rate: 10e6, etaS: 15, notCached: ['onnx/model_q4f16.onnx'] }) }));
    expect(text('download-generator-line')).toBe('50 MB of 200 MB · 10 MB/s · 15 s left');
    expect(text('not-cached-generator')).toContain('onnx/model_q4f16.onnx will be downloaded again next time');
    expect((root.querySelector('[data-testid="download-generator"] progress') as HTMLProgressElement).value).toBe(50e6);
    await act(() => fake.progress({ phase: 'race', ep: 'webgpu', progress: { role: 'general', phase: 'measure', index: 3, of: 40, ms: 412 } }));
    expect(text('rm-lane-general')).toContain('3 of 40 answered · last 412 ms');
    // The WASM reference's progress is not the race the lanes show.
    await act(() => fake.progress({ phase: 'race', ep: 'wasm', progress: { role: 'general', phase: 'measure', index: 1, of: 20, ms: 900 } }));
    expect(text('rm-lane-general')).toContain('3 of 40 answered');
    expect(button('rm-start').disabled).toBe(true);
  });

  test('cancel stops the race; what arrived is kept and the button offers to resume', async () => {
    render(h(RealModelsPanel, {}), root);
    await until(() => rm.sizes.value.kind === 'ready');
    await act(() => button('rm-start').click());
    await act(() => fake.progress({ phase: 'download', model: 'classifier', progress: progress({ received: 20e6, total: 67e6 }) }));
    await act(() => button('rm-cancel').click());
    expect(fake.client.cancel).toHaveBeenCalledTimes(1);
    await act(() => fake.reject({ name: 'DownloadCancelledError', message: 'cancelled after 20000000 bytes' }));
    await until(() => rm.race.value.kind === 'cancelled' && rm.sizes.value.kind === 'ready');
    expect(text('rm-cancelled')).toContain('What was downloaded is kept');
    expect(root.querySelector('[data-testid="rm-error"]')).toBeNull();
    expect(button('rm-start').textContent).toBe('Resume the download (551 MB left) and run');
    expect(button('rm-start').disabled).toBe(false);
  });

  test('a failure is named with its hint', async () => {
    render(h(RealModelsPanel, {}), root);
    await until(() => rm.sizes.value.kind === 'ready');
    await act(() => button('rm-start').click());
    await act(() => fake.reject({ name: 'DownloadHttpError', message: 'The server answered 404 Not Found.' }));
    await until(() => root.querySelector('[data-testid="rm-error"]') !== null);
    const card = root.querySelector('[data-testid="rm-error"]')!;
    expect(card.getAttribute('data-error-name')).toBe('DownloadHttpError');
    expect(card.textContent).toContain('404 Not Found');
    expect(card.textContent).toContain('the model id, variant or base URL is wrong');
    lang.value = 'fr';
    await act(() => undefined);
    expect(root.querySelector('[data-testid="rm-error"]')!.textContent).toContain('identifiant, variante ou adresse de base erronés');
  });

  test('the demo lanes follow the real race', async () => {
    go('#/demo?models=real');
    render(h(RealDemo, {}), root);
    await until(() => rm.sizes.value.kind === 'ready');
    await act(() => button('rm-start').click());
    await act(() => fake.progress({ phase: 'load', model: 'classifier', ep: 'webgpu' }));
    expect(text('rm-demo-lane-specialized')).toContain('loading on the GPU');
    await act(() => fake.progress({ phase: 'race', ep: 'webgpu', progress: { role: 'specialized', phase: 'measure', index: 10, of: 40, ms: 9 } }));
    const track = root.querySelector('[data-testid="rm-demo-lane-specialized"] [role="progressbar"]')!;
    expect(track.getAttribute('aria-valuenow')).toBe('55');
    await act(() => fake.resolve({ doc: fixtureDoc(), output: fixtureOutput() }));
    await until(() => rm.race.value.kind === 'done');
    expect(text('rm-demo-lane-specialized')).toContain('34 of 40 correct');
    expect(text('rm-demo-gap')).toBe('Per correct answer: ×24 (4.3–140).');
  });

  test('after the race, the results, the storage-full warning and the own-sentence box are shown', async () => {
    render(h(RealModelsPanel, {}), root);
    await until(() => rm.sizes.value.kind === 'ready');
    await act(() => button('rm-start').click());
    await act(() => fake.resolve({ doc: fixtureDoc(), output: fixtureOutput() }));
    await until(() => rm.race.value.kind === 'done');
    expect(root.querySelector('[data-testid="rm-results"]')).not.toBeNull();
    expect(root.querySelector('[data-testid="rm-own"]')).not.toBeNull();
    expect(text('rm-not-cached')).toContain('onnx/model_q4f16.onnx will be downloaded again next time');
  });
});

describe('results', () => {
  test('accuracy with its interval and n, per-correct energy, the gap ratios and real/synthetic ratios', () => {
    render(h(RealResults, { doc: fixtureDoc(), output: fixtureOutput() }), root);
    const cell = (row: string, role: string) => root.querySelector(`[data-testid="rm-row-${row}"] td[data-role="${role}"]`)?.textContent ?? '';
    // Wilson 95 % of 34/40: 70.9–92.9 %; of 28/40: 54.6–81.9 %.
    expect(cell('accuracy', 'specialized')).toBe('34 of 40 correct (85 %; 95 % interval 70.9–92.9 %)');
    expect(cell('accuracy', 'general')).toBe('28 of 40 correct (70 %; 95 % interval 54.6–81.9 %)');
    expect(cell('parse', 'general')).toBe('3 of 40 replies named neither label (counted as wrong)');
    expect(cell('agreement', 'general')).toContain('19 of the first 20 sentences (95 %)');
    expect(cell('time', 'general')).toBe('400 ms (p10–p90 360–480)');
    expect(cell('tokens', 'general')).toBe('61 / 2');
    expect(cell('rates', 'general')).toBe('850 / 42 tokens/s');
    expect(cell('energy', 'specialized')).toBe('200 mJ (100–400)');
    expect(cell('perCorrect', 'specialized')).toBe('240 mJ (110–560)');
    expect(cell('perCorrect', 'general')).toBe('5.7 J (2.4–15)');
    // 6 ms ÷ 4 ms and 300 ms ÷ 120 ms.
    expect(cell('synthetic', 'specialized')).toBe('×1.5 (6 ms vs 4 ms)');
    expect(cell('synthetic', 'general')).toBe('×2.5 (300 ms vs 120 ms)');
    expect(text('rm-ratio')).toBe('Energy per query, general ÷ specialized model: ×20 (10–40).');
    expect(text('rm-ratio-correct')).toBe('Per correct answer: ×24 (4.3–140).');
    // The chart says the same in words, and points at the table.
    const chart = root.querySelector('[data-testid="rm-chart-accuracy"]')!;
    expect(chart.getAttribute('aria-label')).toContain('Specialized');
    expect(chart.getAttribute('aria-label')).toContain('85 % (70.9–92.9 %)');
    expect(chart.getAttribute('aria-describedby')).toBe('rm-table');
    // The raw replies stay local, in a closed list.
    const replies = root.querySelector('[data-testid="rm-replies"]') as HTMLDetailsElement;
    expect(replies.open).toBe(false);
    expect(replies.textContent).toContain('It depends on the reader.');
    expect(replies.textContent).toContain('never uploaded');
  });

  test('without a replica or an accuracy above zero, the figures say why instead of showing a number', () => {
    const doc = fixtureDoc();
    doc.workloads = doc.workloads.filter((w) => w.kind === 'real-model');
    doc.energy!.perQuery.general.perCorrect = { available: false, reason: 'no-correct-answers' };
    render(h(RealResults, { doc, output: null }), root);
    const cell = (row: string, role: string) => root.querySelector(`[data-testid="rm-row-${row}"] td[data-role="${role}"]`)?.textContent ?? '';
    expect(cell('synthetic', 'general')).toBe('no synthetic replica in this run');
    expect(cell('perCorrect', 'general')).toBe('No correct answer, so there is no energy per correct answer.');
    expect(root.querySelector('[data-testid="rm-replies"]')).toBeNull();
  });
});

describe('accuracy by kind of sentence', () => {
  const row = (d: string, role: string) => root.querySelector(`[data-testid="rm-diff-row-${d}"] td[data-role="${role}"]`)?.textContent ?? '';
  const col = (d: string, role: string) => root.querySelector(`[data-testid="rm-chart-difficulty"] [data-difficulty="${d}"] [data-role="${role}"]`) as HTMLElement;

  test('one group per kind answered, one bar per model: height the rate, the whisker its 95 % Wilson interval, n under it; the table says the same', () => {
    render(h(RealResults, { doc: fixtureDoc(), output: fixtureOutput() }), root);
    // Irony, specialized model: 1 of 2, Wilson 95 % 9.45–90.5 %.
    const irony = FIXTURE_BY_DIFFICULTY.specialized.irony!;
    expect([irony.low, irony.high].map((x) => +x.toFixed(4))).toEqual([0.0945, 0.9055]);
    const bar = col('irony', 'specialized');
    expect((bar.querySelector('.rm-diff-bar') as HTMLElement).style.height).toBe('50.00%');
    const whisker = bar.querySelector('.rm-diff-whisker') as HTMLElement;
    expect([whisker.style.bottom, whisker.style.height]).toEqual([`${(irony.low * 100).toFixed(2)}%`, `${((irony.high - irony.low) * 100).toFixed(2)}%`]);
    expect([whisker.style.bottom, whisker.style.height]).toEqual(['9.45%', '81.09%']);
    expect(bar.textContent).toBe('n = 2');
    expect((col('irony', 'general').querySelector('.rm-diff-bar') as HTMLElement).style.height).toBe('100.00%');
    expect((col('negation', 'general').querySelector('.rm-diff-bar') as HTMLElement).style.height).toBe(`${((6 / 12) * 100).toFixed(2)}%`);
    // Kinds nobody answered are left out, in the chart and the table; the task's order is kept.
    const groups = [...root.querySelectorAll('[data-testid="rm-chart-difficulty"] [data-difficulty]')].map((g) => g.getAttribute('data-difficulty'));
    expect(groups).toEqual(['plain', 'negation', 'irony', 'mixed']);
    expect(root.querySelector('[data-testid="rm-diff-row-comparison"]')).toBeNull();
    // The table is the text alternative: every figure in words.
    expect(row('irony', 'specialized')).toBe('1 of 2 correct (50 %; 95 % interval 9.45–90.5 %)');
    expect(row('irony', 'general')).toBe('2 of 2 correct (100 %; 95 % interval 34.2–100 %)');
    expect(root.querySelector('[data-testid="rm-diff-row-irony"] th')?.textContent).toBe('irony');
    const chart = root.querySelector('[data-testid="rm-chart-difficulty"]')!;
    expect(chart.getAttribute('role')).toBe('img');
    expect(chart.getAttribute('aria-describedby')).toBe('rm-diff-table');
    expect(root.querySelector('#rm-diff-table')).not.toBeNull();
    expect(chart.getAttribute('aria-label')).toContain('irony: Specialized model 50 % (9.45–90.5 %, n = 2), General model 100 % (34.2–100 %, n = 2)');
    expect(text('rm-difficulty-not-kept')).toBe('');
  });

  test('in French, with the task\'s words for each kind', () => {
    lang.value = 'fr';
    render(h(RealResults, { doc: fixtureDoc(), output: fixtureOutput() }), root);
    expect(root.querySelector('[data-testid="rm-diff-row-irony"] th')?.textContent).toBe('ironie');
    expect(row('irony', 'specialized')).toContain('justes : 1 sur 2');
    expect(root.querySelector('#rm-diff-h')?.textContent).toBe('Où chaque modèle se trompe : exactitude par type de phrase');
  });

  test('a stored result has no per-sentence answers: no chart, a line that says why', () => {
    render(h(RealResults, { doc: fixtureDoc(), output: null }), root);
    expect(root.querySelector('[data-testid="rm-difficulty"]')).toBeNull();
    expect(text('rm-difficulty-not-kept')).toContain('keeps no per-sentence answers');
  });
});

describe('type your own sentence', () => {
  test('both models answer with their time and energy (time × the run profile)', async () => {
    render(h(OwnSentence, { doc: fixtureDoc() }), root);
    const box = root.querySelector('[data-testid="own-text"]') as HTMLTextAreaElement;
    expect(button('own-submit').disabled).toBe(true);
    box.value = 'The battery died after a week.';
    await act(() => void box.dispatchEvent(new Event('input')));
    await act(() => button('own-submit').click());
    await until(() => rm.ownAnswers.value.kind === 'done');
    expect(fake.client.answer).toHaveBeenCalledWith('The battery died after a week.', 'en');
    expect(text('own-specialized-label')).toBe('negative');
    // 50 ms against a 10 ms median: 5 × (0.1, 0.2, 0.4) J.
    expect(text('own-specialized-cost')).toBe('50 ms · ≈ 1 J (0.5–2)');
    // 200 ms against a 400 ms median: 0.5 × (2, 4, 8) J.
    expect(text('own-general-cost')).toBe('200 ms · ≈ 2 J (1–4)');
    expect(text('own-general')).toContain('Negative.');
  });
});
