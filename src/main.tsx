import { render } from 'preact';
import './ui/styles.css';
import './ui/app.css';
import { App } from './ui/App.tsx';
import { lastDoc, loadCapabilities, runState } from './ui/state.ts';
import { effect } from '@preact/signals';
import { getLab } from './lab/client.ts';
import type { runRealModelsHeadless } from './lab/realmodels-session.ts';

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(<App />, root);
}
void loadCapabilities();

// Offline: the built app registers a service worker so History and the last results open
// without a network (the dev server does not, to keep hot reload honest).
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  navigator.serviceWorker.register(new URL('sw.js', document.baseURI), { scope: './' }).catch((e: unknown) => {
    console.warn('Offline support unavailable:', e);
  });
}

// The headless `lab` CLI reads the finished document (or the error) from here.
declare global {
  interface Window {
    __labResult?: unknown;
    __labError?: { name: string; message: string };
    __labDebug?: { loseDevice(): Promise<boolean> };
    /** The headless `lab --models real` runs the real-models session through this (loaded on demand). */
    __labRealModels?: typeof runRealModelsHeadless;
  }
}
window.__labRealModels = async (req) => (await import('./lab/realmodels-session.ts')).runRealModelsHeadless(req);
// `?debug=1` in the address lets tests (and curious visitors) simulate a GPU reset mid-run.
if (new URLSearchParams(window.location.hash.split('?')[1] ?? '').get('debug') === '1') {
  window.__labDebug = { loseDevice: () => getLab().loseDevice() };
}
effect(() => {
  const s = runState.value;
  if (s.kind === 'done') window.__labResult = lastDoc.value;
  if (s.kind === 'error') window.__labError = { name: s.name, message: s.message };
});
