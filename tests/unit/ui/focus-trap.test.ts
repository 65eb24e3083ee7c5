import { describe, expect, test } from 'vitest';
import { wrapTarget } from '../../../src/ui/demo/focus-trap.ts';

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
