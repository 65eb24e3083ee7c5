/**
 * Messages of the real-models race that the first screen may need (the switch, error hints) and
 * the task's words. The views' own strings are in realmodels-view.ts, loaded with the views.
 * Keys are prefixed with "realmodels.".
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

  // The switch between the synthetic race and the real models (src/ui/realmodels/ModelsSwitch.tsx)
  'realmodels.switch.legend': 'Race with',
  'realmodels.switch.synthetic': 'synthetic weights (nothing to download)',
  'realmodels.switch.real': 'real models (download)',
  // Errors (src/ui/errors.ts)
  'realmodels.error.ModelRefError': 'Write the model id as owner/name, as on the Hugging Face hub.',
  'realmodels.error.DownloadHttpError': 'The server refused the file (404: the model id, variant or base URL is wrong). Check them, or ask the teacher for the class server’s address.',
  'realmodels.error.DownloadNetworkError': 'No connection, or the server does not let this page read its files (CORS). Check the network, or use a class server (MODELS_DIR) on this network.',
  'realmodels.error.DownloadCancelledError': 'Download cancelled. What arrived is kept: run again to resume.',
  'realmodels.error.DownloadReadError': 'The connection was lost during the download. What arrived is kept: run again to resume.',
  'realmodels.error.ModelFileError': 'A downloaded file is not what it should be (an error page instead of a model, or a truncated file). It was not kept: check the address and try again.',
  'realmodels.error.ModelQuotaError': 'The browser storage is full: forget downloaded models or free some space. The race still runs; the files will download again next time.',
  'realmodels.error.BaseNotAgreedError': 'The models’ address is on another site than this page’s and the Hugging Face hub, and you have not agreed to load from it: nothing was asked of it. Answer “Load models from …?”, or clear the address to use the usual source.',
  'realmodels.error.ModelSignatureError': 'This model does not fit the task (its inputs or outputs differ): choose a sentiment classifier or a chat model exported for ONNX.',
  'realmodels.error.HalfPrecisionUnavailableError': 'This GPU cannot compute in half precision: choose the fp32 or quantized variant.',
  'realmodels.error.ChatTemplateError': 'The chat model has no usable chat template (tokenizer_config.json): choose an instruct model.',
  'realmodels.error.ClassifierLabelsError': 'The classifier’s labels are not one positive and one negative class: choose a binary sentiment model.',
  'realmodels.error.ScoringError': 'The answers could not be scored. Please report it with the model id.',
  'realmodels.error.NoModelsLoadedError': 'The models are not loaded yet: run the race once, then type your sentence.',
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
  'realmodels.task.accuracy': 'justes : {correct} sur {n} ({rate} % ; intervalle à 95 % : {low}–{high} %)',
  'realmodels.task.parseFailures': 'réponses sans étiquette reconnue : {count} sur {n}, comptées fausses',
  'realmodels.task.agreement': 'WebGPU et la référence WASM ont donné la même réponse pour {agree} des {n} premières phrases',
  'realmodels.task.perCorrect.none': 'Aucune réponse juste : pas d’énergie par réponse juste.',

  // Bascule entre course synthétique et vrais modèles
  'realmodels.switch.legend': 'Course avec',
  'realmodels.switch.synthetic': 'des poids synthétiques (rien à télécharger)',
  'realmodels.switch.real': 'de vrais modèles (téléchargement)',
  // Erreurs
  'realmodels.error.ModelRefError': 'Écrivez l’identifiant du modèle sous la forme propriétaire/nom, comme sur le hub Hugging Face.',
  'realmodels.error.DownloadHttpError': 'Le serveur a refusé le fichier (404 : identifiant, variante ou adresse de base erronés). Vérifiez-les, ou demandez à l’enseignant l’adresse du serveur de la classe.',
  'realmodels.error.DownloadNetworkError': 'Pas de connexion, ou le serveur ne laisse pas cette page lire ses fichiers (CORS). Vérifiez le réseau, ou utilisez un serveur de classe (MODELS_DIR) sur ce réseau.',
  'realmodels.error.DownloadCancelledError': 'Téléchargement annulé. Ce qui est arrivé est gardé : relancez pour reprendre.',
  'realmodels.error.DownloadReadError': 'La connexion a été perdue pendant le téléchargement. Ce qui est arrivé est gardé : relancez pour reprendre.',
  'realmodels.error.ModelFileError': 'Un fichier téléchargé n’est pas ce qu’il devrait être (une page d’erreur au lieu d’un modèle, ou un fichier tronqué). Il n’a pas été gardé : vérifiez l’adresse et réessayez.',
  'realmodels.error.ModelQuotaError': 'Le stockage du navigateur est plein : oubliez des modèles téléchargés ou libérez de la place. La course tourne quand même ; les fichiers seront téléchargés à nouveau la prochaine fois.',
  'realmodels.error.BaseNotAgreedError': 'L’adresse des modèles est sur un autre site que celui de cette page et que le hub Hugging Face, et vous n’avez pas accepté d’y charger les modèles : rien ne lui a été demandé. Répondez à « Charger les modèles depuis … ? », ou videz l’adresse pour utiliser la source habituelle.',
  'realmodels.error.ModelSignatureError': 'Ce modèle ne convient pas à la tâche (ses entrées ou sorties diffèrent) : choisissez un classifieur de sentiment ou un modèle de conversation exporté en ONNX.',
  'realmodels.error.HalfPrecisionUnavailableError': 'Ce GPU ne calcule pas en demi-précision : choisissez la variante fp32 ou quantifiée.',
  'realmodels.error.ChatTemplateError': 'Le modèle de conversation n’a pas de modèle de dialogue utilisable (tokenizer_config.json) : choisissez un modèle « instruct ».',
  'realmodels.error.ClassifierLabelsError': 'Les étiquettes du classifieur ne sont pas une classe positive et une négative : choisissez un modèle de sentiment binaire.',
  'realmodels.error.ScoringError': 'Les réponses n’ont pas pu être notées. Merci de le signaler avec l’identifiant du modèle.',
  'realmodels.error.NoModelsLoadedError': 'Les modèles ne sont pas encore chargés : lancez la course une fois, puis tapez votre phrase.',
};

export const realmodels = { en, fr };
