// @vitest-environment happy-dom
/**
 * The real-models race in a classroom, with a fake session: the panel sizes a typed id or base
 * only once it is valid and stays put (never per keystroke) and drops a stale ask; `base=` is
 * read from the address and written back; the pair found on the page's own server under
 * `/models/` is used before any size is asked ("served by this machine"); the pupils' link
 * carries the real race with an absolute base; the race is announced in the app's live region.
 */
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { ModelSize } from '../../../src/lab/model-download.ts';
import type { ModelRef } from '../../../src/lab/model-files.ts';
import { mountPoint, READY_CAPS, until } from './helpers.ts';
import { fakeClient, fixtureDoc, fixtureOutput, size } from './realmodels-fixture.ts';

vi.mock('../../../src/lab/client.ts', async () => (await import('./helpers.ts')).fakeClientModule());

const { lang, t } = await import('../../../src/i18n/index.ts');
const { location, parseHash } = await import('../../../src/ui/router.ts');
const { capsState, realAnnouncement } = await import('../../../src/ui/state.ts');
const { RealModelsPanel } = await import('../../../src/ui/realmodels/RealModelsPanel.tsx');
const { RealDemo } = await import('../../../src/ui/realmodels/RealDemo.tsx');
const { ClassDialog } = await import('../../../src/ui/demo/ClassDialog.tsx');
const { pupilHref } = await import('../../../src/ui/demo/pupil-link.ts');
const { realPupilParams } = await import('../../../src/ui/realmodels/link.ts');
const consent = await import('../../../src/ui/realmodels/consent.ts');
const { liveText } = await import('../../../src/ui/realmodels/live.ts');
const rm = await import('../../../src/ui/realmodels/state.ts');

const mounted = mountPoint();
let root: HTMLElement;
let fake: ReturnType<typeof fakeClient>;
/** The fake's size, seen with its base and signal. */
let sizeSpy: ReturnType<typeof vi.fn<(...args: [ModelRef, string?, AbortSignal?]) => Promise<ModelSize>>>;

function useClient(servedAt?: (refs: readonly ModelRef[], base: string) => Promise<boolean>): void {
  rm.setRealModelsClient({ ...fake.client, size: sizeSpy, ...(servedAt ? { servedAt } : {}) });
}

function go(hash: string): void {
  window.history.replaceState(null, '', hash);
  location.value = parseHash(hash);
}

const q = (id: string) => root.querySelector(`[data-testid="${id}"]`);
const text = (id: string) => q(id)?.textContent ?? '';
const origin = () => window.location.origin;

/** Types `value` into a field one keystroke at a time, `gapMs` apart (fake timers). */
async function typeInto(id: string, value: string, gapMs = 100): Promise<void> {
  const input = q(id) as HTMLInputElement;
  for (let i = 1; i <= value.length; i++) {
    input.value = value.slice(0, i);
    await act(() => void input.dispatchEvent(new Event('input')));
    await vi.advanceTimersByTimeAsync(gapMs);
  }
}

beforeEach(() => {
  root = mounted();
  lang.value = 'en';
  capsState.value = READY_CAPS as never;
  fake = fakeClient();
  sizeSpy = vi.fn((...args: [ModelRef, string?, AbortSignal?]) => fake.client.size(args[0]));
  useClient();
  rm.choice.value = rm.DEFAULT_CHOICE;
  rm.sizes.value = { kind: 'idle' };
  rm.race.value = { kind: 'idle' };
  rm.cacheFiles.value = null;
  consent.resetConsent();
  go('#/?models=real');
});
afterEach(() => {
  vi.useRealTimers();
});

