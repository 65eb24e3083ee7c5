/**
 * Messages of the model area. Keys are prefixed with "model.".
 * - model.note.*   notes a suite carries (presets.ts `Suite.notes`, keys and params from there)
 * - model.error.*  custom-suite validation and limit problems (presets.ts `CustomFieldError`, `LimitProblem`)
 * - model.preset.*, model.family.*, model.role.*  names for the UI
 * - model.ui.*     strings of the side-by-side run view (issue 3 item 8)
 */
const en: Record<string, string> = {
  // Suite notes
  'model.note.dtype': 'Weights and activations are stored and computed in {dtype}.',
  'model.note.quickChose': '{model} chosen (its largest tensor, {need}, fits the {allowed} buffer limit of this GPU).',
  'model.note.quickSkipped': '{model} skipped (its largest tensor, {need}, exceeds the {allowed} buffer limit of this GPU).',

  // Custom suite validation
  'model.error.unknown-param': 'Unknown setting “{field}” (value “{value}”).',
  'model.error.not-a-number': '“{field}” must be a number (got “{value}”).',
  'model.error.not-positive-integer': '“{field}” must be a positive whole number (got “{value}”).',
  'model.error.invalid-choice': '“{value}” is not an allowed value for “{field}”.',
  'model.error.unknown-model': 'Unknown model “{value}” for “{field}”.',
  'model.error.invalid-config': '“{field}” does not fit the rest of the model: {detail}',
  'model.error.limit.kv-cache':
    '{model} cannot run on this GPU: the KV cache of one layer needs {need}, above the {limit} limit ({allowed}). Try the “{preset}” preset.',
  'model.error.limit.ffn-activations':
    '{model} cannot run on this GPU: the FFN activations need {need}, above the {limit} limit ({allowed}). Try the “{preset}” preset.',
  'model.error.limit.logits':
    '{model} cannot run on this GPU: the logits need {need}, above the {limit} limit ({allowed}). Try the “{preset}” preset.',

  // Names
  'model.preset.ci': 'CI (tiny models)',
  'model.preset.quick': 'Quick (fits this device)',
  'model.preset.paper': 'Paper (DistilBERT vs Qwen2.5-0.5B)',
  'model.preset.custom': 'Custom',
  'model.family.encoder': 'Encoder classifier',
  'model.family.decoder': 'Decoder LLM',
  'model.role.specialized': 'Specialized model',
  'model.role.general': 'General model',
  'model.task.sentiment': 'Sentiment of a product review',

  // Run view
  'model.ui.synthetic':
    'Weights are synthetic (generated on your GPU, nothing is downloaded): the answers mean nothing, but the time and energy are real, because they depend only on the architecture and the number of tokens.',
  'model.ui.progress.encode': 'Reading the review ({tokens} tokens)',
  'model.ui.progress.prefill': 'Reading the prompt ({tokens} tokens)',
  'model.ui.progress.token': 'Token {i}/{n}',
  'model.ui.progress.synth': 'Generating the weights on the GPU',
  'model.ui.perQuery': 'Time per query: {ms} ms',
  'model.ui.flopsPerQuery': '{gflops} GFLOP per query',
  'model.ui.ratio': 'The general model takes {ratio}× as long as the specialized one for the same answer.',
  'model.ui.flopsRatio': 'It does {ratio}× the arithmetic: {general} GFLOP against {specialized} GFLOP per query.',
  'model.ui.kernels': 'Time per kernel',
  'model.ui.tokensPerSecond': 'Prefill {prefill} tokens/s, decode {decode} tokens/s',
  'model.ui.dtype': 'Precision: {dtype}',
  'model.ui.params': '{millions} M parameters',
  'model.ui.tooLarge': 'This model is too large for this GPU. Try a smaller preset.',
};

const fr: Record<string, string> = {
  'model.note.dtype': 'Les poids et les activations sont stockés et calculés en {dtype}.',
  'model.note.quickChose': '{model} retenu (son plus grand tenseur, {need}, tient dans la limite de tampon de {allowed} de ce GPU).',
  'model.note.quickSkipped': '{model} écarté (son plus grand tenseur, {need}, dépasse la limite de tampon de {allowed} de ce GPU).',

  'model.error.unknown-param': 'Réglage inconnu « {field} » (valeur « {value} »).',
  'model.error.not-a-number': '« {field} » doit être un nombre (reçu « {value} »).',
  'model.error.not-positive-integer': '« {field} » doit être un entier positif (reçu « {value} »).',
  'model.error.invalid-choice': '« {value} » n’est pas une valeur permise pour « {field} ».',
  'model.error.unknown-model': 'Modèle inconnu « {value} » pour « {field} ».',
  'model.error.invalid-config': '« {field} » est incompatible avec le reste du modèle : {detail}',
  'model.error.limit.kv-cache':
    '{model} ne peut pas tourner sur ce GPU : le cache KV d’une couche demande {need}, au-delà de la limite {limit} ({allowed}). Essayez le préréglage « {preset} ».',
  'model.error.limit.ffn-activations':
    '{model} ne peut pas tourner sur ce GPU : les activations du FFN demandent {need}, au-delà de la limite {limit} ({allowed}). Essayez le préréglage « {preset} ».',
  'model.error.limit.logits':
    '{model} ne peut pas tourner sur ce GPU : les logits demandent {need}, au-delà de la limite {limit} ({allowed}). Essayez le préréglage « {preset} ».',

  'model.preset.ci': 'CI (modèles minuscules)',
  'model.preset.quick': 'Rapide (adapté à cet appareil)',
  'model.preset.paper': 'Article (DistilBERT contre Qwen2.5-0.5B)',
  'model.preset.custom': 'Personnalisé',
  'model.family.encoder': 'Classifieur encodeur',
  'model.family.decoder': 'LLM décodeur',
  'model.role.specialized': 'Modèle spécialisé',
  'model.role.general': 'Modèle généraliste',
  'model.task.sentiment': 'Sentiment d’un avis client',

  'model.ui.synthetic':
    'Les poids sont synthétiques (générés sur votre GPU, rien n’est téléchargé) : les réponses n’ont pas de sens, mais le temps et l’énergie sont réels, car ils ne dépendent que de l’architecture et du nombre de jetons.',
  'model.ui.progress.encode': 'Lecture de l’avis ({tokens} jetons)',
  'model.ui.progress.prefill': 'Lecture de la consigne ({tokens} jetons)',
  'model.ui.progress.token': 'Jeton {i}/{n}',
  'model.ui.progress.synth': 'Génération des poids sur le GPU',
  'model.ui.perQuery': 'Temps par requête : {ms} ms',
  'model.ui.flopsPerQuery': '{gflops} GFLOP par requête',
  'model.ui.ratio': 'Le modèle généraliste met {ratio} fois plus de temps que le spécialisé pour la même réponse.',
  'model.ui.flopsRatio': 'Il fait {ratio} fois plus de calculs : {general} GFLOP contre {specialized} GFLOP par requête.',
  'model.ui.kernels': 'Temps par noyau de calcul',
  'model.ui.tokensPerSecond': 'Préremplissage {prefill} jetons/s, décodage {decode} jetons/s',
  'model.ui.dtype': 'Précision : {dtype}',
  'model.ui.params': '{millions} M de paramètres',
  'model.ui.tooLarge': 'Ce modèle est trop grand pour ce GPU. Essayez un préréglage plus petit.',
};

export const model = { en, fr };
