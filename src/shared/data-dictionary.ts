/**
 * The data dictionary of the open dataset: every field a published result document may hold,
 * with its type, unit, allowed values (read from vocabulary.ts and the schema's lists, so they
 * cannot drift from what the server accepts), meaning in English and French, and how the value
 * is obtained. `npm run dictionary` writes docs/DATA_DICTIONARY.md from it; the app shows it at
 * `#/dictionary`.
 */
import { ENERGY_LABEL_CLASSES, ENERGY_LABEL_VERSION } from './energy-label.ts';
import { PRESET_NAMES } from './presets.ts';
import { MEASURED_METHODS, MODEL_BASES } from './provenance-types.ts';
import { knownSourceIds } from './provenance.ts';
import { MEASURED_REASONS, SENSOR_COVERAGES, SENSOR_KINDS } from './power.ts';
import { KNOWN_VENDORS } from './schema.ts';
import { PROMPT_VERSIONS } from './realmodels/prompt.ts';
import { AGREEMENT_REASONS, ANSWER_KINDS, EXECUTION_PROVIDERS, NO_FIGURE_REASONS, REAL_DTYPES, REAL_MODEL_KEYS } from './realmodels/record.ts';
import { TASK_LANGUAGES, TASK_SET_IDS } from './realmodels/task-set.ts';
import { GEMM_SPLIT_K, GEMV_REDUCTIONS, TUNING_DEFAULT_REASONS, TUNING_SOURCES } from './tuning.ts';
import { SHAPE_KEY_PATTERN } from './tuning-schema.ts';
import {
  APP_VERSION_PATTERN, APPLE_TIERS, ARCHITECTURE_PATTERN, BROWSER_FAMILIES, CATALOG_VERSION_PATTERN, CONFIG_BOOLEAN_KEYS, CONFIG_KEYS,
  CONFIG_STRINGS, EMBODIED_CLASSES, FORMULAS_VERSIONS, GRID_COUNTRIES, KERNEL_NAMES, MEASURED_PROFILE_IDS, MICRO_WORKLOAD_IDS,
  MODEL_WORKLOAD_IDS, OS_FAMILIES, PROFILE_FLAGS, RECORDED_FEATURES, RECORDED_LIMIT_NAMES, RESULT_FLAGS, SUITE_VERSIONS, CATALOG_PROFILE_IDS,
  ENERGY_WORKLOAD_IDS, REAL_FLOPS_UNKNOWN, REAL_WORKLOAD_IDS,
  RUNTIME_KINDS, WEBGPU_BACKENDS,
} from './vocabulary.ts';

/** How a value comes to be: timed on the device, taken from a cited source, computed by a model, or a name. */
export type Obtained = 'measured' | 'sourced' | 'modeled' | 'identifier';
export type FieldType = 'string' | 'number' | 'integer' | 'boolean' | 'string[]' | 'number[]';

export interface DictionaryField {
  /** Dotted path; `[]` marks the items of a list. */
  path: string;
  type: FieldType;
  /** May be null (not measured, not known). */
  nullable: boolean;
  unit: string | null;
  /** Allowed values or pattern; null when any value within the schema's bounds is allowed. */
  allowed: string | null;
  obtained: Obtained;
  meaning: { en: string; fr: string };
}

const oneOf = (xs: readonly string[]): string => {
  const shown = xs.map((x) => (x === '' ? '"" (hidden)' : x));
  return shown.length <= 40 ? shown.join(', ') : `${shown.length} values: ${shown.slice(0, 12).join(', ')}, … (src/shared/vocabulary.ts)`;
};
const pattern = (re: RegExp): string => `pattern ${re.source}`;

function field(path: string, type: FieldType, unit: string | null, allowed: string | null, obtained: Obtained, en: string, fr: string, nullable = false): DictionaryField {
  return { path, type, nullable, unit, allowed, obtained, meaning: { en, fr } };
}

const ROLES = ['general', 'specialized'] as const;
const ROLE_FR = { general: 'généraliste', specialized: 'spécialisé' } as const;
const BOUNDS = { p5: ['5th percentile', '5e centile'], p50: ['median', 'médiane'], p95: ['95th percentile', '95e centile'] } as const;
const TRI = { low: ['lowest value', 'valeur basse'], typ: ['typical value (mode)', 'valeur typique (mode)'], high: ['highest value', 'valeur haute'] } as const;

function range3(path: string, unit: string, obtained: Obtained, en: string, fr: string): DictionaryField[] {
  return (['p5', 'p50', 'p95'] as const).map((k) => field(`${path}.${k}`, 'number', unit, null, obtained, `${en}: ${BOUNDS[k][0]} of the Monte Carlo draws`, `${fr} : ${BOUNDS[k][1]} des tirages Monte Carlo`));
}
function triangle(path: string, unit: string, obtained: Obtained, en: string, fr: string, keys: readonly ('low' | 'typ' | 'high')[] = ['low', 'typ', 'high']): DictionaryField[] {
  return keys.map((k) => field(`${path}.${k}`, 'number', unit, null, obtained, `${en}: ${TRI[k][0]}`, `${fr} : ${TRI[k][1]}`));
}

// ---------------------------------------------------------------------------------------------
// Run, environment

/** Kernel tuning (src/shared/tuning.ts): `MxNxK` in a path stands for each GEMM shape key. */
const TUNING: DictionaryField[] = [
  field('environment.tuning.source', 'string', null, oneOf(TUNING_SOURCES), 'identifier', 'Where the kernel choices came from: timed in this run, kept from an earlier autotune on the same adapter and kernel sources, or the defaults', 'Origine des choix de noyaux : mesurés pendant cette exécution, repris d’un réglage antérieur sur le même adaptateur et les mêmes sources de noyaux, ou valeurs par défaut'),
  field('environment.tuning.reason', 'string', null, oneOf(TUNING_DEFAULT_REASONS), 'identifier', 'Why the defaults ran (only when source is default)', 'Raison de l’usage des valeurs par défaut (seulement si source vaut default)'),
  field('environment.tuning.tuning.gemmSplitK.MxNxK', 'integer', null, `${GEMM_SPLIT_K.join(', ')}; keys ${pattern(SHAPE_KEY_PATTERN)}, at most 64`, 'identifier', 'Split-K chosen for the matrix product m×n×k (a shape absent runs unsplit)', 'Découpage en K choisi pour le produit matriciel m×n×k (une forme absente n’est pas découpée)'),
  field('environment.tuning.tuning.gemvReduction', 'string', null, oneOf(GEMV_REDUCTIONS), 'identifier', 'How every matrix-vector product sums over K: shared memory or subgroup operations', 'Façon dont chaque produit matrice-vecteur somme sur K : mémoire partagée ou opérations de sous-groupe'),
  field('environment.tuning.tuneMs', 'number', 'ms', null, 'measured', 'Wall-clock time the autotune took in this run (null: from the cache, or the defaults)', 'Durée (horloge murale) du réglage automatique pendant cette exécution (null : repris du cache, ou valeurs par défaut)', true),
  field('environment.tuning.trials[].op', 'string', null, 'gemm, gemv', 'identifier', 'Kind of product a candidate was timed on', 'Type de produit sur lequel un candidat a été mesuré'),
  field('environment.tuning.trials[].shape', 'string', null, pattern(SHAPE_KEY_PATTERN), 'identifier', 'Shape timed, m×n×k (1×n×k for a matrix-vector product)', 'Forme mesurée, m×n×k (1×n×k pour un produit matrice-vecteur)'),
  field('environment.tuning.trials[].candidate', 'string', null, [...GEMM_SPLIT_K.map((k) => `splitK=${k}`), ...GEMV_REDUCTIONS.map((r) => `reduction=${r}`)].join(', '), 'identifier', 'Candidate timed', 'Candidat mesuré'),
  field('environment.tuning.trials[].medianMs', 'number', 'ms', null, 'measured', 'Median GPU time of one dispatch group of the candidate (GPU timestamps); null when not timed (a failure, or the budget ran out)', 'Temps GPU médian d’un groupe de lancements du candidat (horodatages GPU) ; null si non mesuré (échec, ou budget épuisé)', true),
];

