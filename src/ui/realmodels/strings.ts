/**
 * Adds the real-models views' strings to the dictionaries. Imported first by every module that
 * starts a real-models view, so the strings travel in the views' chunk, not in the first screen's
 * script; `t()` reads the dictionaries at call time, so nothing else changes.
 */
import { realmodelsView } from '../../i18n/dict/realmodels-view.ts';
import { dictionaries, LANGS } from '../../i18n/index.ts';

for (const l of LANGS) Object.assign(dictionaries[l], realmodelsView[l]);
