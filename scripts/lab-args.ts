/**
 * The `lab` CLI's options, parsed and checked without launching anything, so every message a
 * user can get is unit-tested (tests/unit/lab-args.test.ts).
 */
import { parseArgs } from 'node:util';
import { isKnownCountry } from '../src/energy/index.ts';
import { isPageParam, PAGE_PARAMS } from '../src/lab/page-params.ts';
import { isPresetName, PRESET_NAMES, type PresetName } from '../src/shared/presets.ts';
import { isModelDtype, MODEL_DTYPES, type ModelDtype } from '../src/lab/model-files.ts';
import { TASK_LANGUAGES, type TaskLanguage } from '../src/shared/realmodels/task-set.ts';
import { ADAPTER_REQUESTS, isAdapterRequest, type AdapterRequest } from './node/webgpu.ts';

export const USAGE = `Usage: npm run lab -- [--runtime browser|node] [--preset ${PRESET_NAMES.join('|')}] [--out FILE] [--json]
                      [--country ISO3] [--real-gpu] [--adapter ${ADAPTER_REQUESTS.join('|')}]
                      [--measure-power [--power-sensor ID]]
                      [--timeout SECONDS] [--tune on|off] [--param key=value ...]
                      [--models synthetic|real [--models-dir DIR] [--language en|fr] [--items N]
                       [--classifier-dtype D] [--generator-dtype D] [--no-reference] [--max-new-tokens N]]
  --runtime   browser (default): the app in headless Chromium; node: the same engine in this
              process through Dawn for Node (no browser)
  --preset    suite preset (default ci)
  --out       write the result document to FILE
  --json      print the document on stdout instead of a summary
  --country   grid country for the CO2e estimate (ISO 3166 alpha-3), default from the time zone
  --real-gpu  use the machine's GPU instead of the SwiftShader software adapter
  --adapter   (node) auto (default): SwiftShader unless VK_ICD_FILENAMES is set; swiftshader;
              lavapipe: Mesa's Vulkan driver on the CPU, the software adapter with shader-f16
              (the f16 models end to end; not GPU performance); system: the machine's GPU
  --measure-power  (node) read the machine's power sensor around the run: idle baseline, each
              model's window; the document's measured block (nvidia-smi, hwmon, RAPL, powermetrics)
  --power-sensor   (node) record this sensor id instead of the one that covers the adapter
  --timeout   give up after SECONDS (default 900)
  --tune      on (default): time the kernel candidates on this GPU first (or reuse that choice,
              cached per adapter); off: the default kernels, recorded as tuning "disabled"
  --param     extra URL parameter for the custom preset (e.g. --param general=smollm2-135m)
  --models    synthetic (default): the synthetic-weight race; real: DistilBERT-SST2 and
              Qwen2.5-0.5B-Instruct answering the sentiment task (accuracy, energy per correct
              answer, real/synthetic time); the preset gives the replicas' measurement settings
  --models-dir  (real) serve this folder (npm run models:fetch, or npm run fixtures:models) as
              /models/ and load the models from it; without it, from the Hugging Face hub
  --language  (real) task set language, en (default) or fr
  --items     (real) how many task items (balanced), default the whole set (240)
  --classifier-dtype, --generator-dtype  (real) ONNX variants (${MODEL_DTYPES.join(', ')});
              defaults fp32 and q4f16 (q4f16 needs shader-f16; fp32 or q4 otherwise)
  --no-reference  (real) skip the WASM reference run (no agreement rate)
  --max-new-tokens  (real) the chat model's reply budget (default 16)
Chromium: CHROMIUM_PATH, else the system Chromium.
Node runtime: SwiftShader from LAB_SWIFTSHADER_DIR (default /usr/lib/chromium) unless
VK_ICD_FILENAMES is set or --real-gpu; lavapipe from /usr/share/vulkan/icd.d (or LAB_LAVAPIPE_ICD);
LAB_WEBGPU_BACKEND picks Dawn's backend (vulkan, metal, d3d12).`;

export const RUNTIMES = ['browser', 'node'] as const;
export type Runtime = (typeof RUNTIMES)[number];
const isRuntime = (x: string): x is Runtime => (RUNTIMES as readonly string[]).includes(x);

/** Wrong options: the message says what is wrong; the CLI prints it (with the usage) and exits 2. */
export class LabUsageError extends Error {
  override name = 'LabUsageError';
}