const RUN: DictionaryField[] = [
  field('schemaVersion', 'integer', null, '1', 'identifier', 'Version of the document schema', 'Version du schéma du document'),
  field('suite.preset', 'string', null, oneOf(PRESET_NAMES), 'identifier', 'Benchmark preset that was run', 'Préréglage de banc d’essai exécuté'),
  field('suite.version', 'string', null, oneOf(SUITE_VERSIONS), 'identifier', 'Version of the preset’s workloads (PRESET-N)', 'Version des charges du préréglage (PRÉRÉGLAGE-N)'),
  field('app.version', 'string', null, pattern(APP_VERSION_PATTERN), 'identifier', 'Version of the app that ran the benchmark ("0.0.0-invalid" for a row whose version was not one)', 'Version de l’application qui a exécuté le banc (« 0.0.0-invalid » pour une ligne dont la version n’en était pas une)'),
  field('date', 'string', null, 'YYYY-MM-DD, 2020–2100', 'identifier', 'Day of the run (UTC); no finer time is recorded', 'Jour de l’exécution (UTC) ; aucune heure n’est enregistrée'),
  field('flags', 'string[]', null, oneOf(RESULT_FLAGS), 'identifier', 'Run-level flags (tab hidden, device lost, …); unknown flags are dropped', 'Drapeaux de l’exécution (onglet masqué, appareil perdu, …) ; les drapeaux inconnus sont supprimés'),
  field('environment.browser.name', 'string', null, oneOf(BROWSER_FAMILIES), 'identifier', 'Browser family', 'Famille de navigateur'),
  field('environment.browser.major', 'integer', null, null, 'identifier', 'Browser major version', 'Version majeure du navigateur', true),
  field('environment.os.family', 'string', null, oneOf(OS_FAMILIES), 'identifier', 'Operating-system family', 'Famille de système d’exploitation'),
  field('environment.adapter.vendor', 'string', null, oneOf(KNOWN_VENDORS), 'identifier', 'GPU vendor as WebGPU reports it', 'Fabricant du GPU tel que WebGPU l’indique'),
  field('environment.adapter.architecture', 'string', null, pattern(ARCHITECTURE_PATTERN), 'identifier', 'GPU architecture as WebGPU reports it (e.g. lovelace, rdna-3)', 'Architecture du GPU telle que WebGPU l’indique (p. ex. lovelace, rdna-3)'),
  field('environment.adapter.isFallbackAdapter', 'boolean', null, null, 'identifier', 'Whether the adapter is a software (CPU) fallback', 'Indique si l’adaptateur est un adaptateur logiciel de secours (CPU)'),
  field('environment.adapter.features', 'string[]', null, oneOf(RECORDED_FEATURES), 'identifier', 'Optional WebGPU features the adapter offers (others are not recorded)', 'Fonctionnalités WebGPU facultatives offertes par l’adaptateur (les autres ne sont pas enregistrées)'),
  ...RECORDED_LIMIT_NAMES.map((name) => field(`environment.adapter.limits.${name}`, 'number', name.includes('Size') && !name.includes('Workgroup') ? 'bytes' : null, null, 'identifier', `WebGPU adapter limit ${name}`, `Limite ${name} de l’adaptateur WebGPU`)),
  field('environment.adapter.subgroupMinSize', 'integer', 'invocations', null, 'identifier', 'Smallest subgroup size the adapter reports', 'Plus petite taille de sous-groupe indiquée par l’adaptateur', true),
  field('environment.adapter.subgroupMaxSize', 'integer', 'invocations', null, 'identifier', 'Largest subgroup size the adapter reports', 'Plus grande taille de sous-groupe indiquée par l’adaptateur', true),
  field('environment.timing', 'string', null, 'gpu-timestamp, wall-clock', 'identifier', 'How GPU time was measured on this device', 'Façon dont le temps GPU a été mesuré sur cet appareil'),
  field('environment.crossOriginIsolated', 'boolean', null, null, 'identifier', 'Whether the page was cross-origin isolated', 'Indique si la page était isolée (cross-origin isolated)'),
  field('environment.runtime.kind', 'string', null, oneOf(RUNTIME_KINDS), 'identifier', 'What ran the engine: a browser, or Dawn for Node in the browser-free runner', 'Ce qui a exécuté le moteur : un navigateur, ou Dawn pour Node dans l’exécuteur sans navigateur'),
  field('environment.runtime.backend', 'string', null, oneOf(WEBGPU_BACKENDS), 'identifier', 'Native graphics API under WebGPU (Dawn’s backend); null when unknown (a browser does not say)', 'API graphique native sous WebGPU (backend de Dawn) ; null si inconnue (un navigateur ne la dit pas)', true),
  ...TUNING,
];

// ---------------------------------------------------------------------------------------------
// Workloads

