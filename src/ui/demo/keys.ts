/**
 * The demo's keyboard: one key per action, read from `KeyboardEvent.key` so it follows the
 * visitor's layout. Keys typed into a form field are theirs, and Space or Enter on a focused
 * button or link is that control's own activation (handling it here too would act twice). A held
 * key's auto-repeat is ignored: holding Space would start then cancel the race, holding L or F
 * would flip the language or full screen back and forth.
 */
export type DemoAction = 'start-stop' | 'restart' | 'fullscreen' | 'language' | 'leave-fullscreen' | 'next-step' | 'previous-step' | 'class-dialog';

function isFormField(el: EventTarget | null): boolean {
  if (!(el instanceof Element)) return false;
  if (el instanceof HTMLElement && el.isContentEditable) return true;
  return ['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName);
}

function isActivatable(el: EventTarget | null): boolean {
  return el instanceof Element && ['BUTTON', 'A', 'SUMMARY'].includes(el.tagName);
}

export function demoKeyAction(e: Pick<KeyboardEvent, 'key' | 'target' | 'ctrlKey' | 'metaKey' | 'altKey'> & { repeat?: boolean }): DemoAction | null {
  if (e.repeat === true || e.ctrlKey || e.metaKey || e.altKey || isFormField(e.target)) return null;
  switch (e.key) {
    case ' ':
    case 'Spacebar':
      return isActivatable(e.target) ? null : 'start-stop';
    case 'r':
    case 'R':
      return 'restart';
    case 'f':
    case 'F':
      return 'fullscreen';
    case 'l':
    case 'L':
      return 'language';
    case 'q':
    case 'Q':
      return 'class-dialog';
    case 'Escape':
      return 'leave-fullscreen';
    case 'ArrowRight':
      return 'next-step';
    case 'ArrowLeft':
      return 'previous-step';
    default:
      return null;
  }
}