export type LabArgs =
  | { kind: 'help' }
  | {
      kind: 'run';
      runtime: Runtime;
      preset: PresetName;
      out: string | null;
      json: boolean;
      country: string | null;
      realGpu: boolean;
      /**
       * The Node runtime's adapter (`--adapter`; `--real-gpu` is `system`). Absent for the
       * browser runtime, whose Chromium offers SwiftShader or the GPU (--real-gpu).
       */
      adapter?: AdapterRequest;
      /** Record the machine's power sensor around the run (Node runtime). */
      measurePower: boolean;
      /** A sensor id chosen by hand, or null for the one that covers the adapter. */
      powerSensor: string | null;
      timeoutS: number;
      /** Model fields for the custom preset, in the order given. */
      params: [string, string][];
      /** The real-models race instead of the synthetic one (absent: synthetic). */
      real?: RealArgs;
      /** `--tune off`: no kernel autotune (absent: tune). */
      tune?: false;
    };

export interface RealArgs {
  modelsDir: string | null;
  language: TaskLanguage;
  items: number | null;
  classifierDtype: ModelDtype;
  generatorDtype: ModelDtype;
  reference: boolean;
  maxNewTokens: number | null;
}

export function parseLabArgs(argv: readonly string[]): LabArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        runtime: { type: 'string', default: 'browser' },
        preset: { type: 'string', default: 'ci' },
        out: { type: 'string' },
        json: { type: 'boolean', default: false },
        country: { type: 'string' },
        'real-gpu': { type: 'boolean', default: false },
        adapter: { type: 'string' },
        'measure-power': { type: 'boolean', default: false },
        'power-sensor': { type: 'string' },
        timeout: { type: 'string', default: '900' },
        tune: { type: 'string', default: 'on' },
        param: { type: 'string', multiple: true },
        models: { type: 'string', default: 'synthetic' },
        'models-dir': { type: 'string' },
        language: { type: 'string' },
        items: { type: 'string' },
        'classifier-dtype': { type: 'string' },
        'generator-dtype': { type: 'string' },
        'no-reference': { type: 'boolean', default: false },
        'max-new-tokens': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (e) {
    throw new LabUsageError(e instanceof Error ? e.message : String(e));
  }
  if (values.help) return { kind: 'help' };
  const runtime = values.runtime ?? 'browser';
  if (!isRuntime(runtime)) throw new LabUsageError(`unknown runtime "${runtime}" (one of ${RUNTIMES.join(', ')})`);
  const adapter = adapterArg(values.adapter, values['real-gpu'] ?? false, runtime);
  const measurePower = values['measure-power'] ?? false;
  // The page measures watts only when npm start serves it; the CLI's page is served without sensors.
  if (measurePower && runtime === 'browser') throw new LabUsageError('--measure-power needs --runtime node (in a browser, open the page served by npm start on this machine)');
  const powerSensor = values['power-sensor'] ?? null;
  if (powerSensor !== null && !measurePower) throw new LabUsageError('--power-sensor goes with --measure-power');
  if (powerSensor !== null && !/^[a-z]+:[A-Za-z0-9:._-]{1,64}$/.test(powerSensor)) throw new LabUsageError(`--power-sensor expects a sensor id such as nvidia:0 or rapl:intel-rapl:0, got "${powerSensor}"`);
  const preset = values.preset ?? 'ci';
  if (!isPresetName(preset)) throw new LabUsageError(`unknown preset "${preset}" (one of ${PRESET_NAMES.join(', ')})`);
  const timeoutS = Number(values.timeout);
  if (!Number.isFinite(timeoutS) || timeoutS <= 0) throw new LabUsageError(`--timeout expects a positive number of seconds, got "${values.timeout}"`);
  if (values.country !== undefined && !isKnownCountry(values.country)) {
    throw new LabUsageError(`--country expects an ISO 3166 alpha-3 code with grid data (Ember), such as FRA or USA; got "${values.country}"`);
  }
  const params: [string, string][] = [];
  for (const kv of values.param ?? []) {
    const i = kv.indexOf('=');
    if (i <= 0) throw new LabUsageError(`--param expects key=value, got "${kv}"`);
    const key = kv.slice(0, i);
    // Page parameters have their own options; through --param they would silently override them.
    if (isPageParam(key)) throw new LabUsageError(`--param ${key}=…: "${key}" is a page parameter (${PAGE_PARAMS.join(', ')}), not a model field; use the matching option`);
    params.push([key, kv.slice(i + 1)]);
  }
  const tune = values.tune ?? 'on';
  if (tune !== 'on' && tune !== 'off') throw new LabUsageError(`--tune expects on or off, got "${tune}"`);
  const real = realArgs(values);
  if (real && runtime === 'node') throw new LabUsageError('--models real runs in the browser only (onnxruntime-web in the worker); drop --runtime node');
  if (real && params.length > 0) throw new LabUsageError('--param sets the custom preset\'s synthetic models; the real models are --classifier-dtype and --generator-dtype');
  return {
    kind: 'run', runtime, preset, out: values.out ?? null, json: values.json ?? false, country: values.country ?? null,
    realGpu: values['real-gpu'] ?? false, ...(adapter ? { adapter } : {}), measurePower, powerSensor, timeoutS, params, ...(real ? { real } : {}), ...(tune === 'off' ? { tune: false as const } : {}),
  };
}

