/** Theme choice (system, light, dark, projector), kept across visits. */
import { effect, signal } from '@preact/signals';

export type Theme = 'system' | 'light' | 'dark' | 'demo';
export const THEMES: readonly Theme[] = ['system', 'light', 'dark', 'demo'];

function stored(): Theme {
  try {
    const v = localStorage.getItem('theme');
    return (THEMES as readonly string[]).includes(v ?? '') ? (v as Theme) : 'system';
  } catch {
    return 'system';
  }
}

export const theme = signal<Theme>(typeof localStorage !== 'undefined' ? stored() : 'system');

if (typeof document !== 'undefined') {
  effect(() => {
    const v = theme.value;
    if (v === 'system') delete document.documentElement.dataset['theme'];
    else document.documentElement.dataset['theme'] = v;
    try {
      localStorage.setItem('theme', v);
    } catch {
      /* private mode: the choice lasts for this visit */
    }
  });
}
