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
