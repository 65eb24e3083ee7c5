// @vitest-environment happy-dom
/**
 * The classroom demo's controls: the keyboard, settings read from the address (and the note for a
 * refused value), the copy-link button, the step-through story and the live energy meter.
 */
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { mountPoint } from './helpers.ts';
import type { ResultDocument } from '../../../src/shared/result.ts';
import { sampleResult } from '../../../src/shared/sample-result.ts';

const session = vi.hoisted(() => ({ runLab: vi.fn() }));
const lab = vi.hoisted(() => ({ cancel: vi.fn(), setStepThrough: vi.fn(), nextStep: vi.fn() }));
vi.mock('../../../src/lab/session.ts', () => session);
vi.mock('../../../src/lab/client.ts', () => ({ getLab: () => ({ cancel: lab.cancel, setHidden: vi.fn(), setStepThrough: lab.setStepThrough, nextStep: lab.nextStep }), lastWorkerError: () => null, Comlink: { proxy: <T>(f: T) => f } }));

const { lang } = await import('../../../src/i18n/index.ts');
const { location, parseHash } = await import('../../../src/ui/router.ts');
const { DemoView } = await import('../../../src/ui/DemoView.tsx');
const state = await import('../../../src/ui/state.ts');
const { MemoryHistory, useHistoryBackend } = await import('../../../src/results/history.ts');
const { parseDemoSettings, demoHref } = await import('../../../src/ui/demo/settings.ts');
const { demoSteps } = await import('../../../src/ui/demo/steps.ts');
const { laneReading, liveReading } = await import('../../../src/ui/demo/meter.ts');
const { demoKeyAction } = await import('../../../src/ui/demo/keys.ts');

const mounted = mountPoint();
let root: HTMLElement;
const q = (sel: string) => root.querySelector(sel);
const press = (key: string, target: EventTarget = document.body) =>
  act(() => {
    target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
  });

beforeEach(() => {
  root = mounted();
  lang.value = 'en';
  useHistoryBackend(new MemoryHistory());
  state.capsState.value = { status: 'ready', caps: { available: true } } as never;
  state.runState.value = { kind: 'idle' };
  state.lastDoc.value = null;
  state.progress.value = [];
  state.device.value = null;
});
afterEach(() => {
  vi.clearAllMocks();
});

function mount(hash: string) {
  location.value = parseHash(hash);
  return act(() => render(h(DemoView, {}), root));
}

/** A run that stays in flight until `finish` (or ends cancelled when the lab is asked to cancel). */
function pendingRun(): { finish: (d: ResultDocument) => void } {
  const out = { finish: (_d: ResultDocument) => undefined as void };
  session.runLab.mockImplementation(
    () =>
      new Promise<ResultDocument>((resolve, reject) => {
        out.finish = resolve;
        lab.cancel.mockImplementation(() => reject(Object.assign(new Error('cancelled'), { name: 'RunCancelledError' })));
      }),
  );
  return out;
}

