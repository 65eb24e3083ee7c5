/**
 * Strings of the kernel-tuning note under the provenance table (src/ui/energy/TuningNote.tsx),
 * loaded with that note rather than in the first screen's script: src/ui/energy/tuning-strings.ts
 * adds them to the dictionaries when the note loads.
 */
const en: Record<string, string> = {
  'model.tuning.autotune': 'Kernels tuned on this GPU in {seconds} s ({choices}).',
  'model.tuning.cache': 'Kernels tuned earlier on this GPU, taken from the cache ({choices}).',
  'model.tuning.splitK.one': 'split-K on {n} shape',
  'model.tuning.splitK.other': 'split-K on {n} shapes',
  'model.tuning.subgroupGemv': 'subgroup GEMV',
  'model.tuning.defaultsWon': 'the default kernels were fastest',
  'model.tuning.untimed': 'some candidates left untimed (time budget)',
  'model.tuning.unusable': 'some candidates could not be timed on this GPU',
  'model.tuning.refused.one': '{n} candidate refused: its output differed from the default kernel’s',
  'model.tuning.refused.other': '{n} candidates refused: their output differed from the default kernel’s',
  'model.tuning.noneTimed': 'no candidate timed within the time budget',
  'model.tuning.disabled': 'Default kernels: tuning was switched off for this run.',
  'model.tuning.noCandidates': 'Default kernels: no product of this run has an alternative worth timing on this GPU.',
  'model.tuning.noTimestamps': 'Default kernels: this GPU gives no timestamps, and one kernel timed on the wall clock is noise.',
  'model.tuning.failed': 'Default kernels: the tuning failed.',};

const fr: Record<string, string> = {
  'model.tuning.autotune': 'Noyaux réglés sur ce GPU en {seconds} s ({choices}).',
  'model.tuning.cache': 'Noyaux réglés auparavant sur ce GPU, repris du cache ({choices}).',
  'model.tuning.splitK.one': 'découpage en K sur {n} forme',
  'model.tuning.splitK.other': 'découpage en K sur {n} formes',
  'model.tuning.subgroupGemv': 'GEMV par sous-groupes',
  'model.tuning.defaultsWon': 'les noyaux par défaut étaient les plus rapides',
  'model.tuning.untimed': 'des candidats non mesurés (budget de temps)',
  'model.tuning.unusable': 'des candidats impossibles à mesurer sur ce GPU',
  'model.tuning.refused.one': '{n} candidat écarté : son résultat différait de celui du noyau par défaut',
  'model.tuning.refused.other': '{n} candidats écartés : leur résultat différait de celui du noyau par défaut',
  'model.tuning.noneTimed': 'aucun candidat mesuré dans le budget de temps',
  'model.tuning.disabled': 'Noyaux par défaut : le réglage était désactivé pour cette exécution.',
  'model.tuning.noCandidates': 'Noyaux par défaut : aucun produit de cette exécution n’a d’alternative à mesurer sur ce GPU.',
  'model.tuning.noTimestamps': 'Noyaux par défaut : ce GPU ne fournit pas d’horodatages, et un noyau chronométré à l’horloge murale n’est que du bruit.',
  'model.tuning.failed': 'Noyaux par défaut : le réglage a échoué.',};

export const tuningStrings = { en, fr };