const CONFIG_MEANINGS: Record<string, [string, string]> = {
  model: ['Model name', 'Nom du modèle'], family: ['Encoder or decoder', 'Encodeur ou décodeur'], layers: ['Transformer layers', 'Couches du transformeur'],
  hidden: ['Hidden size', 'Taille cachée'], heads: ['Attention heads', 'Têtes d’attention'], kvHeads: ['Key/value heads', 'Têtes clé/valeur'],
  headDim: ['Size of one attention head', 'Taille d’une tête d’attention'], ffn: ['Feed-forward size', 'Taille du réseau feed-forward'],
  vocab: ['Vocabulary size', 'Taille du vocabulaire'], maxPositions: ['Longest sequence', 'Séquence la plus longue'], dtype: ['Number format of weights and activations', 'Format numérique des poids et activations'],
  normEps: ['Normalization epsilon', 'Epsilon de normalisation'], norm: ['Normalization', 'Normalisation'], activation: ['Activation function', 'Fonction d’activation'],
  positions: ['Position encoding', 'Encodage des positions'], ropeTheta: ['RoPE base', 'Base RoPE'], tiedEmbeddings: ['Output layer shares the embedding weights', 'La couche de sortie partage les poids de l’embedding'],
  qkvBias: ['Q/K/V projections have a bias', 'Les projections Q/K/V ont un biais'], labels: ['Classifier labels', 'Étiquettes du classifieur'],
  preClassifier: ['Activation before the classifier', 'Activation avant le classifieur'], seed: ['Seed of the synthetic weights', 'Graine des poids synthétiques'],
  inputTokens: ['Tokens per query (encoder)', 'Jetons par requête (encodeur)'], promptTokens: ['Prompt tokens per query (decoder)', 'Jetons d’invite par requête (décodeur)'],
  outputTokens: ['Generated tokens per query', 'Jetons générés par requête'], invocations: ['Shader invocations', 'Invocations du shader'],
  iterations: ['Loop iterations per invocation', 'Itérations par invocation'], workgroupSize: ['Workgroup size', 'Taille du groupe de travail'],
  bytes: ['Bytes copied', 'Octets copiés'], m: ['Rows of the product', 'Lignes du produit'], n: ['Columns of the product', 'Colonnes du produit'], k: ['Inner dimension', 'Dimension interne'],
};

/**
 * Keys only a real-model workload's config has (realmodels/cost.ts); its architecture numbers
 * (family, layers, hidden, heads, kvHeads, ffn, vocab) share the synthetic config's paths, read
 * from the model's config.json (null when it does not say).
 */
const REAL_CONFIG: DictionaryField[] = [
  field('workloads[].config.maxNewTokens', 'integer', 'tokens', null, 'identifier', 'Real generator: the reply budget the race ran with', 'Générateur réel : nombre maximal de jetons de réponse de la course'),
  field('workloads[].config.onnxBytes', 'integer', 'bytes', null, 'identifier', 'Real model: size of the ONNX file run', 'Modèle réel : taille du fichier ONNX exécuté'),
];

/** The `real` block of a real-model workload (realmodels-result.ts): which model, how it was asked, how well it answered. */
const REAL: DictionaryField[] = [
  field('workloads[].real.model', 'string', null, oneOf(REAL_MODEL_KEYS), 'identifier', 'Real model run (custom: a model the visitor named, identified by its file hash only)', 'Modèle réel exécuté (custom : un modèle choisi par le visiteur, identifié par l’empreinte de son fichier seulement)'),
  field('workloads[].real.revision', 'string', null, 'pattern ^[0-9a-f]{40}$', 'identifier', 'Commit of the model repository the files came from', 'Commit du dépôt du modèle d’où viennent les fichiers', true),
  field('workloads[].real.sha256', 'string', null, 'pattern ^[0-9a-f]{64}$', 'identifier', 'SHA-256 of the ONNX file run', 'SHA-256 du fichier ONNX exécuté', true),
  field('workloads[].real.dtype', 'string', null, oneOf(REAL_DTYPES), 'identifier', 'Weight variant of the ONNX export', 'Variante de poids de l’export ONNX'),
  field('workloads[].real.executionProvider', 'string', null, oneOf(EXECUTION_PROVIDERS), 'identifier', 'onnxruntime-web execution provider: WebGPU, or WASM (the CPU reference)', 'Fournisseur d’exécution d’onnxruntime-web : WebGPU, ou WASM (la référence CPU)'),
  field('workloads[].real.answer', 'string', null, oneOf(ANSWER_KINDS), 'identifier', 'How the model answers: classifier logits, or a generated reply that is parsed', 'Façon dont le modèle répond : logits d’un classifieur, ou réponse générée puis analysée'),
  field('workloads[].real.promptVersion', 'string', null, oneOf(PROMPT_VERSIONS), 'identifier', 'Version of the fixed zero-shot prompt (null for a classifier)', 'Version de l’invite zéro-shot fixe (null pour un classifieur)', true),
  field('workloads[].real.taskSet.id', 'string', null, oneOf(TASK_SET_IDS), 'identifier', 'Task set answered (data/tasks/)', 'Jeu de tâches traité (data/tasks/)'),
  field('workloads[].real.taskSet.version', 'integer', null, null, 'identifier', 'Version of the task set (accuracy compares within a version)', 'Version du jeu de tâches (la justesse se compare au sein d’une version)'),
  field('workloads[].real.taskSet.language', 'string', null, oneOf(TASK_LANGUAGES), 'identifier', 'Language of the task set', 'Langue du jeu de tâches'),
  field('workloads[].real.tokens.inputMedian', 'integer', 'tokens', null, 'measured', 'Median input tokens per query (the rendered prompt, or the review for a classifier)', 'Jetons d’entrée médians par requête (l’invite rendue, ou l’avis pour un classifieur)'),
  field('workloads[].real.tokens.inputTotal', 'integer', 'tokens', null, 'measured', 'Input tokens over all items', 'Jetons d’entrée sur tous les éléments'),
  field('workloads[].real.tokens.outputMedian', 'integer', 'tokens', null, 'measured', 'Median reply tokens per query (0 for a classifier)', 'Jetons de réponse médians par requête (0 pour un classifieur)'),
  field('workloads[].real.tokens.outputTotal', 'integer', 'tokens', null, 'measured', 'Reply tokens over all items', 'Jetons de réponse sur tous les éléments'),
  field('workloads[].real.accuracy.correct', 'integer', 'answers', null, 'measured', 'Correct answers', 'Réponses justes'),
  field('workloads[].real.accuracy.n', 'integer', 'answers', null, 'measured', 'Items answered (unparseable replies included, counted wrong)', 'Éléments traités (réponses illisibles comprises, comptées fausses)'),
  field('workloads[].real.accuracy.low', 'number', 'ratio', null, 'modeled', 'Accuracy: low end of the 95 % Wilson interval of correct/n', 'Justesse : borne basse de l’intervalle de Wilson à 95 % de correct/n'),
  field('workloads[].real.accuracy.high', 'number', 'ratio', null, 'modeled', 'Accuracy: high end of the 95 % Wilson interval of correct/n', 'Justesse : borne haute de l’intervalle de Wilson à 95 % de correct/n'),
  field('workloads[].real.parseFailures', 'integer', 'answers', null, 'measured', 'Replies that named no label', 'Réponses sans étiquette reconnaissable'),
  field('workloads[].real.agreement.measured', 'boolean', null, null, 'identifier', 'Whether the answers were compared with the WASM reference', 'Indique si les réponses ont été comparées à la référence WASM'),
  field('workloads[].real.agreement.agree', 'integer', 'answers', null, 'measured', 'Answers equal to the WASM reference’s, on the first items', 'Réponses égales à celles de la référence WASM, sur les premiers éléments'),
  field('workloads[].real.agreement.n', 'integer', 'answers', null, 'measured', 'Items compared with the WASM reference', 'Éléments comparés à la référence WASM'),
  field('workloads[].real.agreement.reason', 'string', null, oneOf(AGREEMENT_REASONS), 'identifier', 'Why there is no agreement figure', 'Raison de l’absence de taux d’accord'),
  field('workloads[].real.sessionMedianMs', 'number', 'ms', null, 'measured', 'Median time inside the session runs per query (forward passes only), compared with the synthetic replica', 'Temps médian dans les exécutions de session par requête (passes avant seulement), comparé à la réplique synthétique'),
];

