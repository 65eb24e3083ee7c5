/**
 * Adds the tuning note's strings to the dictionaries. Imported first by TuningNote.tsx, which
 * loads on demand, so the strings travel in its chunk, not in the first screen's script.
 */
import { tuningStrings } from '../../i18n/dict/tuning.ts';
import { dictionaries, LANGS } from '../../i18n/index.ts';

for (const l of LANGS) Object.assign(dictionaries[l], tuningStrings[l]);