describe('demo keyboard', () => {
  test('Space starts the race, Space again stops it (a clean cancel: the lab cannot pause)', async () => {
    pendingRun();
    await mount('#/demo?preset=ci');
    await press(' ');
    expect(session.runLab).toHaveBeenCalledTimes(1);
    expect(state.runState.value.kind).toBe('running');
    await press(' ');
    expect(lab.cancel).toHaveBeenCalledTimes(1);
    await act(async () => {
      await Promise.resolve();
    });
    expect(state.runState.value.kind).toBe('cancelled');
    expect(q('[data-testid="demo-keys"]')?.textContent).toContain('cannot pause');
  });

  test('R mid-race cancels, then starts a fresh race once the cancellation settles', async () => {
    pendingRun();
    await mount('#/demo?preset=ci');
    await press('r');
    expect(session.runLab).toHaveBeenCalledTimes(1);
    await press('R');
    expect(lab.cancel).toHaveBeenCalledTimes(1);
    await act(async () => {
      await new Promise((r) => setTimeout(r, 0));
    });
    expect(session.runLab).toHaveBeenCalledTimes(2);
    expect(state.runState.value.kind).toBe('running');
  });

  test('L switches the language and writes it in the address; keys typed in a form field are ignored', async () => {
    await mount('#/demo?preset=ci&lang=en');
    await press('l');
    expect(lang.value).toBe('fr');
    expect(location.value.params.get('lang')).toBe('fr');
    expect(q('h1')?.textContent).toBe('Même question, deux IA');
    const input = document.createElement('input');
    root.append(input);
    await press('l', input);
    await press(' ', input);
    expect(lang.value).toBe('fr');
    expect(session.runLab).not.toHaveBeenCalled();
  });

  test('Space on a focused button is that button’s own click; modifiers are left to the browser', () => {
    const button = document.createElement('button');
    expect(demoKeyAction({ key: ' ', target: button, ctrlKey: false, metaKey: false, altKey: false })).toBeNull();
    expect(demoKeyAction({ key: 'r', target: document.body, ctrlKey: true, metaKey: false, altKey: false })).toBeNull();
    expect(demoKeyAction({ key: 'f', target: document.body, ctrlKey: false, metaKey: false, altKey: false })).toBe('fullscreen');
    expect(demoKeyAction({ key: 'Escape', target: document.body, ctrlKey: false, metaKey: false, altKey: false })).toBe('leave-fullscreen');
  });

  test('a held key acts once: its auto-repeat is ignored (no start-then-cancel, no flip-flop)', async () => {
    const held = (key: string) => demoKeyAction({ key, target: document.body, ctrlKey: false, metaKey: false, altKey: false, repeat: true });
    expect(held(' ')).toBeNull();
    expect(held('l')).toBeNull();
    expect(held('f')).toBeNull();
    expect(demoKeyAction({ key: 'l', target: document.body, ctrlKey: false, metaKey: false, altKey: false, repeat: false })).toBe('language');
    pendingRun();
    await mount('#/demo?preset=ci&lang=en');
    await press(' ');
    for (let i = 0; i < 3; i++) {
      await act(() => {
        document.body.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', repeat: true, bubbles: true, cancelable: true }));
      });
    }
    expect(session.runLab).toHaveBeenCalledTimes(1);
    expect(lab.cancel).not.toHaveBeenCalled();
    expect(state.runState.value.kind).toBe('running');
    await press('l');
    for (let i = 0; i < 3; i++) {
      await act(() => {
        document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'l', repeat: true, bubbles: true, cancelable: true }));
      });
    }
    expect(lang.value).toBe('fr');
  });

  test('F asks for full screen where the API exists; the button is hidden where it does not', async () => {
    const request = vi.fn(() => Promise.resolve());
    Object.defineProperty(document, 'fullscreenEnabled', { configurable: true, value: false });
    await mount('#/demo');
    expect(q('[data-testid="fullscreen"]')).toBeNull();
    await act(() => render(null, root));
    Object.defineProperty(document, 'fullscreenEnabled', { configurable: true, value: true });
    Object.defineProperty(document.documentElement, 'requestFullscreen', { configurable: true, value: request });
    await mount('#/demo');
    expect(q('[data-testid="fullscreen"]')).not.toBeNull();
    await press('f');
    expect(request).toHaveBeenCalledTimes(1);
    Reflect.deleteProperty(document, 'fullscreenEnabled');
    Reflect.deleteProperty(document.documentElement, 'requestFullscreen');
  });
});

describe('demo settings in the address', () => {
  test('good values are used; each bad one falls back to its default and says so', async () => {
    const good = parseDemoSettings(new URLSearchParams('preset=ci&lang=fr&country=fra&queries=250'));
    expect(good).toEqual({ settings: { preset: 'ci', lang: 'fr', country: 'FRA', queries: 250 }, notes: [] });
    expect(demoHref(good.settings)).toBe('#/demo?preset=ci&lang=fr&country=FRA&queries=250');

    await mount('#/demo?preset=turbo&lang=de&country=XYZ&queries=-3');
    const notes = q('[data-testid="demo-notes"]')?.textContent ?? '';
    expect(notes).toContain('Preset “turbo” unknown: using quick.');
    expect(notes).toContain('Language “de” unknown');
    expect(notes).toContain('Country “XYZ” unknown');
    expect(notes).toContain('Queries “-3” is not a whole number');
    session.runLab.mockResolvedValue(sampleResult());
    await act(() => (q('[data-testid="demo-start"]') as HTMLButtonElement).click());
    expect(session.runLab.mock.calls[0]?.[0]).toMatchObject({ preset: 'quick', country: null });
  });

  test('a clean address shows no note', async () => {
    await mount('#/demo?preset=ci&queries=1000');
    expect(q('[data-testid="demo-notes"]')).toBeNull();
  });
});

