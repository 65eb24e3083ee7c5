// @vitest-environment happy-dom
/** The data-dictionary page renders every field, in the page's language. */
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { beforeEach, expect, test } from 'vitest';
import { mountPoint } from './helpers.ts';
import { lang } from '../../../src/i18n/index.ts';
import { DictionaryView } from '../../../src/ui/DictionaryView.tsx';
import { DATA_DICTIONARY } from '../../../src/shared/data-dictionary.ts';

const mounted = mountPoint();
let root: HTMLElement;
beforeEach(() => {
  root = mounted();
});

test('one row per field, meanings in the page language', async () => {
  lang.value = 'fr';
  await act(() => render(h(DictionaryView, {}), root));
  const rows = root.querySelectorAll('tbody tr');
  expect(rows).toHaveLength(DATA_DICTIONARY.length);
  const app = [...rows].find((r) => r.querySelector('th')?.textContent === 'app.version')!;
  expect(app.textContent).toContain('Version de l’application');
  expect(root.querySelector('h2')?.textContent).toBe('Dictionnaire des données ouvertes');
  lang.value = 'en';
  await act(() => render(h(DictionaryView, {}), root));
  expect(root.textContent).toContain('Version of the app that ran the benchmark');
});
