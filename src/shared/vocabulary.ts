/**
 * The closed vocabulary of the open dataset: every string a published result may hold is one of
 * these identifiers or matches one of these strict patterns, so no free text written by a client
 * (a name, an e-mail address, HTML) can be republished under the dataset's licence.
 *
 * The lists are written out here, below the engine and the energy model, because the results
 * server may import only src/shared. tests/unit/vocabulary.test.ts checks that they cover what the
 * engine, the kernels and the energy catalogs actually produce, so a new kernel or profile cannot
 * be forgotten here without a test failing.
 */
import { averageIntensity } from '@tgwf/co2/data';
import profilesJson from '../../data/power-profiles.json';
import embodiedJson from '../../data/embodied.json';
import constants from '../../data/constants.json';
import { REAL_WORKLOAD_IDS } from './realmodels/record.ts';

/** Suite versions the server knows (SUITE_VERSIONS of src/engine/models/presets.ts, past and present). */
export const SUITE_VERSIONS = ['ci-1', 'quick-1', 'paper-1', 'custom-1'] as const;

/** App versions: MAJOR.MINOR.PATCH, optionally a short pre-release of letters, digits and dots. */
export const APP_VERSION_PATTERN = /^(0|[1-9]\d{0,3})\.(0|[1-9]\d{0,3})\.(0|[1-9]\d{0,3})(-[0-9A-Za-z.]{1,16})?$/;

/** Browser families (src/lab/environment.ts browserFamily; `node` for a browser-free runner). */
export const BROWSER_FAMILIES = ['chrome', 'edge', 'opera', 'samsung', 'firefox', 'safari', 'node', 'other'] as const;
export const OS_FAMILIES = ['windows', 'macos', 'linux', 'chromeos', 'android', 'ios', 'other'] as const;

/** What ran the engine: a browser's WebGPU, or Dawn for Node in the browser-free runner (scripts/node/). */
export const RUNTIME_KINDS = ['browser', 'node'] as const;
/**
 * The native API under WebGPU (Dawn's backend names). Only a runner that chose it knows it: a
 * browser does not say. SwiftShader is an adapter (environment.adapter), reached through vulkan.
 */
export const WEBGPU_BACKENDS = ['vulkan', 'metal', 'd3d12', 'd3d11', 'opengl', 'opengles'] as const;

/** WebGPU architectures are lower-case words with digits and dashes (Dawn's gpu_info.json spelling). */
export const ARCHITECTURE_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$|^$/;

/** Adapter features recorded (the device layer requests only these); others are dropped. */
export const RECORDED_FEATURES = ['timestamp-query', 'shader-f16', 'subgroups'] as const;

/** Adapter limits recorded (the device layer reads only these); others are dropped. */
export const RECORDED_LIMIT_NAMES = [
  'maxBufferSize',
  'maxStorageBufferBindingSize',
  'maxStorageBuffersPerShaderStage',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupsPerDimension',
] as const;

/** Micro-benchmark workload ids (src/engine/micro.ts). */
export const MICRO_WORKLOAD_IDS = ['fma-peak', 'copy', 'gemm'] as const;

/** Model names of the presets (src/engine/models/config.ts), and `custom` for an edited one. */
export const MODEL_NAMES = ['distilbert-sst2', 'bert-tiny', 'qwen2.5-0.5b-instruct', 'smollm2-135m', 'tiny-decoder', 'custom'] as const;

/** Model workload ids: `ROLE:MODEL`. */
export const MODEL_WORKLOAD_IDS: readonly string[] = (['general', 'specialized'] as const).flatMap((role) => MODEL_NAMES.map((m) => `${role}:${m}`));

/**
 * Real-model workload ids, `ROLE:MODEL:EP` (src/shared/realmodels/record.ts), and the keys of
 * their config (src/shared/realmodels/cost.ts): closed like the rest; a document may hold them
 * beside the synthetic replicas of the same shapes (`ROLE:MODEL`).
 */
export { REAL_WORKLOAD_IDS };
export { REAL_CONFIG_KEYS, REAL_FLOPS_UNKNOWN } from './realmodels/cost.ts';

/** Workloads an energy figure may be computed from: a synthetic model or a real one. */
export const ENERGY_WORKLOAD_IDS: readonly string[] = [...MODEL_WORKLOAD_IDS, ...REAL_WORKLOAD_IDS];