const CONFIG: DictionaryField[] = CONFIG_KEYS.map((key) => {
  const words = CONFIG_STRINGS[key];
  const [en, fr] = CONFIG_MEANINGS[key] ?? [key, key];
  if (words) return field(`workloads[].config.${key}`, 'string', null, oneOf(words), 'identifier', en, fr);
  if ((CONFIG_BOOLEAN_KEYS as readonly string[]).includes(key)) return field(`workloads[].config.${key}`, 'boolean', null, null, 'identifier', en, fr);
  return field(`workloads[].config.${key}`, 'number', key === 'bytes' ? 'bytes' : null, null, 'identifier', en, fr, true);
});

const TIMING: DictionaryField[] = [
  field('workloads[].timing.source', 'string', null, 'gpu-timestamp, wall-clock', 'identifier', 'Clock of this workload’s samples', 'Horloge des échantillons de cette charge'),
  field('workloads[].timing.warmup', 'integer', 'runs', null, 'measured', 'Warm-up runs excluded from the samples', 'Exécutions de chauffe exclues des échantillons'),
  field('workloads[].timing.samplesMs', 'number[]', 'ms', null, 'measured', 'Time per unit (dispatch or query) of each sample', 'Temps par unité (dispatch ou requête) de chaque échantillon'),
  field('workloads[].timing.medianMs', 'number', 'ms', null, 'measured', 'Median of the samples', 'Médiane des échantillons'),
  field('workloads[].timing.p10Ms', 'number', 'ms', null, 'measured', '10th percentile of the samples', '10e centile des échantillons'),
  field('workloads[].timing.p90Ms', 'number', 'ms', null, 'measured', '90th percentile of the samples', '90e centile des échantillons'),
  field('workloads[].timing.minMs', 'number', 'ms', null, 'measured', 'Fastest sample', 'Échantillon le plus rapide'),
  field('workloads[].timing.meanMs', 'number', 'ms', null, 'measured', 'Mean of the samples', 'Moyenne des échantillons'),
  field('workloads[].timing.cv', 'number', 'ratio', null, 'measured', 'Coefficient of variation of the samples', 'Coefficient de variation des échantillons'),
  field('workloads[].timing.ciMedianMs.low', 'number', 'ms', null, 'measured', '95 % confidence interval of the median: low end', 'Intervalle de confiance à 95 % de la médiane : borne basse'),
  field('workloads[].timing.ciMedianMs.high', 'number', 'ms', null, 'measured', '95 % confidence interval of the median: high end', 'Intervalle de confiance à 95 % de la médiane : borne haute'),
  field('workloads[].timing.batch', 'integer', 'repetitions', null, 'measured', 'Repetitions timed together per sample', 'Répétitions chronométrées ensemble par échantillon'),
  field('workloads[].timing.dropped', 'integer', 'samples', null, 'measured', 'Samples dropped (negative, zero or non-finite)', 'Échantillons écartés (négatifs, nuls ou non finis)'),
  field('workloads[].timing.wallMedianMs', 'number', 'ms', null, 'measured', 'Median wall-clock time per unit (submit to completion)', 'Temps médian d’horloge murale par unité (soumission à achèvement)', true),
  field('workloads[].timing.flags', 'string[]', null, oneOf(RESULT_FLAGS), 'identifier', 'Flags of this timing (high variability, …)', 'Drapeaux de cette mesure (forte variabilité, …)'),
  field('workloads[].timing.preheatMs', 'number', 'ms', null, 'measured', 'Time the workload ran before its first sample', 'Durée d’exécution avant le premier échantillon'),
  field('workloads[].timing.targetBatchMs', 'number', 'ms', null, 'identifier', 'Shortest batch aimed at', 'Lot le plus court visé'),
  field('workloads[].timing.wallBaselineMs', 'number', 'ms', null, 'measured', 'Median time of an empty submission, subtracted from wall samples', 'Temps médian d’une soumission vide, soustrait des échantillons muraux'),
];

const WORKLOADS: DictionaryField[] = [
  field('workloads[].id', 'string', null, oneOf([...MICRO_WORKLOAD_IDS, ...MODEL_WORKLOAD_IDS, ...REAL_WORKLOAD_IDS]), 'identifier', 'Workload id (micro-benchmark, ROLE:MODEL for a synthetic model, ROLE:MODEL:EP for a real one)', 'Identifiant de la charge (micro-banc, RÔLE:MODÈLE pour un modèle synthétique, RÔLE:MODÈLE:EP pour un modèle réel)'),
  field('workloads[].kind', 'string', null, 'micro, model, real-model', 'identifier', 'Micro-benchmark, synthetic-weight model run by the lab’s engine, or real model run by onnxruntime-web', 'Micro-banc, modèle à poids synthétiques exécuté par le moteur du labo, ou modèle réel exécuté par onnxruntime-web'),
  field('workloads[].role', 'string', null, 'general, specialized', 'identifier', 'Role of a model workload', 'Rôle d’une charge de modèle'),
  ...CONFIG,
  ...REAL_CONFIG,
  field('workloads[].flops', 'number', 'FLOP', null, 'modeled', 'Floating-point operations of one unit, counted from the shapes (real models: estimated from the architecture and the median token counts; null when the architecture is incomplete)', 'Opérations en virgule flottante d’une unité, comptées à partir des formes (modèles réels : estimées d’après l’architecture et les nombres médians de jetons ; null si l’architecture est incomplète)', true),
  field('workloads[].flopsUnknown', 'string', null, oneOf(REAL_FLOPS_UNKNOWN), 'identifier', 'Why flops is null', 'Raison pour laquelle flops est null'),
  field('workloads[].bytes', 'number', 'bytes', null, 'modeled', 'Bytes moved by one unit, counted from the shapes (real models: the ONNX file’s size × forward passes per query, a lower bound)', 'Octets déplacés par une unité, comptés à partir des formes (modèles réels : taille du fichier ONNX × passes avant par requête, une borne basse)'),
  ...TIMING,
  field('workloads[].kernels[].name', 'string', null, oneOf(KERNEL_NAMES), 'identifier', 'Kernel of the per-kernel breakdown', 'Noyau de la ventilation par noyau'),
  field('workloads[].kernels[].medianMs', 'number', 'ms', null, 'measured', 'Kernel time per query, scaled to the batched median', 'Temps du noyau par requête, ramené à la médiane par lots'),
  field('workloads[].kernels[].flops', 'number', 'FLOP', null, 'modeled', 'Floating-point operations of the kernel per query', 'Opérations en virgule flottante du noyau par requête'),
  field('workloads[].kernels[].bytes', 'number', 'bytes', null, 'modeled', 'Bytes moved by the kernel per query', 'Octets déplacés par le noyau par requête'),
  field('workloads[].kernels[].count', 'integer', 'dispatches', null, 'modeled', 'Dispatches of the kernel per query', 'Lancements du noyau par requête'),
  field('workloads[].gflops', 'number', 'GFLOP/s', null, 'measured', 'Achieved throughput (flops / median time)', 'Débit atteint (flops / temps médian)', true),
  field('workloads[].gbps', 'number', 'GB/s', null, 'measured', 'Achieved bandwidth (bytes / median time)', 'Bande passante atteinte (octets / temps médian)', true),
  field('workloads[].tokensPerSecond.prefill', 'number', 'tokens/s', null, 'measured', 'Prompt tokens processed per second', 'Jetons d’invite traités par seconde', true),
  field('workloads[].tokensPerSecond.decode', 'number', 'tokens/s', null, 'measured', 'Tokens generated per second', 'Jetons générés par seconde', true),
  field('workloads[].verified', 'boolean', null, null, 'measured', 'Output matched the CPU reference before timing', 'La sortie correspondait à la référence CPU avant la mesure'),
  field('workloads[].dtype', 'string', null, 'f32, f16', 'identifier', 'Number format the workload ran in', 'Format numérique de la charge'),
  ...REAL,
];