describe('copy link', () => {
  test('copies the address with the current settings and confirms it', async () => {
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText } });
    await mount('#/demo?preset=ci&country=FRA&queries=500');
    await act(async () => {
      (q('[data-testid="copy-link"]') as HTMLButtonElement).click();
      await Promise.resolve();
    });
    expect(writeText).toHaveBeenCalledWith(expect.stringMatching(/#\/demo\?preset=ci&lang=en&country=FRA&queries=500$/));
    expect(q('[data-testid="copy-done"]')?.textContent).toBe('Link copied');
    Reflect.deleteProperty(navigator, 'clipboard');
  });

  test('without a clipboard, the link is shown in a text field to copy by hand', async () => {
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: undefined });
    await mount('#/demo?preset=ci');
    await act(async () => {
      (q('[data-testid="copy-link"]') as HTMLButtonElement).click();
      await Promise.resolve();
    });
    expect((q('[data-testid="copy-fallback"]') as HTMLInputElement).value).toMatch(/#\/demo\?preset=ci&lang=en&queries=1000$/);
    expect(q('[data-testid="copy-done"]')).toBeNull();
    Reflect.deleteProperty(navigator, 'clipboard');
  });
  test('the fallback field is selected once: later re-renders (progress, the language switch) leave the keyboard to the demo', async () => {
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: undefined });
    const select = vi.spyOn(HTMLInputElement.prototype, 'select');
    pendingRun();
    await mount('#/demo?preset=ci');
    await act(async () => {
      (q('[data-testid="copy-link"]') as HTMLButtonElement).click();
      await Promise.resolve();
    });
    const field = q('[data-testid="copy-fallback"]') as HTMLInputElement;
    expect(select).toHaveBeenCalledTimes(1);
    // The visitor clicks elsewhere; from then on the race's re-renders must not take the field back.
    field.blur();
    await press(' ');
    expect(session.runLab).toHaveBeenCalledTimes(1);
    for (let i = 1; i <= 5; i++) {
      await act(() => {
        state.progress.value = [
          { id: 's', kind: 'model', role: 'specialized', status: 'running', phase: 'measure', step: 0, steps: 0, stepLabel: '', sample: i, samples: 9, samplesMs: Array.from({ length: i }, () => 40) },
        ];
      });
    }
    // L re-renders the link itself (its address carries the language): still no second selection.
    await press('l');
    expect(lang.value).toBe('fr');
    expect(select).toHaveBeenCalledTimes(1);
    expect(document.activeElement).not.toBe(field);
    expect(q('[data-testid="copy-fallback"]')).toBe(field);
    expect(field.value).toMatch(/lang=fr/);
    await press('l');
    expect(lang.value).toBe('en');
    expect(select).toHaveBeenCalledTimes(1);
    await press(' ');
    expect(lab.cancel).toHaveBeenCalledTimes(1);
    // Copied by hand: the field then gives the keyboard back to the demo.
    await act(async () => {
      field.focus();
      field.dispatchEvent(new Event('copy', { bubbles: true }));
      await new Promise((r) => setTimeout(r, 0));
    });
    expect(document.activeElement).not.toBe(field);
    select.mockRestore();
    Reflect.deleteProperty(navigator, 'clipboard');
  });
});

