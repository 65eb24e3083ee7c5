/**
 * Keeps Tab inside a modal dialog: from the last focusable element Tab goes to the first, and
 * Shift+Tab from the first to the last. `aria-modal` tells screen readers the page behind is
 * hidden; this makes the keyboard agree.
 */
const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Where focus goes on Tab (or Shift+Tab) from `current`; null to let the browser move it. */
export function wrapTarget<T>(focusable: readonly T[], current: T | null, backwards: boolean): T | null {
  if (focusable.length === 0) return null;
  const first = focusable[0]!;
  const last = focusable[focusable.length - 1]!;
  const i = current === null ? -1 : focusable.indexOf(current);
  // Focus outside the dialog (or on no element) comes back in at the near end.
  if (i < 0) return backwards ? last : first;
  if (backwards && i === 0) return last;
  if (!backwards && i === focusable.length - 1) return first;
  return null;
}

export function trapTab(e: KeyboardEvent, container: HTMLElement): void {
  if (e.key !== 'Tab') return;
  const focusable = [...container.querySelectorAll<HTMLElement>(FOCUSABLE)];
  const active = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const target = wrapTarget(focusable, active, e.shiftKey);
  if (target) {
    e.preventDefault();
    target.focus();
  }
}
