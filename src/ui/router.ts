/**
 * Hash routes (links work on any static host) with settings as query parameters after the hash:
 * `#/demo?preset=quick&lang=fr&country=FRA`.
 */
import { signal } from '@preact/signals';

export type Route = 'run' | 'results' | 'demo' | 'model' | 'history' | 'dataset' | 'methodology';
export const ROUTES: readonly Route[] = ['run', 'results', 'demo', 'model', 'history', 'dataset', 'methodology'];

export interface Location {
  route: Route;
  params: URLSearchParams;
}

export function parseHash(hash: string): Location {
  const h = hash.replace(/^#/, '');
  const [path = '', query = ''] = h.split('?');
  const name = path.replace(/^\//, '').split('/')[0] ?? '';
  const route: Route = name === '' ? 'run' : ((['results', 'demo', 'model', 'history', 'dataset', 'methodology'] as const).find((r) => r === name) ?? 'run');
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