describe('step-through', () => {
  test('the classifier’s single pass, then prefill and each decode step, with their measured share', () => {
    const steps = demoSteps(sampleResult().workloads);
    expect(steps.map((s) => s.kind)).toEqual(['encode', 'prefill', 'decode', 'decode', 'decode']);
    expect(steps[0]).toMatchObject({ role: 'specialized', tokens: 16, share: 1 });
    // 24 prompt tokens at 250 tokens/s = 96 ms of a 300 ms answer; 20 tokens/s = 50 ms a word.
    expect(steps[1]).toMatchObject({ role: 'general', tokens: 24 });
    expect(steps[1]!.ms).toBeCloseTo(96);
    expect(steps[1]!.share).toBeCloseTo(0.32);
    expect(steps[2]).toMatchObject({ kind: 'decode', index: 2, total: 4 });
    expect(steps[2]!.ms).toBeCloseTo(50);
  });

  test('a phase whose time was not measured says so instead of showing a share', () => {
    const doc = sampleResult();
    const gen = doc.workloads.find((w) => w.role === 'general')!;
    delete gen.tokensPerSecond;
    const prefill = demoSteps(doc.workloads)[1]!;
    expect(prefill).toMatchObject({ kind: 'prefill', ms: null, share: null });
  });

  test('the toggle tells the story one step at a time (buttons and arrows), ending on the result', async () => {
    await mount('#/demo?preset=ci');
    await act(() => (q('[data-testid="step-mode"]') as HTMLInputElement).click());
    await act(() => {
      state.lastDoc.value = sampleResult();
      state.runState.value = { kind: 'done', doc: sampleResult() };
    });
    expect(q('[data-testid="demo-steps"]')?.getAttribute('data-step')).toBe('0');
    expect(q('[data-testid="step-sentence"]')?.textContent).toContain('one single pass');
    expect(q('[data-testid="demo-result"]')).toBeNull();
    await act(() => (q('[data-testid="step-next"]') as HTMLButtonElement).click());
    expect(q('[data-testid="step-sentence"]')?.textContent).toContain('prefill');
    expect(q('[data-testid="demo-steps"]')?.textContent).toContain('32 % of this model’s answer time');
    await press('ArrowRight');
    expect(q('[data-testid="step-sentence"]')?.textContent).toContain('word 2 of 4');
    await press('ArrowLeft');
    expect(q('[data-testid="demo-steps"]')?.getAttribute('data-step')).toBe('1');
    for (let i = 0; i < 4; i++) await press('ArrowRight');
    expect(q('[data-testid="demo-steps"]')).toBeNull();
    expect(q('[data-testid="demo-result"]')).not.toBeNull();
  });
});

describe('step-through during the race', () => {
  test('the worker holds after each phase: the panel tells that phase, Space or → lets it go on; leaving turns it off', async () => {
    await mount('#/demo?preset=ci');
    await act(() => (q('[data-testid="step-mode"]') as HTMLInputElement).click());
    expect(lab.setStepThrough).toHaveBeenLastCalledWith(true);
    pendingRun();
    await press(' ');
    expect(state.runState.value.kind).toBe('running');
    // Busy between holds: the panel says so, and Space does not cancel the race.
    expect(q('[data-testid="demo-steps"]')?.getAttribute('data-held')).toBe('false');
    await press(' ');
    expect(lab.cancel).not.toHaveBeenCalled();
    expect(lab.nextStep).not.toHaveBeenCalled();
    await act(() => state.onProgress({ type: 'held', id: 'gen', role: 'general', phase: 'prefill', token: { index: 1, total: 4 }, tokens: 24, step: 1, steps: 4 }));
    expect(q('[data-testid="demo-steps"]')?.getAttribute('data-phase')).toBe('prefill');
    expect(q('[data-testid="step-sentence"]')?.textContent).toContain('24-token prompt');
    await press(' ');
    expect(lab.nextStep).toHaveBeenCalledTimes(1);
    await act(() => state.onProgress({ type: 'step', id: 'gen', label: 'token 2/4', phase: 'decode', token: { index: 2, total: 4 }, step: 2, steps: 4 }));
    expect(q('[data-testid="demo-steps"]')?.getAttribute('data-held')).toBe('false');
    await act(() => state.onProgress({ type: 'held', id: 'gen', role: 'general', phase: 'decode', token: { index: 2, total: 4 }, tokens: 24, step: 2, steps: 4 }));
    expect(q('[data-testid="step-sentence"]')?.textContent).toContain('word 2 of 4');
    await press('ArrowRight');
    expect(lab.nextStep).toHaveBeenCalledTimes(2);
    await act(() => render(null, root));
    expect(lab.setStepThrough).toHaveBeenLastCalledWith(false);
    await act(() => state.cancelRun());
  });
});