describe('sizes while typing', () => {
  test('no request per keystroke: one ask per model once a valid value has stayed 500 ms, none for an invalid one, at once on Enter', async () => {
    vi.useFakeTimers();
    await act(() => render(h(RealModelsPanel, {}), root));
    await vi.advanceTimersByTimeAsync(0);
    expect(sizeSpy).toHaveBeenCalledTimes(2);
    sizeSpy.mockClear();

    await typeInto('rm-generatorId', 'own/model');
    // Nine keystrokes 100 ms apart: none asked anything.
    expect(sizeSpy).not.toHaveBeenCalled();
    expect(rm.sizes.value.kind).toBe('idle');
    await vi.advanceTimersByTimeAsync(399);
    expect(sizeSpy).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(sizeSpy).toHaveBeenCalledTimes(2);
    expect(sizeSpy.mock.calls.map((c) => c[0].id)).toEqual(['Xenova/distilbert-base-uncased-finetuned-sst-2-english', 'own/model']);
    await vi.advanceTimersByTimeAsync(0);
    expect(rm.sizes.value.kind).toBe('ready');

    // An invalid value is never asked about, however long it stays.
    sizeSpy.mockClear();
    await typeInto('rm-base', 'ftp://x');
    await vi.advanceTimersByTimeAsync(2000);
    expect(sizeSpy).not.toHaveBeenCalled();
    expect(rm.sizes.value.kind).toBe('idle');

    // Enter or leaving the field (change) asks at once, and the pending timer does not ask again.
    const base = q('rm-base') as HTMLInputElement;
    base.value = '/models/';
    await act(() => void base.dispatchEvent(new Event('input')));
    await act(() => void base.dispatchEvent(new Event('change')));
    expect(sizeSpy).toHaveBeenCalledTimes(2);
    expect(sizeSpy.mock.calls.every((c) => c[1] === '/models/')).toBe(true);
    await vi.advanceTimersByTimeAsync(2000);
    expect(sizeSpy).toHaveBeenCalledTimes(2);
  });

  test('a stale ask is aborted and its answer never shown', async () => {
    const asks: { ref: ModelRef; signal: AbortSignal | undefined; resolve: () => void }[] = [];
    sizeSpy.mockImplementation(
      (...[ref, , signal]: [ModelRef, string?, AbortSignal?]) =>
        new Promise<ModelSize>((resolve) => asks.push({ ref, signal, resolve: () => resolve(size([['config.json', ref.id.length, false]])) })),
    );
    const first = rm.refreshSizes({ ...rm.DEFAULT_CHOICE, generatorId: 'own/old' });
    const second = rm.refreshSizes({ ...rm.DEFAULT_CHOICE, generatorId: 'own/newer' });
    expect(asks.map((a) => a.signal?.aborted)).toEqual([true, true, false, false]);
    for (const a of asks) a.resolve();
    await Promise.all([first, second]);
    const s = rm.sizes.value;
    expect(s.kind === 'ready' && s.generator.total).toBe('own/newer'.length);
  });
});

describe('where the files come from', () => {
  test('the pair on this page’s own server: /models/ is used before any size is asked, and the panel says so', async () => {
    const servedAt = vi.fn(async (_refs: readonly ModelRef[], _base: string) => true);
    useClient(servedAt);
    render(h(RealModelsPanel, {}), root);
    await until(() => rm.sizes.value.kind === 'ready');
    expect(servedAt).toHaveBeenCalledTimes(1);
    expect(servedAt.mock.calls[0]![1]).toBe('/models/');
    expect(servedAt.mock.calls[0]![0].map((r) => r.id)).toEqual([rm.DEFAULT_CHOICE.classifierId, rm.DEFAULT_CHOICE.generatorId]);
    // No size was asked of the hub: every one went to /models/.
    expect(sizeSpy.mock.calls.map((c) => c[1])).toEqual(['/models/', '/models/']);
    expect(rm.choice.value.base).toBe('/models/');
    expect((q('rm-base') as HTMLInputElement).value).toBe('/models/');
    expect(text('rm-served-here')).toContain('Served by this machine');
    lang.value = 'fr';
    await act(() => undefined);
    expect(text('rm-served-here')).toContain('Servi par cette machine');
  });

  test('not served here: the hub, and nothing said', async () => {
    useClient(async () => false);
    render(h(RealModelsPanel, {}), root);
    await until(() => rm.sizes.value.kind === 'ready');
    expect(sizeSpy.mock.calls.map((c) => c[1])).toEqual([undefined, undefined]);
    expect(q('rm-served-here')).toBeNull();
  });

  test('base= and the pair in the address are read (no probe); a bad one is ignored; a typed base is written back', async () => {
    const servedAt = vi.fn(async () => true);
    useClient(servedAt);
    go('#/?models=real&base=http%3A%2F%2F192.168.1.10%3A8787%2Fmodels%2F&generatorDtype=q4&classifier=..%2Fetc&items=20');
    render(h(RealModelsPanel, {}), root);
    // Another host than the page's: nothing is asked of it before the visitor agrees (realmodels-consent.test.ts).
    await until(() => q('rm-consent-yes') !== null);
    expect(sizeSpy).not.toHaveBeenCalled();
    await act(() => (q('rm-consent-yes') as HTMLButtonElement).click());
    await until(() => rm.sizes.value.kind === 'ready');
    expect(servedAt).not.toHaveBeenCalled();
    expect(rm.choice.value).toEqual({ ...rm.DEFAULT_CHOICE, base: 'http://192.168.1.10:8787/models/', generatorDtype: 'q4', items: 20 });
    expect(sizeSpy.mock.calls.map((c) => c[1])).toEqual(['http://192.168.1.10:8787/models/', 'http://192.168.1.10:8787/models/']);

    const base = q('rm-base') as HTMLInputElement;
    base.value = '/models/';
    await act(() => void base.dispatchEvent(new Event('input')));
    await act(() => void base.dispatchEvent(new Event('change')));
    const params = location.value.params;
    expect(params.get('base')).toBe('/models/');
    expect(params.get('models')).toBe('real');
    expect(params.get('generatorDtype')).toBe('q4');
    expect(params.get('items')).toBe('20');
    // The bad id stays out of the address; so does a default value.
    expect(params.has('classifier')).toBe(false);
    expect(params.has('classifierDtype')).toBe(false);
    expect(window.location.hash).toContain('base=%2Fmodels%2F');
    expect(rm.choiceFromParams(new URLSearchParams('base=javascript%3Aalert(1)')).base).toBe('');
  });
});