// ---------------------------------------------------------------------------------------------
// Energy section

const PROFILE: DictionaryField[] = [
  field('energy.profile.id', 'string', null, `a catalog id (${oneOf(CATALOG_PROFILE_IDS)}), several joined by "+" (a band over classes), or ${MEASURED_PROFILE_IDS.join(', ')}`, 'identifier', 'Power profile the energy was computed with (data/power-profiles.json); its label and reason are rendered from the catalog', 'Profil de puissance utilisé pour l’énergie (data/power-profiles.json) ; son libellé et sa justification sont rendus depuis le catalogue'),
  field('energy.profile.source', 'string', null, 'catalog, user, battery, sensor', 'identifier', 'Catalog class, wall-meter reading, battery-drain calibration, or a power sensor of the machine (a measured run on the same adapter)', 'Classe du catalogue, relevé au wattmètre, étalonnage par décharge de batterie, ou capteur de puissance de la machine (une exécution mesurée sur le même adaptateur)'),
  field('energy.profile.idleW', 'number', 'W', null, 'sourced', 'Typical idle power of the device (mode of the idle triangle); measured for wall-meter, battery and sensor profiles', 'Puissance typique au repos de l’appareil (mode du triangle de repos) ; mesurée pour les profils wattmètre, batterie et capteur', true),
  ...triangle('energy.profile.deltaW', 'W', 'sourced', 'Extra GPU power under load', 'Puissance GPU supplémentaire en charge'),
  ...triangle('energy.profile.idleRangeW', 'W', 'sourced', 'Idle power range', 'Plage de puissance au repos', ['low', 'high']),
  field('energy.profile.hostIncluded', 'boolean', null, null, 'identifier', 'The watts already include the host (wall meter, battery drain)', 'Les watts incluent déjà l’hôte (wattmètre, décharge de batterie)'),
  field('energy.profile.confidence', 'string', null, 'low, medium, high, calibrated', 'identifier', 'Confidence in the profile', 'Confiance dans le profil'),
  field('energy.profile.basis.kind', 'string', null, 'adapter, fallback, unidentified, uncatalogued, chosen, measured, battery', 'identifier', 'Why the profile was chosen', 'Raison du choix du profil'),
  field('energy.profile.basis.form', 'string', null, 'battery, mains, unknown', 'identifier', 'Form factor the choice assumed (adapter choices only)', 'Format supposé par le choix (choix par l’adaptateur seulement)', true),
  field('energy.profile.basis.integratedOrDiscrete', 'boolean', null, null, 'identifier', 'The GPU may be integrated or discrete: the band spans both', 'Le GPU peut être intégré ou dédié : la plage couvre les deux'),
  field('energy.profile.basis.appleTier.chosen', 'string', null, oneOf(APPLE_TIERS), 'identifier', 'Apple M-series tier chosen from the evidence', 'Gamme Apple série M choisie d’après les indices', true),
  field('energy.profile.basis.appleTier.candidates', 'string[]', null, oneOf(APPLE_TIERS), 'identifier', 'Apple tiers the evidence left', 'Gammes Apple que les indices laissent possibles'),
  field('energy.profile.basis.appleTier.threadsUsed', 'boolean', null, null, 'identifier', 'The CPU thread count narrowed the tiers', 'Le nombre de fils CPU a restreint les gammes'),
  field('energy.profile.basis.appleTier.peakUsed', 'boolean', null, null, 'identifier', 'The measured peak throughput narrowed the tiers', 'Le débit de crête mesuré a restreint les gammes'),
  field('energy.profile.basis.appleTier.batteryUsed', 'boolean', null, null, 'identifier', 'The battery ruled out the desktop-only tier', 'La batterie a exclu la gamme réservée aux ordinateurs de bureau'),
  field('energy.profile.flags', 'string[]', null, oneOf(PROFILE_FLAGS), 'identifier', 'Flags of the profile choice', 'Drapeaux du choix de profil'),
  field('energy.profile.sensor.kind', 'string', null, oneOf(SENSOR_KINDS), 'identifier', 'Sensor profiles only: the instrument that measured the watts', 'Profils capteur seulement : l’instrument qui a mesuré les watts'),
  field('energy.profile.sensor.coverage', 'string', null, oneOf(SENSOR_COVERAGES), 'identifier', 'What the sensor’s watts include (whole-system: the host too)', 'Ce que couvrent les watts du capteur (whole-system : l’hôte aussi)'),
  field('energy.profile.sensor.samples', 'integer', 'readings', null, 'measured', 'Readings of the run that measured the profile', 'Relevés de l’exécution qui a mesuré le profil'),
  field('energy.profile.sensor.date', 'string', null, 'YYYY-MM-DD', 'identifier', 'Day of the run that measured the profile (on or before this run’s)', 'Jour de l’exécution qui a mesuré le profil (au plus tard celui de cette exécution)'),
  field('energy.profile.sensor.adapter.vendor', 'string', null, oneOf(KNOWN_VENDORS), 'identifier', 'Adapter the profile was measured on: always this document’s', 'Adaptateur sur lequel le profil a été mesuré : toujours celui de ce document'),
  field('energy.profile.sensor.adapter.architecture', 'string', null, pattern(ARCHITECTURE_PATTERN), 'identifier', 'Its architecture', 'Son architecture'),
  field('energy.profile.sensor.adapter.isFallbackAdapter', 'boolean', null, null, 'identifier', 'Whether it was a fallback (software) adapter', 'S’il s’agissait d’un adaptateur de secours (logiciel)'),
  field('energy.profile.embodiedClasses', 'string[]', null, oneOf(EMBODIED_CLASSES), 'identifier', 'Embodied-carbon classes of the device (data/embodied.json)', 'Classes de carbone intrinsèque de l’appareil (data/embodied.json)'),
];

