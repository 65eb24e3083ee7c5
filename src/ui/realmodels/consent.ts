/**
 * Which hosts the real race may ask for model files without asking the visitor first. A link can
 * carry `base=` (a class server's `/models/`), so a crafted one could make the page send requests
 * to any host as soon as it opens: the sizes are read with HEAD requests before any download, and
 * each request tells that host the visitor's address. The page's own origin (`/models/`, filled by
 * `npm run models:fetch`) and the Hugging Face hub stay automatic; any other origin is asked only
 * once the visitor has seen it and agreed, or typed it in the base field themselves. The agreement
 * lasts as long as the page (nothing is stored).
 *
 * This module is the only one that mints a `BaseAgreement` (src/lab/base-agreement.ts): the view
 * hands it to the client with each size, check and race, and the client refuses a foreign base
 * without it, so a view that forgot the card would still send nothing.
 *
 * What counts as typed: the base field's value starts as the link's (when the link brought a
 * foreign host) and stays the link's through every edit until the field is emptied; only what is
 * typed after that is the visitor's own. Even then, an origin a link brought is never agreed by
 * typing it: only the card's button agrees to it. So deleting back into a crafted host name, or
 * retyping it, or changing one letter of it, leaves the card asking.
 *
 * Typing agrees to one origin at a time: the field is read per keystroke, so typing
 * `https://models.school.example/` would otherwise leave an agreement for every prefix of the host
 * (`https://m`, `https://mo`, …) for the page's life, and a later link naming one of them would be
 * sized without the card. Each newly typed origin replaces the previous typed one; what the card
 * agreed to stays.
 */
import { signal, type ReadonlySignal } from '@preact/signals';
import { BaseAgreement, foreignRequestOrigin } from '../../lab/base-agreement.ts';
import { checkModelBase } from '../../lab/model-files.ts';

const origins = signal<ReadonlySet<string>>(new Set());

/** Origins the visitor agreed to load models from during this page's life (read-only: agreeing goes through `agreeToBase`, which mints the agreement). */
export const agreedOrigins: ReadonlySignal<ReadonlySet<string>> = origins;

/** The agreement handed to the client, by origin (one per origin, made when the visitor agreed). */
const agreements = new Map<string, BaseAgreement>();

/** Origins agreed on the card (its button): typing on never drops them. */
const cardOrigins = new Set<string>();

/** The one origin agreed by typing (the last one typed from scratch), or null. */
let typedOrigin: string | null = null;

/** Foreign origins a link's `base=` brought during this page's life: typing one again is no agreement. */
const linkedOrigins = new Set<string>();

/** Whether the base field still holds (an edit of) a foreign base a link brought: not emptied since. */
let editingLinkedBase = false;

/** The page's address, against which a relative base resolves (as the session resolves it). */
export const pageHref = (): string => (typeof window !== 'undefined' && /^https?:/.test(window.location.href) ? window.location.href : 'http://localhost/');

/**
 * The origin of `base` when it is neither the page's own nor the hub's; null for those, for an
 * empty base (the hub) and for an invalid one (which is never asked anything).
 */
export function foreignOrigin(base: string, page: string = pageHref()): string | null {
  const b = base.trim();
  if (b === '') return null;
  try {
    // The client's own rule (base-agreement.ts), so the card asks exactly what the client would refuse.
    return foreignRequestOrigin(checkModelBase(b, page), page);
  } catch {
    return null;
  }
}

/** The foreign origin `base` would send requests to, while the visitor has not agreed to it; else null. */
export function consentNeeded(base: string, page: string = pageHref()): string | null {
  const origin = foreignOrigin(base, page);
  return origin !== null && !agreedOrigins.value.has(origin) ? origin : null;
}

/** Records the agreement to `origin` (minted once per origin while it stays agreed). */
function agree(origin: string): void {
  if (agreedOrigins.value.has(origin)) return;
  agreements.set(origin, BaseAgreement.fromVisitorConsent(origin));
  origins.value = new Set([...origins.value, origin]);
}

/** Withdraws the agreement to `origin`: the card asks again before anything is sent there. */
function withdraw(origin: string): void {
  agreements.delete(origin);
  const next = new Set(origins.value);
  next.delete(origin);
  origins.value = next;
}

/** The visitor agreed on the card (a click on "load from …"): kept for the page's life. */
export function agreeToBase(base: string, page: string = pageHref()): void {
  const origin = foreignOrigin(base, page);
  if (origin === null) return;
  cardOrigins.add(origin);
  agree(origin);
}

/** The visitor typed `origin` from scratch: agreed, in place of the origin typed before it (unless the card agreed to that one). */
function agreeTyped(origin: string): void {
  if (typedOrigin === origin) return;
  const previous = typedOrigin;
  typedOrigin = origin;
  if (previous !== null && !cardOrigins.has(previous)) withdraw(previous);
  agree(origin);
}

/**
 * What the client needs to ask `base` anything: the visitor's agreement to its origin; undefined
 * when it needs none (the page's origin, the hub) or the visitor has not agreed (the client then refuses).
 */
export function agreementFor(base: string, page: string = pageHref()): BaseAgreement | undefined {
  const origin = foreignOrigin(base, page);
  return origin === null ? undefined : agreements.get(origin);
}

/**
 * The base came from the address (a link, a QR code, a reload): it is the link's, not the
 * visitor's, until they empty the field (`baseEdited`). A base that is not foreign taints nothing.
 */
export function baseFromLink(base: string, page: string = pageHref()): void {
  const origin = foreignOrigin(base, page);
  if (origin !== null) linkedOrigins.add(origin);
  editingLinkedBase = origin !== null;
}

/**
 * The visitor changed the base field (a keystroke, Enter, leaving it) to `value`. Its origin is
 * agreed only when typed from scratch: not while the field still holds an edit of a link's
 * foreign base, and never for an origin a link brought (the card asks about those).
 */
export function baseEdited(value: string, page: string = pageHref()): void {
  if (value.trim() === '') {
    editingLinkedBase = false;
    return;
  }
  const origin = foreignOrigin(value, page);
  if (origin === null || editingLinkedBase || linkedOrigins.has(origin)) return;
  agreeTyped(origin);
}

/** Forgets every agreement and every link's base (tests; a new page starts with none). */
export function resetConsent(): void {
  agreements.clear();
  cardOrigins.clear();
  typedOrigin = null;
  linkedOrigins.clear();
  editingLinkedBase = false;
  origins.value = new Set();
}