describe('the pupils’ link', () => {
  test('pupilHref adds the real race’s parameters before the class code, and nothing without them', () => {
    const s = { preset: 'ci' as const, lang: 'fr' as const, country: null };
    expect(pupilHref(s, 'ABC234')).toBe('#/?preset=ci&lang=fr&class=ABC234');
    expect(pupilHref(s, null, null)).toBe('#/?preset=ci&lang=fr');
    expect(pupilHref(s, 'ABC234', { models: 'real', base: 'http://192.168.1.10:8787/models/', maxNewTokens: '8' })).toBe(
      '#/?preset=ci&lang=fr&models=real&base=http%3A%2F%2F192.168.1.10%3A8787%2Fmodels%2F&maxNewTokens=8&class=ABC234',
    );
  });

  test('the real parameters: models=real, what differs from the default, and a local base made absolute on the teacher’s origin', () => {
    const page = 'http://192.168.1.10:8787/#/demo?models=real';
    expect(rm.pupilParams(rm.DEFAULT_CHOICE, {}, page)).toEqual({ models: 'real' });
    expect(rm.pupilParams({ ...rm.DEFAULT_CHOICE, base: '/models/', generatorDtype: 'q4', items: 20 }, { maxNewTokens: 8, preset: 'ci' }, page)).toEqual({
      models: 'real',
      generatorDtype: 'q4',
      base: 'http://192.168.1.10:8787/models/',
      items: '20',
      maxNewTokens: '8',
    });
    // Another host the teacher has not agreed to (a crafted link) is left out of the pupils' link.
    const other = { ...rm.DEFAULT_CHOICE, base: 'https://models.school.example/m/', generatorId: 'bad' };
    expect(rm.pupilParams(other, {}, page)).toEqual({ models: 'real' });
    consent.agreeToBase('https://models.school.example/m/', page);
    // Once agreed, another host stays as typed; an invalid id is left out (the pupil gets the default).
    expect(rm.pupilParams({ ...rm.DEFAULT_CHOICE, base: 'https://models.school.example/m/', generatorId: 'bad' }, {}, page)).toEqual({
      models: 'real',
      base: 'https://models.school.example/m/',
    });
  });

  test('the demo’s dialog in real mode: the QR link opens the real race downloading from the teacher’s machine', async () => {
    useClient(async () => true);
    go('#/demo?preset=ci&models=real');
    await act(() => render(h('div', {}, h(RealDemo, {}), h(ClassDialog, { settings: { preset: 'ci', lang: 'en', country: null }, onClose: () => undefined })), root));
    await until(() => rm.sizes.value.kind === 'ready' && realPupilParams.value?.['base'] !== undefined);
    await act(() => undefined);
    const url = new URL(text('class-url'));
    const params = new URLSearchParams(url.hash.split('?')[1]);
    expect(url.hash.startsWith('#/?')).toBe(true);
    expect(params.get('models')).toBe('real');
    expect(params.get('base')).toBe(`${origin()}/models/`);
    expect(text('class-real-from')).toContain(`download them from ${origin()}/models/`);
    // Left, the real views no longer speak for the link.
    render(null, root);
    expect(realPupilParams.value).toBeNull();
  });

  test('a crafted link’s base: the QR link leaves it out and says so until the teacher agrees, then carries it', async () => {
    useClient(async () => false);
    go(`#/demo?preset=ci&models=real&base=${encodeURIComponent('https://elsewhere.example/models/')}`);
    await act(() => render(h('div', {}, h(RealDemo, {}), h(ClassDialog, { settings: { preset: 'ci', lang: 'en', country: null }, onClose: () => undefined })), root));
    await until(() => q('rm-consent-yes') !== null && q('class-real-from') !== null);
    await act(() => undefined);
    const paramsOf = () => new URLSearchParams(new URL(text('class-url')).hash.split('?')[1]);
    expect(paramsOf().get('models')).toBe('real');
    expect(paramsOf().get('base')).toBeNull();
    expect(text('class-url')).not.toContain('elsewhere.example');
    expect(text('class-real-from')).toBe(t('realmodels.class.pending', { host: 'elsewhere.example' }));

    await act(() => (q('rm-consent-yes') as HTMLButtonElement).click());
    await until(() => paramsOf().get('base') !== null);
    expect(paramsOf().get('base')).toBe('https://elsewhere.example/models/');
    expect(text('class-real-from')).toContain('download them from https://elsewhere.example/models/');
  });

  test('the synthetic demo’s link carries no real-race parameter', async () => {
    go('#/demo?preset=ci');
    await act(() => render(h(ClassDialog, { settings: { preset: 'ci', lang: 'en', country: null }, onClose: () => undefined }), root));
    expect(text('class-url')).not.toContain('models=');
    expect(q('class-real-from')).toBeNull();
  });
});