const GRID: DictionaryField[] = [
  field('energy.grid.country', 'string', null, `${oneOf(GRID_COUNTRIES)}`, 'identifier', 'ISO 3166-1 alpha-3 code of the Ember table, WORLD (default) or CUSTOM (typed in); the source line is rendered from it', 'Code ISO 3166-1 alpha-3 de la table Ember, WORLD (par défaut) ou CUSTOM (saisi) ; la ligne de source en est rendue'),
  field('energy.grid.gPerKWh', 'number', 'gCO2e/kWh', null, 'sourced', 'Grid carbon intensity used', 'Intensité carbone du réseau utilisée'),
  field('energy.grid.year', 'integer', 'year', null, 'sourced', 'Data year of the intensity, when known', 'Année des données d’intensité, si connue', true),
  ...triangle('energy.grid.range', 'gCO2e/kWh', 'sourced', 'Range of the grid intensity drawn by the Monte Carlo', 'Plage de l’intensité tirée par le Monte Carlo', ['low', 'high']),
  field('energy.grid.origin', 'string', null, 'dataset, default, user', 'identifier', 'Ember dataset, world default, or a value typed in', 'Jeu de données Ember, valeur mondiale par défaut ou valeur saisie'),
];

function perRole(role: (typeof ROLES)[number]): DictionaryField[] {
  const p = `energy.perQuery.${role}`;
  const fr = ROLE_FR[role];
  return [
    ...range3(`${p}.joules`, 'J', 'modeled', `Marginal energy per query, ${role} model`, `Énergie marginale par requête, modèle ${fr}`),
    ...range3(`${p}.gCO2e`, 'gCO2e', 'modeled', `Operational emissions per query, ${role} model`, `Émissions opérationnelles par requête, modèle ${fr}`),
    ...range3(`${p}.attributionalJoules`, 'J', 'modeled', `Energy per query with the device’s idle share, ${role} model`, `Énergie par requête avec la part de repos de l’appareil, modèle ${fr}`),
    ...range3(`${p}.attributionalGCO2e`, 'gCO2e', 'modeled', `Emissions per query with the device’s idle share, ${role} model`, `Émissions par requête avec la part de repos de l’appareil, modèle ${fr}`),
    field(`${p}.embodiedGCO2e.low`, 'number', 'gCO2e', null, 'modeled', `Embodied emissions per query (calendar allocation), ${role} model`, `Émissions intrinsèques par requête (allocation calendaire), modèle ${fr}`),
    field(`${p}.embodiedGCO2e.high`, 'number', 'gCO2e', null, 'modeled', `Embodied emissions per query (active-hours allocation), ${role} model`, `Émissions intrinsèques par requête (allocation aux heures actives), modèle ${fr}`),
    field(`${p}.inputs.role`, 'string', null, 'general, specialized', 'identifier', 'Role these inputs belong to', 'Rôle de ces entrées'),
    field(`${p}.inputs.workloadId`, 'string', null, oneOf(ENERGY_WORKLOAD_IDS), 'identifier', 'Workload whose timings the figures use', 'Charge dont les temps sont utilisés'),
    field(`${p}.inputs.tBusyMs`, 'number', 'ms', null, 'measured', 'Median GPU busy time per query', 'Temps GPU actif médian par requête'),
    field(`${p}.inputs.tWallMs`, 'number', 'ms', null, 'measured', 'Median wall time per query', 'Temps mural médian par requête'),
    field(`${p}.inputs.timingSource`, 'string', null, 'gpu-timestamp, wall-clock', 'identifier', 'Clock of the busy time', 'Horloge du temps actif'),
    field(`${p}.label.version`, 'string', null, ENERGY_LABEL_VERSION, 'identifier', 'Version of the A–E energy label bounds', 'Version des bornes de l’étiquette énergie A–E'),
    field(`${p}.label.class`, 'string', null, oneOf(ENERGY_LABEL_CLASSES), 'modeled', 'Energy class of the median joules', 'Classe énergétique des joules médians'),
    field(`${p}.label.low`, 'string', null, oneOf(ENERGY_LABEL_CLASSES), 'modeled', 'Energy class of the 5th percentile', 'Classe énergétique du 5e centile'),
    field(`${p}.label.high`, 'string', null, oneOf(ENERGY_LABEL_CLASSES), 'modeled', 'Energy class of the 95th percentile', 'Classe énergétique du 95e centile'),
  ];
}

const EMBODIED: DictionaryField[] = [
  field('energy.embodied.classes', 'string[]', null, oneOf(EMBODIED_CLASSES), 'identifier', 'Embodied-carbon classes summed (host + GPU card); the source line is rendered from them', 'Classes de carbone intrinsèque additionnées (hôte + carte GPU) ; la ligne de source en est rendue'),
  field('energy.embodied.kgCO2e', 'number', 'kgCO2e', null, 'sourced', 'Manufacturing footprint of the device', 'Empreinte de fabrication de l’appareil'),
  field('energy.embodied.lifetimeYears', 'number', 'years', null, 'sourced', 'Lifetime over which it is amortized', 'Durée de vie d’amortissement'),
  field('energy.embodied.useRatio', 'number', 'ratio', null, 'modeled', 'Share of the lifetime the device is in use', 'Part de la durée de vie où l’appareil est utilisé'),
];

