/**
 * Address parameters that drive the page rather than the measured suite: the one list the
 * router, the run views, the custom-suite parser and the `lab` CLI agree on. Everything else in
 * the query string of a `custom` run is a model field.
 */
export const PAGE_PARAMS = ['preset', 'lang', 'country', 'theme', 'autorun', 'debug', 'tune'] as const;

/** `tune=off` in the address runs the default kernels (no autotune); anything else tunes. */
export const tuneFromParams = (params: URLSearchParams | undefined): boolean => params?.get('tune') !== 'off';

export type PageParam = (typeof PAGE_PARAMS)[number];

export function isPageParam(key: string): key is PageParam {
  return (PAGE_PARAMS as readonly string[]).includes(key);
}