/** The Node runtime's adapter request (null for the browser runtime, which takes no --adapter). */
function adapterArg(given: string | undefined, realGpu: boolean, runtime: Runtime): AdapterRequest | null {
  if (given !== undefined && !isAdapterRequest(given)) throw new LabUsageError(`--adapter expects one of ${ADAPTER_REQUESTS.join(', ')}, got "${given}"`);
  if (runtime === 'browser') {
    if (given !== undefined) throw new LabUsageError('--adapter chooses the Node runtime\'s adapter (add --runtime node); the browser runtime uses SwiftShader, or the GPU with --real-gpu');
    return null;
  }
  if (realGpu && given !== undefined && given !== 'system') throw new LabUsageError(`--real-gpu is --adapter system; it contradicts --adapter ${given}`);
  return given ?? (realGpu ? 'system' : 'auto');
}

/** The address query the CLI opens: the preset, autorun, the country, then the model fields. */
export function labQuery(a: Extract<LabArgs, { kind: 'run' }>): URLSearchParams {
  const q = new URLSearchParams({ preset: a.preset, autorun: '1' });
  if (a.country) q.set('country', a.country);
  if (a.tune === false) q.set('tune', 'off');
  for (const [k, v] of a.params) q.set(k, v);
  return q;
}

interface RealValues {
  models?: string;
  'models-dir'?: string;
  language?: string;
  items?: string;
  'classifier-dtype'?: string;
  'generator-dtype'?: string;
  'no-reference'?: boolean;
  'max-new-tokens'?: string;
}

/** The real-models options, checked; null for the synthetic race (then none of them may be given). */
function realArgs(values: RealValues): RealArgs | null {
  const models = values.models ?? 'synthetic';
  if (models !== 'synthetic' && models !== 'real') throw new LabUsageError(`--models expects synthetic or real, got "${models}"`);
  if (models === 'synthetic') {
    const stray = (['models-dir', 'language', 'items', 'classifier-dtype', 'generator-dtype', 'max-new-tokens'] as const).find((k) => values[k] !== undefined) ?? (values['no-reference'] ? 'no-reference' : null);
    if (stray) throw new LabUsageError(`--${stray} goes with --models real`);
    return null;
  }
  const language = values.language ?? 'en';
  if (!(TASK_LANGUAGES as readonly string[]).includes(language)) throw new LabUsageError(`--language expects ${TASK_LANGUAGES.join(' or ')}, got "${language}"`);
  let items: number | null = null;
  if (values.items !== undefined) {
    items = Number(values.items);
    // A timing record needs two samples.
    if (!Number.isInteger(items) || items < 2) throw new LabUsageError(`--items expects a whole number ≥ 2, got "${values.items}"`);
  }
  let maxNewTokens: number | null = null;
  if (values['max-new-tokens'] !== undefined) {
    maxNewTokens = Number(values['max-new-tokens']);
    if (!Number.isInteger(maxNewTokens) || maxNewTokens < 1) throw new LabUsageError(`--max-new-tokens expects a whole number ≥ 1, got "${values['max-new-tokens']}"`);
  }
  const dtype = (flag: 'classifier-dtype' | 'generator-dtype', fallback: ModelDtype): ModelDtype => {
    const d = values[flag] ?? fallback;
    if (!isModelDtype(d)) throw new LabUsageError(`--${flag} expects one of ${MODEL_DTYPES.join(', ')}, got "${d}"`);
    return d;
  };
  return {
    modelsDir: values['models-dir'] ?? null,
    language: language as TaskLanguage,
    items,
    classifierDtype: dtype('classifier-dtype', 'fp32'),
    generatorDtype: dtype('generator-dtype', 'q4f16'),
    reference: !(values['no-reference'] ?? false),
    maxNewTokens,
  };
}
