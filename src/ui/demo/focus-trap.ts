/**
 * A modal dialog drawn in the page (not the top layer): Tab stays inside it (from the last
 * focusable element to the first, Shift+Tab the other way), and the rest of the page is made
 * `inert` while it is open, so neither the keyboard nor a screen reader's virtual cursor reaches
 * what `aria-modal` says is hidden.
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

/**
 * Makes everything outside `el` inert: at each level from `el` up to <body>, the siblings of the
 * branch that holds it. The live region stays as it is (it holds nothing to focus, and the race
 * behind the dialog still announces its progress). Returns the undo, which touches only the
 * elements made inert here (one already inert stays so).
 */
export function inertOutside(el: Element): () => void {
  const made: Element[] = [];
  for (let node: Element = el; node.parentElement && node !== node.ownerDocument.body; node = node.parentElement) {
    for (const sibling of node.parentElement.children) {
      if (sibling === node || sibling.hasAttribute('inert') || sibling.matches('[aria-live], script, style, template')) continue;
      sibling.setAttribute('inert', '');
      made.push(sibling);
    }
  }
  return () => made.forEach((m) => m.removeAttribute('inert'));
}
