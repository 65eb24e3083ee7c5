/**
 * Hash routes (links work on any static host) with settings as query parameters after the hash:
 * `#/demo?preset=quick&lang=fr&country=FRA`.
 */
import { signal } from '@preact/signals';

/** Every route, in navigation order: the header's links and the hash parser read this list. */
export const ROUTES = ['run', 'demo', 'results', 'model', 'history', 'dataset', 'methodology', 'dictionary'] as const;
export type Route = (typeof ROUTES)[number];

function isRoute(s: string): s is Route {
  return (ROUTES as readonly string[]).includes(s);
}

export interface Location {
  route: Route;
  params: URLSearchParams;
}

export function parseHash(hash: string): Location {
  const h = hash.replace(/^#/, '');
  const [path = '', query = ''] = h.split('?');
  const name = path.replace(/^\//, '').split('/')[0] ?? '';
  // `#/` and unknown paths land on the run view; `#/run` is the same view.
  const route: Route = isRoute(name) ? name : 'run';
  return { route, params: new URLSearchParams(query) };
}

export function hrefFor(route: Route, params?: Record<string, string>): string {
  const q = params ? new URLSearchParams(params).toString() : '';
  return `#/${route === 'run' ? '' : route}${q ? `?${q}` : ''}`;
}

export const location = signal<Location>(parseHash(typeof window !== 'undefined' ? window.location.hash : ''));

if (typeof window !== 'undefined') {
  window.addEventListener('hashchange', () => {
    location.value = parseHash(window.location.hash);
  });
}

/**
 * Replace the address's hash without a new history entry (a section opened or closed is not a
 * page the back button should step through), and update `location` as a hashchange would.
 */
export function replaceHash(hash: string): void {
  if (typeof window === 'undefined') return;
  window.history.replaceState(window.history.state, '', hash);
  location.value = parseHash(hash);
}
