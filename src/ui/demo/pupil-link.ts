/**
 * The link the pupils open on their own devices: the run view with the demo's preset, language
 * and grid country, and the class code once the teacher pools the class's results
 * (`#/?preset=quick&lang=fr&country=FRA&class=ABC123`), and the real race's own parameters when
 * the demo shows it (`models=real`, an absolute `base=`…: see src/ui/realmodels/state.ts `pupilParams`).
 */
import { CLASS_PARAM, isClassCode } from '../../shared/classroom.ts';
import { hrefFor } from '../router.ts';
import type { DemoSettings } from './settings.ts';

export function pupilHref(s: Pick<DemoSettings, 'preset' | 'lang' | 'country'>, classCode: string | null, real?: Record<string, string> | null): string {
  const p: Record<string, string> = { preset: s.preset };
  if (s.lang) p['lang'] = s.lang;
  if (s.country) p['country'] = s.country;
  Object.assign(p, real);
  if (classCode) p[CLASS_PARAM] = classCode;
  return hrefFor('run', p);
}

/** The class code of the page's address, when it is a well-formed one. */
export function classCodeOf(params: URLSearchParams): string | null {
  const c = params.get(CLASS_PARAM);
  return c !== null && isClassCode(c) ? c : null;
}

/** An absolute URL for a hash route of this page (what a QR code and a copied link must carry). */
export function absoluteUrl(hash: string, loc: Pick<Location, 'origin' | 'pathname' | 'search'> = window.location): string {
  return `${loc.origin}${loc.pathname}${loc.search}${hash}`;
}