const METHOD: DictionaryField[] = [
  field('energy.method.formulasVersion', 'string', null, `${oneOf(FORMULAS_VERSIONS)} (pattern ^energy-v\\d{1,3}$)`, 'identifier', 'Version of the energy formulas', 'Version des formules d’énergie'),
  field('energy.method.draws', 'integer', 'draws', null, 'identifier', 'Monte Carlo draws', 'Tirages Monte Carlo'),
  field('energy.method.seed', 'integer', null, '0–4294967295', 'identifier', 'Seed of the random generator', 'Graine du générateur aléatoire'),
  field('energy.method.prng', 'string', null, 'mulberry32', 'identifier', 'Random generator', 'Générateur aléatoire'),
  field('energy.method.timing', 'string', null, 'bootstrap-median', 'identifier', 'How timing noise enters the draws', 'Façon dont le bruit de mesure entre dans les tirages'),
  field('energy.method.percentiles', 'string', null, 'linear interpolation of order statistics (p5, p50, p95)', 'identifier', 'How percentiles are computed', 'Méthode de calcul des centiles'),
  ...triangle('energy.method.assumptions.hostW', 'W', 'modeled', 'Host (CPU, driver) power while the GPU works', 'Puissance de l’hôte (CPU, pilote) pendant que le GPU travaille'),
  ...triangle('energy.method.assumptions.eta', 'ratio', 'sourced', 'Power-supply efficiency', 'Rendement de l’alimentation', ['low', 'high']),
  field('energy.method.assumptions.boundSpread', 'number', 'ratio', null, 'sourced', 'Power spread between compute- and memory-bound kernels', 'Écart de puissance entre noyaux limités par le calcul et par la mémoire'),
  field('energy.method.medianInputs.deltaW', 'number', 'W', null, 'modeled', 'Median of the drawn GPU power', 'Médiane de la puissance GPU tirée'),
  field('energy.method.medianInputs.hostW', 'number', 'W', null, 'modeled', 'Median of the drawn host power', 'Médiane de la puissance d’hôte tirée'),
  field('energy.method.medianInputs.eta', 'number', 'ratio', null, 'modeled', 'Median of the drawn efficiency', 'Médiane du rendement tiré'),
  field('energy.method.medianInputs.gPerKWh', 'number', 'gCO2e/kWh', null, 'modeled', 'Median of the drawn grid intensity', 'Médiane de l’intensité du réseau tirée'),
  field('energy.method.medianInputs.idleW', 'number', 'W', null, 'modeled', 'Median of the drawn idle power', 'Médiane de la puissance au repos tirée', true),
  ...triangle('energy.method.idleDistributionW', 'W', 'sourced', 'Idle-power triangle drawn (null without idle data)', 'Triangle de puissance au repos tiré (null sans donnée de repos)'),
  field('energy.method.dataYears.grid', 'integer', 'year', null, 'sourced', 'Data year of the grid intensity', 'Année des données d’intensité du réseau', true),
  field('energy.method.dataYears.gridSpan.from', 'integer', 'year', null, 'sourced', 'First year of the Ember data', 'Première année des données Ember'),
  field('energy.method.dataYears.gridSpan.to', 'integer', 'year', null, 'sourced', 'Last year of the Ember data', 'Dernière année des données Ember'),
  field('energy.method.dataYears.profiles', 'string', null, pattern(CATALOG_VERSION_PATTERN), 'identifier', 'Version (date) of the power-profile catalog', 'Version (date) du catalogue de profils de puissance'),
  field('energy.method.dataYears.embodied', 'string', null, pattern(CATALOG_VERSION_PATTERN), 'identifier', 'Version (date) of the embodied-carbon catalog', 'Version (date) du catalogue de carbone intrinsèque'),
];

const PROVENANCE_INPUTS: [string, string, string][] = [
  ['busyTime.general', 'GPU busy time, general model', 'temps GPU actif, modèle généraliste'],
  ['busyTime.specialized', 'GPU busy time, specialized model', 'temps GPU actif, modèle spécialisé'],
  ['wallTime.general', 'wall time, general model', 'temps mural, modèle généraliste'],
  ['wallTime.specialized', 'wall time, specialized model', 'temps mural, modèle spécialisé'],
  ['deltaW', 'GPU power', 'puissance GPU'],
  ['idleW', 'idle power (null when unknown)', 'puissance au repos (null si inconnue)'],
  ['hostW', 'host power', 'puissance de l’hôte'],
  ['eta', 'power-supply efficiency', 'rendement de l’alimentation'],
  ['grid', 'grid intensity', 'intensité du réseau'],
  ['embodied', 'embodied carbon (null when unknown)', 'carbone intrinsèque (null si inconnu)'],
];

const PROVENANCE: DictionaryField[] = PROVENANCE_INPUTS.flatMap(([key, en, fr]) => {
  const p = `energy.provenance.${key}`;
  return [
    field(`${p}.kind`, 'string', null, 'measured, sourced, modeled', 'identifier', `How the ${en} was obtained`, `Origine de la valeur : ${fr}`),
    field(`${p}.method`, 'string', null, oneOf(MEASURED_METHODS), 'identifier', `Measured: the instrument (${en})`, `Mesuré : l’instrument (${fr})`),
    field(`${p}.sources`, 'string[]', null, oneOf(knownSourceIds()), 'identifier', `Sourced or modeled: the source ids (${en})`, `Sourcé ou modélisé : les identifiants de sources (${fr})`),
    field(`${p}.year`, 'integer', 'year', null, 'sourced', `Sourced: the year the sources state (${en})`, `Sourcé : l’année indiquée par les sources (${fr})`, true),
    field(`${p}.basis`, 'string', null, oneOf(MODEL_BASES), 'identifier', `Modeled: on what basis (${en})`, `Modélisé : sur quelle base (${fr})`),
  ];
});

/** An `{ available, <key>: p5/p50/p95, method } | { available: false, reason }` figure per correct answer (real models). */
function perCorrectFields(path: string, key: string, unit: string, en: string, fr: string): DictionaryField[] {
  return [
    field(`${path}.available`, 'boolean', null, null, 'identifier', `Whether there is a figure: ${en}`, `Indique s’il y a une valeur : ${fr}`),
    ...range3(`${path}.${key}`, unit, 'modeled', `${en} (range: the per-query range paired with the ends of the accuracy interval, an envelope)`, `${fr} (plage : la plage par requête associée aux bornes de l’intervalle de justesse, une enveloppe)`),
    field(`${path}.method`, 'string', null, 'interval-envelope', 'identifier', `How the range was built: ${en}`, `Construction de la plage : ${fr}`),
    field(`${path}.reason`, 'string', null, oneOf(NO_FIGURE_REASONS), 'identifier', `Why there is no figure: ${en}`, `Raison de l’absence de valeur : ${fr}`),
  ];
}

const ENERGY: DictionaryField[] = [
  ...PROFILE,
  ...GRID,
  ...ROLES.flatMap(perRole),
  ...ROLES.flatMap((role) => perCorrectFields(`energy.perQuery.${role}.perCorrect`, 'joules', 'J', `real ${role} model’s energy per correct answer (per-query joules ÷ accuracy)`, `énergie par réponse juste du modèle réel ${ROLE_FR[role]} (joules par requête ÷ justesse)`)),
  ...range3('energy.ratio', 'ratio', 'modeled', 'Energy of the general model over the specialized one, per query', 'Énergie du modèle généraliste sur celle du spécialisé, par requête'),
  ...perCorrectFields('energy.ratioPerCorrect', 'ratio', 'ratio', 'real models’ gap per correct answer (general ÷ specialized)', 'écart des modèles réels par réponse juste (généraliste ÷ spécialisé)'),
  ...EMBODIED,
  ...METHOD,
  ...PROVENANCE,
];

// ---------------------------------------------------------------------------------------------
// Measured watts (src/shared/measured.ts): a sensor of the machine read by `npm start` during the run

