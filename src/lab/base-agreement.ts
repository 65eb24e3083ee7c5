/**
 * Which hosts the lab may ask for model files, checked where the requests are made and not only
 * in the view. A link can carry `base=`, so a crafted one could point the page at any host; every
 * request (a HEAD for a size, a download, a Range request that resumes one) tells that host the
 * visitor's address. The page's own origin and the Hugging Face hub are automatic; any other
 * origin is asked only with the visitor's agreement for THAT origin.
 *
 * The agreement is a `BaseAgreement`: a value with a private field, so neither `true` nor an
 * object literal passes for one, made only by the consent flow (src/ui/realmodels/consent.ts,
 * after a click on "Load from …" or a base the visitor typed from scratch; a unit test checks no
 * other module mints one). The page-side client and session check it and refuse with
 * `BaseNotAgreedError` before anything is sent. A class instance does not survive postMessage, so
 * the worker is handed the agreed origin as a string (`RealRaceRequest.agreedOrigin`, filled only
 * from a checked agreement) and model-download.ts refuses every request whose origin is neither
 * the page's, the hub's nor that one (`RequestGuard`). A request to the agreed origin is sent with
 * `redirect: 'error'`, so that host cannot pass it on to a third one with a 302.
 */
import { HUB_BASE } from './model-files.ts';

/** A request to a model host the visitor has not agreed to: nothing was sent to it. */
export class BaseNotAgreedError extends Error {
  override name = 'BaseNotAgreedError';
  constructor(readonly origin: string) {
    super(`Nothing is asked of ${origin} (no model file, not even a size) until the visitor agrees to load models from it.`);
  }
}

/** The visitor's agreement to load model files from one origin, for as long as the page lives. */
export class BaseAgreement {
  readonly #origin: string;

  private constructor(origin: string) {
    this.#origin = origin;
  }

  get origin(): string {
    return this.#origin;
  }

  /**
   * Only the consent flow calls this, once the visitor has seen the origin and agreed (or typed it
   * themselves). `origin` is normalised (`https://Host:443/x` → `https://host`).
   */
  static fromVisitorConsent(origin: string): BaseAgreement {
    return new BaseAgreement(new URL(origin).origin);
  }

  /** Whether `v` was made by `fromVisitorConsent` (a look-alike object has no private field). */
  static isAgreement(v: unknown): v is BaseAgreement {
    return typeof v === 'object' && v !== null && #origin in v;
  }
}

const HUB_ORIGIN = new URL(HUB_BASE).origin;

function pageOrigin(page: string | undefined): string | null {
  if (page === undefined) return null;
  try {
    return new URL(page).origin;
  } catch {
    return null;
  }
}

/** The origin of `url` when it is neither the page's nor the hub's (a request that needs an agreement); else null. */
export function foreignRequestOrigin(url: URL, page: string | undefined): string | null {
  return url.origin === HUB_ORIGIN || url.origin === pageOrigin(page) ? null : url.origin;
}

/**
 * What model-download.ts is given to check each request against (the worker gets it from
 * `RealRaceRequest.agreedOrigin`): the one foreign origin agreed to, or null for none.
 */
export interface RequestGuard {
  agreedOrigin: string | null;
}

/** Throws BaseNotAgreedError unless `url` is on the page's origin, the hub, or the agreed origin. */
export function checkRequestAgreed(url: URL, page: string | undefined, guard: RequestGuard): void {
  const origin = foreignRequestOrigin(url, page);
  if (origin !== null && origin !== guard.agreedOrigin) throw new BaseNotAgreedError(origin);
}

/**
 * The page side's check of a base before it is asked anything: the foreign origin the agreement
 * covers (to hand on to the worker), null when the base needs none (empty: the hub; the page's
 * own origin; a base that does not resolve, which fails later without a request). Throws
 * BaseNotAgreedError when the base is foreign and `agreement` is missing, forged or for another origin.
 */
export function agreedOriginFor(base: string | undefined, page: string | undefined, agreement: BaseAgreement | undefined): string | null {
  if (base === undefined || base.trim() === '') return null;
  let url: URL;
  try {
    url = new URL(base.trim(), page ?? HUB_BASE);
  } catch {
    return null;
  }
  const origin = foreignRequestOrigin(url, page);
  if (origin === null) return null;
  if (!BaseAgreement.isAgreement(agreement) || agreement.origin !== origin) throw new BaseNotAgreedError(origin);
  return origin;
}