/** Kernel names of a per-kernel breakdown (the `name` of each kernels/NAME/NAME.meta.ts). */
export const KERNEL_NAMES = [
  'argmax', 'argmax-subgroup', 'attention', 'attention-rope', 'classifier', 'copy', 'embedding', 'fma-peak', 'gelu', 'gemm', 'gemm-splitk', 'gemv', 'gemv-subgroup', 'layernorm',
  'residual', 'rmsnorm', 'rope', 'swiglu', 'weight-synth',
] as const;

/** String values of workload.config, by key; any other string value is refused. */
export const CONFIG_STRINGS: Readonly<Record<string, readonly string[]>> = {
  model: MODEL_NAMES,
  family: ['encoder', 'decoder'],
  dtype: ['f32', 'f16'],
  norm: ['layernorm', 'rmsnorm'],
  activation: ['gelu', 'swiglu'],
  positions: ['learned', 'rope'],
  preClassifier: ['tanh', 'relu'],
};

/** Keys of workload.config whose value is true or false; every other key not in CONFIG_STRINGS holds a number. */
export const CONFIG_BOOLEAN_KEYS = ['tiedEmbeddings', 'qkvBias'] as const;

/** Keys of workload.config (model fields of src/engine/models/config.ts, token counts, micro shapes). */
export const CONFIG_KEYS = [
  // model workloads
  'model', 'family', 'layers', 'hidden', 'heads', 'kvHeads', 'headDim', 'ffn', 'vocab', 'maxPositions', 'dtype',
  'normEps', 'norm', 'activation', 'positions', 'ropeTheta', 'tiedEmbeddings', 'qkvBias', 'labels', 'preClassifier',
  'seed', 'inputTokens', 'promptTokens', 'outputTokens',
  // micro workloads
  'invocations', 'iterations', 'workgroupSize', 'bytes', 'm', 'n', 'k',
] as const;

/** Flags of a timing record or of the run (each has its `flag.*` text in src/i18n/dict/core.ts). */
export const RESULT_FLAGS = [
  'high-variability', 'tab-hidden', 'dropped-samples', 'below-quantization-target', 'below-wall-batch-target',
  'busy-exceeds-wall', 'retimed-wall-clock', 'timestamps-invalid', 'device-lost', 'energy-unavailable',
  'replica-failed',
] as const;

/** Flags of an energy profile (src/energy/profiles.ts, battery.ts). */
export const PROFILE_FLAGS = [
  'form-factor-unknown', 'integrated-or-discrete', 'apple-tier-detected', 'apple-tier-unknown', 'user-measured',
  'coarse', 'battery-calibration',
] as const;

/** Power-profile ids of the catalog. */
export const CATALOG_PROFILE_IDS: readonly string[] = profilesJson.profiles.map((p) => p.id);
/** Profiles measured by the visitor rather than taken from the catalog (wall meter, battery drain, power sensor). */
export const MEASURED_PROFILE_IDS = ['user-measured', 'battery-calibrated', 'sensor-measured'] as const;
/** A merged band (device class uncertain) joins at most this many catalog ids with "+". */
const MAX_MERGED = 6;

/** A profile id is a catalog id, several catalog ids joined by "+" (a merged band), or a measured profile. */
export function isKnownProfileId(id: string): boolean {
  if ((MEASURED_PROFILE_IDS as readonly string[]).includes(id)) return true;
  const parts = id.split('+');
  return parts.length <= MAX_MERGED && parts.every((p) => CATALOG_PROFILE_IDS.includes(p)) && new Set(parts).size === parts.length;
}

export const EMBODIED_CLASSES: readonly string[] = Object.keys(embodiedJson.classes);

/** Apple tiers of the catalog (appleTier.tier). */
export const APPLE_TIERS: readonly string[] = profilesJson.profiles
  .map((p) => (p as { appleTier?: { tier: string } }).appleTier?.tier)
  .filter((t): t is string => typeof t === 'string');

/** Grid countries: the Ember table's codes (countries and aggregates), WORLD (default) and CUSTOM (typed in). */
export const GRID_COUNTRIES: readonly string[] = [...Object.keys(averageIntensity.data), 'WORLD', 'CUSTOM'];

/** Energy formula versions this server can recompute (data/constants.json). */
export const FORMULAS_VERSIONS = [constants.version] as const;

/** Dates of catalog versions (`2026-12-01`). */
export const CATALOG_VERSION_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
