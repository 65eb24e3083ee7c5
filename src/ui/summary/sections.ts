/**
 * The sections of a finished run that open on demand, and their state in the address:
 * `#/?open=energy,kernels` opens those two, so a link shows the same view. Pure: parsing ignores
 * unknown or repeated names, serializing writes them in page order.
 */

/** Every section, in page order (the order `open=` is written in). */
export const SECTION_IDS = [
  'models',
  'kernels',
  'micro',
  'roofline',
  'energy',
  'provenance',
  'measured',
  'equivalences',
  'literature',
  'whatif',
  'budget',
  'profile',
  'grid',
  'embodied',
  'upload',
] as const;
export type SectionId = (typeof SECTION_IDS)[number];

/** The address parameter that holds the open sections. */
export const OPEN_PARAM = 'open';

function isSectionId(s: string): s is SectionId {
  return (SECTION_IDS as readonly string[]).includes(s);
}

/** The open sections named by `open=` (comma-separated); anything else is ignored. */
export function parseOpen(params: URLSearchParams): ReadonlySet<SectionId> {
  const names = params.getAll(OPEN_PARAM).flatMap((v) => v.split(','));
  return new Set(names.map((n) => n.trim().toLowerCase()).filter(isSectionId));
}

/** `open=` value for a set of sections, in page order; `null` when none is open. */
export function serializeOpen(open: ReadonlySet<SectionId>): string | null {
  const ids = SECTION_IDS.filter((id) => open.has(id));
  return ids.length ? ids.join(',') : null;
}

/** The same set with `id` opened or closed. */
export function withSection(open: ReadonlySet<SectionId>, id: SectionId, isOpen: boolean): ReadonlySet<SectionId> {
  const next = new Set(open);
  if (isOpen) next.add(id);
  else next.delete(id);
  return next;
}

/**
 * The hash for `hash` with its `open=` replaced, every other parameter kept in place:
 * `#/?preset=ci` + {energy} → `#/?preset=ci&open=energy`. Commas stay readable.
 */
export function hashWithOpen(hash: string, open: ReadonlySet<SectionId>): string {
  const h = hash.replace(/^#/, '');
  const q = h.indexOf('?');
  const path = (q < 0 ? h : h.slice(0, q)) || '/';
  const params = new URLSearchParams(q < 0 ? '' : h.slice(q + 1));
  params.delete(OPEN_PARAM);
  const value = serializeOpen(open);
  if (value) params.set(OPEN_PARAM, value);
  const query = params.toString().replace(/%2C/g, ',');
  return `#${path}${query ? `?${query}` : ''}`;
}
