/**
 * Which hosts the real race may ask for model files without asking the visitor first. A link can
 * carry `base=` (a class server's `/models/`), so a crafted one could make the page send requests
 * to any host as soon as it opens: the sizes are read with HEAD requests before any download, and
 * each request tells that host the visitor's address. The page's own origin (`/models/`, filled by
 * `npm run models:fetch`) and the Hugging Face hub stay automatic; any other origin is asked only
 * once the visitor has seen it and agreed, or typed it in the base field themselves. The agreement
 * lasts as long as the page (nothing is stored).
 */
import { signal } from '@preact/signals';
import { checkModelBase, HUB_BASE } from '../../lab/model-files.ts';

/** Origins the visitor agreed to load models from during this page's life. */
export const agreedOrigins = signal<ReadonlySet<string>>(new Set());

/** The page's address, against which a relative base resolves (as the session resolves it). */
export const pageHref = (): string => (typeof window !== 'undefined' && /^https?:/.test(window.location.href) ? window.location.href : 'http://localhost/');

/**
 * The origin of `base` when it is neither the page's own nor the hub's; null for those, for an
 * empty base (the hub) and for an invalid one (which is never asked anything).
 */
export function foreignOrigin(base: string, page: string = pageHref()): string | null {
  const b = base.trim();
  if (b === '') return null;
  let origin: string;
  try {
    origin = checkModelBase(b, page).origin;
  } catch {
    return null;
  }
  return origin === new URL(page).origin || origin === new URL(HUB_BASE).origin ? null : origin;
}

/** The foreign origin `base` would send requests to, while the visitor has not agreed to it; else null. */
export function consentNeeded(base: string, page: string = pageHref()): string | null {
  const origin = foreignOrigin(base, page);
  return origin !== null && !agreedOrigins.value.has(origin) ? origin : null;
}

/** The visitor agreed (a click on "load from …", or a base they typed themselves). */
export function agreeToBase(base: string, page: string = pageHref()): void {
  const origin = foreignOrigin(base, page);
  if (origin === null || agreedOrigins.value.has(origin)) return;
  agreedOrigins.value = new Set([...agreedOrigins.value, origin]);
}

/** Forgets every agreement (tests; a new page starts with none). */
export function resetConsent(): void {
  agreedOrigins.value = new Set();
}
