/** The Fullscreen API, feature-tested: the button is hidden where the page cannot go full screen. */

export function fullscreenSupported(): boolean {
  return typeof document !== 'undefined' && document.fullscreenEnabled === true && typeof document.documentElement.requestFullscreen === 'function';
}

export function isFullscreen(): boolean {
  return typeof document !== 'undefined' && document.fullscreenElement != null;
}

/** Enter or leave full screen; a refusal (no user gesture, policy) leaves the page as it was. */
export async function setFullscreen(on: boolean): Promise<void> {
  try {
    if (on && !isFullscreen() && fullscreenSupported()) await document.documentElement.requestFullscreen();
    else if (!on && isFullscreen()) await document.exitFullscreen();
  } catch (e) {
    console.warn('Full screen refused:', e);
  }
}