describe('energy meter', () => {
  const adapter = { vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: true };

  test('no number before there is an estimate: no device, or no answer timed yet', async () => {
    expect(liveReading([], adapter)).toEqual({ kind: 'waiting' });
    expect(liveReading([12], null)).toEqual({ kind: 'waiting' });
    await mount('#/demo?preset=ci');
    await act(() => {
      state.runState.value = { kind: 'running', preset: 'ci', startedAt: 0 };
      state.progress.value = [
        { id: 'g', kind: 'model', role: 'general', status: 'running', phase: 'walkthrough', step: 1, steps: 4, stepLabel: 'prefill', sample: 0, samples: 3, samplesMs: [] },
      ];
    });
    const meter = q('[data-testid="lane-general"] [data-testid="meter"]');
    expect(meter?.getAttribute('data-kind')).toBe('waiting');
    expect(meter?.textContent).toBe('estimating…');
    expect(meter?.textContent).not.toMatch(/\d/);
  });

  test('ticks up with the work done (GPU time × this device class’s power), then the final range replaces it', async () => {
    // The software adapter's profile: 10–65 W, typically 25 W; 40 ms of GPU work ≈ 1 J.
    const live = liveReading([20, 20], adapter);
    expect(live).toMatchObject({ kind: 'live', answers: 2 });
    if (live.kind !== 'live') throw new Error('expected a live reading');
    expect(live.joules.p50).toBeGreaterThan(live.joules.p5);
    expect(live.joules.p95).toBeGreaterThan(live.joules.p50);

    await mount('#/demo?preset=ci');
    const doc = sampleResult();
    await act(() => {
      state.device.value = { adapter: doc.environment.adapter, timing: 'gpu-timestamp' };
      state.runState.value = { kind: 'running', preset: 'ci', startedAt: 0 };
      state.progress.value = [
        { id: 's', kind: 'model', role: 'specialized', status: 'running', phase: 'measure', step: 0, steps: 0, stepLabel: '', sample: 1, samples: 3, samplesMs: [40] },
      ];
    });
    const meter = () => q('[data-testid="lane-specialized"] [data-testid="meter"]');
    expect(meter()?.getAttribute('data-kind')).toBe('live');
    expect(meter()?.textContent).toMatch(/^≈ [\d.]+ (mJ|J) so far/);
    const first = meter()?.textContent;
    await act(() => {
      state.progress.value = [{ ...state.progress.value[0]!, sample: 2, samplesMs: [40, 40] }];
    });
    expect(meter()?.textContent).not.toBe(first);
    await act(() => {
      state.lastDoc.value = doc;
      state.runState.value = { kind: 'done', doc };
    });
    expect(meter()?.getAttribute('data-kind')).toBe('final');
    expect(meter()?.textContent).toMatch(/per answer \(range .+ estimate\)/);
  });
});

