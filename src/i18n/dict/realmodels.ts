/**
 * Messages of the real-models race: downloads, cache, task set, answers, accuracy. Keys are prefixed with "realmodels.".
 */
const en: Record<string, string> = {
  // Task and scoring (src/i18n/realmodels-task.ts)
  'realmodels.task.answer.positive': 'positive',
  'realmodels.task.answer.negative': 'negative',
  'realmodels.task.answer.unparseable': 'no answer',
  'realmodels.task.difficulty.plain': 'plain',
  'realmodels.task.difficulty.negation': 'negation',
  'realmodels.task.difficulty.irony': 'irony',
  'realmodels.task.difficulty.mixed': 'mixed feelings',
  'realmodels.task.difficulty.comparison': 'comparison',
  'realmodels.task.difficulty.slang': 'slang',
  'realmodels.task.own.title': 'Type your own sentence',
  'realmodels.task.own.placeholder': 'e.g. The battery died after a week, but the screen is gorgeous.',
  'realmodels.task.own.submit': 'Ask both models',
  'realmodels.task.own.hint': 'Both models answer on your device; nothing you type leaves it or is uploaded.',
  'realmodels.task.accuracy': '{correct} of {n} correct ({rate} %; 95 % interval {low}–{high} %)',
  'realmodels.task.parseFailures': '{count} of {n} replies named neither label (counted as wrong)',
  'realmodels.task.agreement': 'WebGPU and the WASM reference gave the same answer on {agree} of the first {n} sentences',
  'realmodels.task.perCorrect.none': 'No correct answer, so there is no energy per correct answer.',
};

const fr: Record<string, string> = {
  // Tâche et score (src/i18n/realmodels-task.ts)
  'realmodels.task.answer.positive': 'positif',
  'realmodels.task.answer.negative': 'négatif',
  'realmodels.task.answer.unparseable': 'sans réponse',
  'realmodels.task.difficulty.plain': 'direct',
  'realmodels.task.difficulty.negation': 'négation',
  'realmodels.task.difficulty.irony': 'ironie',
  'realmodels.task.difficulty.mixed': 'avis partagé',
  'realmodels.task.difficulty.comparison': 'comparaison',
  'realmodels.task.difficulty.slang': 'langage familier',
  'realmodels.task.own.title': 'Écrivez votre propre phrase',
  'realmodels.task.own.placeholder': 'p. ex. La batterie a lâché au bout d’une semaine, mais l’écran est superbe.',
  'realmodels.task.own.submit': 'Demander aux deux modèles',
  'realmodels.task.own.hint': 'Les deux modèles répondent sur votre appareil ; ce que vous tapez n’en sort pas et n’est jamais envoyé.',
  'realmodels.task.accuracy': '{correct} réponses justes sur {n} ({rate} % ; intervalle à 95 % : {low}–{high} %)',
  'realmodels.task.parseFailures': '{count} réponses sur {n} ne donnaient ni l’une ni l’autre étiquette (comptées fausses)',
  'realmodels.task.agreement': 'WebGPU et la référence WASM ont donné la même réponse pour {agree} des {n} premières phrases',
  'realmodels.task.perCorrect.none': 'Aucune réponse juste : pas d’énergie par réponse juste.',
};

export const realmodels = { en, fr };