describe('the live region', () => {
  test('one sentence per stage, not per answer or chunk; then the result; cleared when the view goes', async () => {
    render(h(RealModelsPanel, {}), root);
    await until(() => rm.sizes.value.kind === 'ready');
    expect(realAnnouncement.value).toBe('');
    await act(() => (q('rm-start') as HTMLButtonElement).click());
    await act(() => fake.progress({ phase: 'download', model: 'classifier', progress: { file: { path: 'onnx/model.onnx', received: 1, total: 9 }, received: 1, total: 9, rate: null, etaS: null, notCached: [] } }));
    expect(realAnnouncement.value).toBe('Real models: specialized model downloading; general model waiting.');
    await act(() => fake.progress({ phase: 'race', ep: 'webgpu', progress: { role: 'specialized', phase: 'measure', index: 3, of: 40, ms: 9 } }));
    const answering = realAnnouncement.value;
    expect(answering).toBe('Real models: specialized model answering the sentences; general model waiting.');
    await act(() => fake.progress({ phase: 'race', ep: 'webgpu', progress: { role: 'specialized', phase: 'measure', index: 4, of: 40, ms: 8 } }));
    expect(realAnnouncement.value).toBe(answering);
    await act(() => fake.progress({ phase: 'replica', role: 'general', done: 1, of: 2 }));
    expect(realAnnouncement.value).toContain('synthetic replicas');
    await act(() => fake.resolve({ doc: fixtureDoc(), output: fixtureOutput() }));
    await until(() => rm.race.value.kind === 'done');
    expect(realAnnouncement.value).toContain('Real-models race finished');
    expect(realAnnouncement.value).toContain('Specialized model: 34 of 40 correct');
    expect(realAnnouncement.value).toContain('Per correct answer: ×24');
    render(null, root);
    expect(realAnnouncement.value).toBe('');
  });

  test('cancel and failure are said too, in French as well', () => {
    expect(liveText({ kind: 'idle' })).toBe('');
    expect(liveText({ kind: 'cancelled', download: {} })).toContain('What was downloaded is kept');
    expect(liveText({ kind: 'error', failure: { name: 'DownloadHttpError', message: '404' } })).toBe('The real-models race stopped with an error.');
    lang.value = 'fr';
    expect(liveText({ kind: 'error', failure: { name: null, message: 'x' } })).toContain('La course des vrais modèles');
  });
});