describe('energy meter once the run is over', () => {
  const adapter = { vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: true };

  /** A finished run without an energy section, its models timed on `sources` (specialized, general). */
  function noEnergyDoc(sources: readonly ['gpu-timestamp' | 'wall-clock', 'gpu-timestamp' | 'wall-clock'], flags: string[]): ResultDocument {
    const doc = sampleResult();
    delete doc.energy;
    doc.flags = flags;
    const spec = doc.workloads.find((w) => w.kind === 'model' && w.role === 'specialized')!;
    const gen = doc.workloads.find((w) => w.kind === 'model' && w.role === 'general')!;
    spec.timing.source = sources[0];
    gen.timing.source = sources[1];
    return doc;
  }

  test('done without an energy section: "no estimate" with its reason, never the live figure', () => {
    const mixed = noEnergyDoc(['gpu-timestamp', 'wall-clock'], ['energy-unavailable']);
    expect(laneReading({ kind: 'done', doc: mixed, record: undefined }, [40, 40], adapter)).toEqual({ kind: 'none', reason: 'mixed-timing' });
    const failed = noEnergyDoc(['gpu-timestamp', 'gpu-timestamp'], ['energy-unavailable']);
    expect(laneReading({ kind: 'done', doc: failed, record: undefined }, [40, 40], adapter)).toEqual({ kind: 'none', reason: 'energy-unavailable' });
    const silent = noEnergyDoc(['gpu-timestamp', 'gpu-timestamp'], []);
    expect(laneReading({ kind: 'done', doc: silent, record: undefined }, [40, 40], adapter)).toEqual({ kind: 'none', reason: null });
    expect(laneReading({ kind: 'running' }, [40, 40], adapter).kind).toBe('live');
    const withEnergy = sampleResult();
    const record = withEnergy.energy!.perQuery.general;
    expect(laneReading({ kind: 'done', doc: withEnergy, record }, [40], adapter)).toEqual({ kind: 'final', perAnswer: record.joules });
  });

  test('the lane drops its live figure when the run ends without an estimate, and says why', async () => {
    pendingRun();
    await mount('#/demo?preset=ci');
    await act(() => {
      state.device.value = { adapter: sampleResult().environment.adapter, timing: 'gpu-timestamp' };
      state.runState.value = { kind: 'running', preset: 'ci', startedAt: 0 };
      state.progress.value = [
        { id: 's', kind: 'model', role: 'specialized', status: 'running', phase: 'measure', step: 0, steps: 0, stepLabel: '', sample: 2, samples: 3, samplesMs: [40, 40] },
      ];
    });
    const meter = () => q('[data-testid="lane-specialized"] [data-testid="meter"]');
    expect(meter()?.getAttribute('data-kind')).toBe('live');
    const doc = noEnergyDoc(['gpu-timestamp', 'wall-clock'], ['energy-unavailable']);
    await act(() => {
      state.lastDoc.value = doc;
      state.runState.value = { kind: 'done', doc };
    });
    expect(meter()?.getAttribute('data-kind')).toBe('none');
    expect(meter()?.getAttribute('data-reason')).toBe('mixed-timing');
    expect(meter()?.textContent).toMatch(/^no estimate \(One model was timed with GPU timestamps and the other on the wall clock/);
    expect(meter()?.textContent).not.toMatch(/[\d.]+ (µJ|mJ|J|kJ)/);
    expect(q('[data-testid="lane-general"] [data-testid="meter"]')?.getAttribute('data-kind')).toBe('none');

    const failed = noEnergyDoc(['gpu-timestamp', 'gpu-timestamp'], ['energy-unavailable']);
    await act(() => {
      state.lastDoc.value = failed;
      state.runState.value = { kind: 'done', doc: failed };
    });
    expect(meter()?.textContent).toBe('no estimate (no energy estimate could be made for this run)');
    await act(() => {
      lang.value = 'fr';
    });
    expect(meter()?.textContent).toBe('pas d’estimation (aucune estimation d’énergie n’a pu être faite pour cette mesure)');
  });

  test('the live figure says what it is (indicative, timed answers), and the switch to "per answer" is labelled', async () => {
    await mount('#/demo?preset=ci');
    const doc = sampleResult();
    await act(() => {
      state.device.value = { adapter: doc.environment.adapter, timing: 'gpu-timestamp' };
      state.runState.value = { kind: 'running', preset: 'ci', startedAt: 0 };
      state.progress.value = [
        { id: 's', kind: 'model', role: 'specialized', status: 'running', phase: 'measure', step: 0, steps: 0, stepLabel: '', sample: 2, samples: 3, samplesMs: [40, 40] },
      ];
    });
    const meter = () => q('[data-testid="lane-specialized"] [data-testid="meter"]');
    // 80 ms of GPU time × the software adapter's 10–65 W band (25 W typical) = 2 J (0.8–5.2 J).
    expect(meter()?.textContent).toBe(
      '≈ 2 J so far (timed answers: 2) (0.8–5.2 J; indicative only: GPU time × the power band of this class of device, without the host computer or the power supply)',
    );
    expect(q('[data-testid="lane-specialized"] dt')?.textContent).toBe('Timed answers');
    expect(q('[data-testid="meter-switched"]')).toBeNull();
    await act(() => {
      state.lastDoc.value = doc;
      state.runState.value = { kind: 'done', doc };
    });
    expect(meter()?.getAttribute('data-kind')).toBe('final');
    expect(q('[data-testid="lane-specialized"] [data-testid="meter-switched"]')?.textContent).toBe(' · now per answer, not a total');
    // A lane that never showed a running total has no switch to announce.
    expect(q('[data-testid="lane-general"] [data-testid="meter-switched"]')).toBeNull();
  });
});
