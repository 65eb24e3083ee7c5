import { expect, test } from 'vitest';
import { hrefFor, parseHash } from '../../src/ui/router.ts';

test('hash routes and their query parameters', () => {
  expect(parseHash('').route).toBe('run');
  expect(parseHash('#/').route).toBe('run');
  const l = parseHash('#/demo?preset=quick&lang=fr&country=FRA');
  expect(l.route).toBe('demo');
  expect(l.params.get('preset')).toBe('quick');
  expect(l.params.get('lang')).toBe('fr');
  expect(l.params.get('country')).toBe('FRA');
  expect(parseHash('#/nowhere').route).toBe('run');
  expect(hrefFor('history')).toBe('#/history');
  expect(hrefFor('run', { preset: 'ci' })).toBe('#/?preset=ci');
});

test('every route round-trips through its href, and nav order starts with run', async () => {
  const { ROUTES } = await import('../../src/ui/router.ts');
  expect(ROUTES[0]).toBe('run');
  expect(new Set(ROUTES).size).toBe(ROUTES.length);
  for (const r of ROUTES) expect(parseHash(hrefFor(r)).route).toBe(r);
  expect(parseHash(hrefFor('dataset', { lang: 'fr' })).params.get('lang')).toBe('fr');
});
