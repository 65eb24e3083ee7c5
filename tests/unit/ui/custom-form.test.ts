// @vitest-environment happy-dom
/**
 * The custom form and the Run button: every invalid field highlighted, Run disabled with the
 * reason announced, and the right hint when a run fails on a bad custom address.
 */
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { mountPoint, READY_CAPS } from './helpers.ts';

vi.mock('../../../src/lab/client.ts', async () => (await import('./helpers.ts')).fakeClientModule());

const { lang } = await import('../../../src/i18n/index.ts');
const { location, parseHash } = await import('../../../src/ui/router.ts');
const { CustomForm } = await import('../../../src/ui/CustomForm.tsx');
const { RunView } = await import('../../../src/ui/RunView.tsx');
const { parseCustomParams } = await import('../../../src/lab/custom.ts');
const { capsState, runState } = await import('../../../src/ui/state.ts');

const mounted = mountPoint();
let root: HTMLElement;
beforeEach(() => {
  root = mounted();
  lang.value = 'en';
});

function go(hash: string): void {
  window.location.hash = hash;
  location.value = parseHash(hash);
}

beforeEach(() => {
  capsState.value = READY_CAPS as never;
  runState.value = { kind: 'idle' };
});

describe('CustomForm', () => {
  test('every invalid field is marked and listed; valid fields are not', () => {
    go('#/?preset=custom&g.layers=two&s.heads=-1&general=gpt-9');
    const parsed = parseCustomParams(location.value.params);
    render(h(CustomForm, { parsed }), root);
    const invalid = [...root.querySelectorAll('[aria-invalid="true"]')].map((e) => e.getAttribute('name')).sort();
    expect(invalid).toEqual(['g.layers', 'general', 's.heads']);
    expect(root.querySelector('input[name="s.layers"]')?.getAttribute('aria-invalid')).toBeNull();
    const items = [...root.querySelectorAll('#custom-errors li')].map((li) => li.textContent);
    expect(items).toHaveLength(3);
    expect(items.some((s) => s?.startsWith('g.layers'))).toBe(true);
    // The address value is shown as typed, so the visitor sees what to fix.
    expect((root.querySelector('input[name="g.layers"]') as HTMLInputElement).value).toBe('two');
  });

  test('a valid suite shows the resolved sizes as placeholders and no error list', () => {
    go('#/?preset=custom&specialized=bert-tiny&general=tiny-decoder&g.layers=3');
    render(h(CustomForm, { parsed: parseCustomParams(location.value.params) }), root);
    expect(root.querySelector('#custom-errors')).toBeNull();
    expect(root.textContent).toContain('Settings are valid');
    expect((root.querySelector('input[name="s.hidden"]') as HTMLInputElement).placeholder).toBe('128');
    // Only encoder presets for the specialized role, decoders for the general one.
    const options = (name: string) => [...root.querySelectorAll(`select[name="${name}"] option`)].map((o) => (o as HTMLOptionElement).value);
    expect(options('specialized')).toContain('bert-tiny');
    expect(options('specialized')).not.toContain('tiny-decoder');
    expect(options('general')).toContain('tiny-decoder');
  });

  test('editing a field writes the address (preset=custom kept)', () => {
    go('#/?preset=custom');
    render(h(CustomForm, { parsed: parseCustomParams(location.value.params) }), root);
    const input = root.querySelector('input[name="g.layers"]') as HTMLInputElement;
    input.value = '4';
    input.dispatchEvent(new Event('change', { bubbles: true }));
    expect(new URLSearchParams(window.location.hash.split('?')[1]).get('g.layers')).toBe('4');
    expect(new URLSearchParams(window.location.hash.split('?')[1]).get('preset')).toBe('custom');
  });
});

describe('RunView with a custom suite', () => {
  test('Run is disabled while the form shows errors, and says why', () => {
    go('#/?preset=custom&g.layers=zero');
    render(h(RunView, {}), root);
    const run = root.querySelector('[data-testid="run"]') as HTMLButtonElement;
    expect(run.disabled).toBe(true);
    expect(run.getAttribute('aria-describedby')).toBe('run-blocked custom-errors');
    expect(root.querySelector('#run-blocked')?.textContent).toBe('Fix the highlighted fields before running.');
    expect(root.querySelector('#custom-errors')).not.toBeNull();
  });

  test('Run is enabled for a valid custom suite and for the other presets', async () => {
    go('#/?preset=custom&specialized=bert-tiny&general=tiny-decoder');
    render(h(RunView, {}), root);
    const run = () => root.querySelector('[data-testid="run"]') as HTMLButtonElement;
    expect(run().disabled).toBe(false);
    expect(run().getAttribute('aria-describedby')).toBeNull();
    expect(root.querySelector('#run-blocked')).toBeNull();
    await act(() => go('#/?preset=ci&g.layers=zero'));
    expect(run().disabled).toBe(false);
  });

  test('a run that failed on a bad custom suite gets the "fix the fields" hint, not "smaller preset"', async () => {
    go('#/?preset=ci');
    render(h(RunView, {}), root);
    await act(() => {
      runState.value = { kind: 'error', name: 'CustomSuiteError', message: 'g.layers: "zero" is not a number' };
    });
    const card = root.querySelector('[data-testid="run-error"]');
    expect(card?.getAttribute('data-error-name')).toBe('CustomSuiteError');
    expect(card?.textContent).toContain('fix the highlighted fields');
    expect(card?.textContent).not.toContain('smaller preset');
  });

  test('hints are translated (French)', async () => {
    go('#/?preset=ci');
    render(h(RunView, {}), root);
    await act(() => {
      lang.value = 'fr';
      runState.value = { kind: 'error', name: 'DeviceLostError', message: 'lost' };
    });
    expect(root.querySelector('[data-testid="run-error"]')?.textContent).toContain('Le GPU a été réinitialisé');
  });
});
