import { describe, expect, test } from 'vitest';
import { inertOutside, wrapTarget } from '../../../src/ui/demo/focus-trap.ts';

describe('Tab stays inside a modal dialog', () => {
  const items = ['close', 'start', 'end'];
  test('from the last element Tab wraps to the first, Shift+Tab from the first to the last', () => {
    expect(wrapTarget(items, 'end', false)).toBe('close');
    expect(wrapTarget(items, 'close', true)).toBe('end');
  });
  test('inside the dialog the browser moves focus itself', () => {
    expect(wrapTarget(items, 'start', false)).toBeNull();
    expect(wrapTarget(items, 'start', true)).toBeNull();
    expect(wrapTarget(items, 'close', false)).toBeNull();
  });
  test('focus outside comes back in at the near end; an empty dialog lets it be', () => {
    expect(wrapTarget(items, 'page-link', false)).toBe('close');
    expect(wrapTarget(items, null, true)).toBe('end');
    expect(wrapTarget([], 'x', false)).toBeNull();
  });
});

describe('the page behind a modal dialog is inert', () => {
  test('every branch outside the dialog, up to <body>, but not the live region; undone exactly', async () => {
    const { Window } = await import('happy-dom');
    const doc = new Window().document as unknown as Document;
    doc.body.innerHTML = `
      <a id="skip" href="#main">skip</a>
      <p id="live" aria-live="polite"></p>
      <header id="header"><button>nav</button></header>
      <main id="main">
        <div id="demo">
          <button id="start">start</button>
          <div id="already" inert></div>
          <div id="overlay"><div role="dialog"><button id="close">close</button></div></div>
        </div>
      </main>`;
    const undo = inertOutside(doc.getElementById('overlay')!);
    const inert = (id: string) => doc.getElementById(id)!.hasAttribute('inert');
    expect(['skip', 'header', 'start', 'already'].map(inert)).toEqual([true, true, true, true]);
    expect(['live', 'main', 'demo', 'overlay', 'close'].map(inert)).toEqual([false, false, false, false, false]);
    undo();
    expect(['skip', 'header', 'start'].map(inert)).toEqual([false, false, false]);
    // An element that was inert before the dialog opened stays inert after it closes.
    expect(inert('already')).toBe(true);
  });
});