function measuredRole(role: (typeof ROLES)[number]): DictionaryField[] {
  const p = `measured.perQuery.${role}`;
  const fr = ROLE_FR[role];
  return [
    field(`${p}.meanW`, 'number', 'W', null, 'measured', `Mean power over the ${role} model’s timed queries (pre-heat and samples)`, `Puissance moyenne pendant les requêtes chronométrées du modèle ${fr} (préchauffe et échantillons)`),
    field(`${p}.windowSeconds`, 'number', 's', null, 'measured', `Length of that window, ${role} model`, `Durée de cette fenêtre, modèle ${fr}`),
    field(`${p}.samples`, 'integer', 'readings', null, 'measured', `Sensor readings inside that window, ${role} model`, `Relevés du capteur dans cette fenêtre, modèle ${fr}`),
    field(`${p}.queryMs`, 'number', 'ms', null, 'measured', `Wall time per query the joules use (wall median, else busy median), ${role} model`, `Temps mural par requête utilisé pour les joules (médiane murale, sinon médiane active), modèle ${fr}`),
    field(`${p}.joules`, 'number', 'J', null, 'measured', `Measured marginal energy per query: (mean W − idle W) × wall time per query, ${role} model; may be slightly negative within the sensor’s noise`, `Énergie marginale mesurée par requête : (W moyen − W au repos) × temps mural par requête, modèle ${fr} ; peut être légèrement négative dans le bruit du capteur`),
    field(`${p}.attributionalJoules`, 'number', 'J', null, 'measured', `Measured energy per query with the idle baseline: mean W × wall time per query, ${role} model`, `Énergie mesurée par requête, repos compris : W moyen × temps mural par requête, modèle ${fr}`),
    field(`${p}.estimateOverMeasured`, 'number', 'ratio', null, 'modeled', `Estimated median marginal joules ÷ measured marginal joules, ${role} model (null without an estimate or a positive measurement)`, `Joules marginaux estimés (médiane) ÷ joules marginaux mesurés, modèle ${fr} (null sans estimation ou sans mesure positive)`, true),
  ];
}

const MEASURED: DictionaryField[] = [
  field('measured.available', 'boolean', null, null, 'identifier', 'Whether a power sensor of the machine measured the run (absent: the page was not served by a local server)', 'Indique si un capteur de puissance de la machine a mesuré l’exécution (absent : la page n’était pas servie par un serveur local)'),
  field('measured.reason', 'string', null, oneOf(MEASURED_REASONS), 'identifier', 'Why there is no measurement (available false)', 'Raison de l’absence de mesure (available false)'),
  field('measured.sensor.kind', 'string', null, oneOf(SENSOR_KINDS), 'identifier', 'Instrument that read the watts', 'Instrument qui a lu les watts'),
  field('measured.sensor.coverage', 'string', null, oneOf(SENSOR_COVERAGES), 'identifier', 'What the watts include: the GPU board, the CPU package (with an integrated GPU) or the whole system', 'Ce que les watts incluent : la carte GPU, le boîtier CPU (avec un GPU intégré) ou le système entier'),
  field('measured.sensor.periodMs', 'number', 'ms', null, 'identifier', 'Sampling period of the sensor', 'Période d’échantillonnage du capteur'),
  field('measured.samples', 'integer', 'readings', null, 'measured', 'Sensor readings of the whole recording', 'Relevés du capteur sur tout l’enregistrement'),
  field('measured.idleW', 'number', 'W', null, 'measured', 'Mean power over the idle window before the run', 'Puissance moyenne pendant la fenêtre de repos avant l’exécution'),
  field('measured.idleSeconds', 'number', 's', null, 'measured', 'Length of the idle window', 'Durée de la fenêtre de repos'),
  ...ROLES.flatMap(measuredRole),
  field('measured.ratio', 'number', 'ratio', null, 'measured', 'Measured gap: general ÷ specialized marginal energy per query (null unless both are positive)', 'Écart mesuré : énergie marginale par requête du généraliste ÷ du spécialisé (null sauf si les deux sont positives)', true),
];

/** Every published field, in document order. */
export const DATA_DICTIONARY: readonly DictionaryField[] = [...RUN, ...WORKLOADS, ...ENERGY, ...MEASURED];

/** Texts of the exports rendered from the catalogs (never stored): listed apart in the dictionary. */
export const RENDERED_TEXTS: readonly { path: string; meaning: { en: string; fr: string } }[] = [
  { path: 'energy.profile.label', meaning: { en: 'Name of the power profile, from the catalog', fr: 'Nom du profil de puissance, tiré du catalogue' } },
  { path: 'energy.profile.reason', meaning: { en: 'Why the profile was chosen, from its basis, the adapter and its watts', fr: 'Raison du choix du profil, d’après sa base, l’adaptateur et ses watts' } },
  { path: 'energy.grid.source', meaning: { en: 'Source of the grid intensity, from its country and year', fr: 'Source de l’intensité du réseau, d’après son pays et son année' } },
  { path: 'energy.embodied.source', meaning: { en: 'Sources of the embodied-carbon classes', fr: 'Sources des classes de carbone intrinsèque' } },
];

const OBTAINED_TEXT: Record<Obtained, string> = { measured: 'measured', sourced: 'sourced', modeled: 'modeled', identifier: 'identifier' };

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** docs/DATA_DICTIONARY.md, as `npm run dictionary` writes it. */
export function dictionaryMarkdown(): string {
  const rows = DATA_DICTIONARY.map((f) => `| \`${f.path}\` | ${f.type}${f.nullable ? ' or null' : ''} | ${f.unit ?? ''} | ${cell(f.allowed ?? '')} | ${OBTAINED_TEXT[f.obtained]} | ${cell(f.meaning.en)} | ${cell(f.meaning.fr)} |`);
  const texts = RENDERED_TEXTS.map((x) => `| \`${x.path}\` | ${cell(x.meaning.en)} | ${cell(x.meaning.fr)} |`);
  return [
    '# Data dictionary of the open dataset',
    '',
    '<!-- Written by `npm run dictionary` from src/shared/data-dictionary.ts: edit that file, not this one. -->',
    '',
    'Every field a published result may hold (`/api/export.jsonl` lines are these documents with an `id`; `/api/export.csv` has one row per workload). Licence: CC BY 4.0.',
    'Every string is an identifier from a closed list or matches a strict pattern: no free text written by a client is stored or published.',
    'Numbers that were not measured are `null`, never 0. Optional fields may be absent. `[]` marks the items of a list.',
    '',
    'How a value is obtained: **measured** on the device that ran the benchmark; **sourced** from a cited source (data/*.json); **modeled** by a formula (src/shared/energy-draws.ts) or counted from the shapes; **identifier** a name or setting.',
    '',
    '| Path | Type | Unit | Allowed values | Obtained | Meaning | Signification |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    '## Texts rendered by the exports',
    '',
    'These texts are not stored: the exports render them from the catalogs of the version in the repository, in English (or in French with `/api/export.jsonl?lang=fr`), from the ids above.',
    '',
    '| Path | Meaning | Signification |',
    '| --- | --- | --- |',
    ...texts,
    '',
    '## Notes',
    '',
    '- Rows uploaded before `energy.method` was recorded keep their energy section when it passes the schema, but the server cannot recompute their figures (it checks every newer upload against a recomputation).',
    '- Rows stored before the closed vocabulary were rewritten once (migration 3): an app version that was not a version reads `0.0.0-invalid`, an unknown browser or OS family `other`, unknown kernels and configuration keys were removed, an energy section that failed was removed, and a row that still failed was deleted.',
    '',
  ].join('\n');
}
