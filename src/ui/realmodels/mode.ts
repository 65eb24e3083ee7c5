/**
 * Which race the page shows, synthetic weights or the real models, kept in the address as
 * `models=real` (absent means synthetic) so a link or a projector bookmark opens the right one.
 * Small on purpose: it ships in the first screen's script; the real-models views load on demand.
 */
import { location, parseHash, replaceHash } from '../router.ts';

export type ModelsMode = 'synthetic' | 'real';
export const MODELS_MODES: readonly ModelsMode[] = ['synthetic', 'real'];

/**
 * The real race's own address parameters (its model choice and reply budget), the one list: the
 * real state writes them, and switching to synthetic removes them, since the synthetic race's
 * custom preset reads every other parameter as its own and would call these unknown.
 */
export const REAL_PARAMS = ['classifier', 'classifierDtype', 'generator', 'generatorDtype', 'base', 'items', 'maxNewTokens'] as const;
export type RealParam = (typeof REAL_PARAMS)[number];

export function modelsMode(params: URLSearchParams): ModelsMode {
  return params.get('models') === 'real' ? 'real' : 'synthetic';
}

/** The current address with `models` set, or for synthetic `models` and the real race's parameters removed; every other parameter kept. */
export function hashWithMode(hash: string, mode: ModelsMode): string {
  const h = hash.replace(/^#/, '');
  const [path = '/', query = ''] = h.split('?');
  const params = new URLSearchParams(query);
  if (mode === 'real') params.set('models', 'real');
  else for (const k of ['models', ...REAL_PARAMS]) params.delete(k);
  const q = params.toString();
  return `#${path || '/'}${q ? `?${q}` : ''}`;
}

/** Switches the race without a history entry (Back still leaves the view). */
export function setModelsMode(mode: ModelsMode): void {
  const hash = hashWithMode(typeof window !== 'undefined' ? window.location.hash : '', mode);
  replaceHash(hash);
  // replaceHash updates `location` only in a browser window; keep the signal right everywhere.
  if (modelsMode(location.value.params) !== mode) location.value = parseHash(hash);
}
