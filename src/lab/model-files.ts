/**
 * Which files make a real model, and where they are: the default pair of the real-models race,
 * the file names of each variant (transformers.js / onnx-community conventions: `onnx/model.onnx`
 * for fp32, `onnx/model_<dtype>.onnx` otherwise), and their URLs on the Hugging Face hub
 * (`https://huggingface.co/<id>/resolve/<revision>/<path>`) or under any other base URL laid out
 * as `<base><id>/<path>` (our server's `/models/`, filled by `npm run models:fetch`).
 */
import { REAL_MODELS, type RealModelKey } from '../shared/realmodels/record.ts';

export type ModelTask = 'classifier' | 'generator';

/** The ONNX variants the race knows; each is one file under `onnx/`. */
export const MODEL_DTYPES = ['fp32', 'fp16', 'quantized', 'q4', 'q4f16'] as const;
export type ModelDtype = (typeof MODEL_DTYPES)[number];

export interface ModelRef {
  task: ModelTask;
  /** A hub model id, `owner/name`. */
  id: string;
  dtype: ModelDtype;
  /** Hub revision (branch, tag or commit); `main` when absent. Ignored under a custom base. */
  revision?: string;
}

export const DEFAULT_CLASSIFIER_ID = 'Xenova/distilbert-base-uncased-finetuned-sst-2-english';
export const DEFAULT_GENERATOR_ID = 'onnx-community/Qwen2.5-0.5B-Instruct';

/** The race's default pair: the classifier in fp32, the chat model in q4f16 (4-bit weights, fp16 activations). */
export const DEFAULT_MODELS: readonly ModelRef[] = [
  { task: 'classifier', id: DEFAULT_CLASSIFIER_ID, dtype: 'fp32' },
  { task: 'generator', id: DEFAULT_GENERATOR_ID, dtype: 'q4f16' },
];

/** Every variant `npm run models:fetch` fetches by default (the pair plus the classifier's quantized one). */
export const FETCH_DEFAULT_MODELS: readonly ModelRef[] = [...DEFAULT_MODELS, { task: 'classifier', id: DEFAULT_CLASSIFIER_ID, dtype: 'quantized' }];

export const HUB_BASE = 'https://huggingface.co/';

/** Where our server (`npm start` with `MODELS_DIR`) serves a local model folder, on the page's own origin. */
export const LOCAL_MODELS_BASE = '/models/';

/** A model id is `owner/name` of the hub's characters; nothing that could climb out of a folder. */
const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*\/[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export class ModelRefError extends Error {
  override name = 'ModelRefError';
}

export function checkModelId(id: string): string {
  if (!MODEL_ID.test(id) || id.includes('..')) throw new ModelRefError(`"${id}" is not a model id (owner/name).`);
  return id;
}

/**
 * A base URL the files may come from: http or https, absolute or relative to `origin` (our
 * `/models/`). Returns it resolved; ModelRefError for anything else (ftp:, javascript:, junk), and
 * for a user name or password before the host: `https://huggingface.co@evil.example/` reads as the
 * hub to a person but sends every request to evil.example. A host name ending in a dot
 * (`elsewhere.example.`) is refused too: it is the same host to DNS but another origin to the page,
 * so it would pass as a host never refused or agreed to (consent.ts agrees by origin).
 */
export function checkModelBase(base: string, origin: string = globalThis.location?.href ?? 'http://localhost/'): URL {
  let url: URL | null;
  try {
    url = new URL(base, origin);
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) throw new ModelRefError(`"${base}" is not an http(s) base URL.`);
  // The base itself is not repeated: it may hold a password.
  if (url.username !== '' || url.password !== '') {
    throw new ModelRefError(`A model base may not carry a user name or password before its host (…@${url.host}): write the address without them.`);
  }
  if (url.hostname.endsWith('.')) {
    throw new ModelRefError(`A model base may not end its host name with a dot (${url.hostname}): write it without the final dot.`);
  }
  return url;
}

export function onnxPath(dtype: ModelDtype): string {
  switch (dtype) {
    case 'fp32':
      return 'onnx/model.onnx';
    case 'fp16':
    case 'quantized':
    case 'q4':
    case 'q4f16':
      return `onnx/model_${dtype}.onnx`;
  }
}

/** The repository-relative files a task needs, the ONNX file last (the largest: downloaded last). */
export function modelFiles(ref: Pick<ModelRef, 'task' | 'dtype'>): string[] {
  const common = ['config.json', 'tokenizer.json', 'tokenizer_config.json'];
  switch (ref.task) {
    case 'classifier':
      return [...common, onnxPath(ref.dtype)];
    case 'generator':
      return [...common, 'generation_config.json', onnxPath(ref.dtype)];
  }
}

/**
 * The URL of one file. `base` absent or the hub: the hub's resolve URL; otherwise
 * `<base><id>/<path>` (base made to end with `/`; a relative base resolves against `origin`).
 */
export function fileUrl(ref: Pick<ModelRef, 'id' | 'revision'>, path: string, base?: string, origin?: string): URL {
  const id = checkModelId(ref.id);
  if (base === undefined || base === '' || new URL(base, origin ?? HUB_BASE).href === HUB_BASE) {
    return new URL(`${id}/resolve/${encodeURIComponent(ref.revision ?? 'main')}/${path}`, HUB_BASE);
  }
  const dir = base.endsWith('/') ? base : `${base}/`;
  return new URL(`${id}/${path}`, new URL(dir, origin ?? globalThis.location?.href));
}

export function modelFileUrls(ref: ModelRef, base?: string, origin?: string): { path: string; url: URL }[] {
  return modelFiles(ref).map((path) => ({ path, url: fileUrl(ref, path, base, origin) }));
}

/** Every file of `refs` on the hub, once each (two variants of a model share their JSON files). */
export function fetchList(refs: readonly ModelRef[]): { id: string; path: string; url: URL }[] {
  const seen = new Set<string>();
  const out: { id: string; path: string; url: URL }[] = [];
  for (const ref of refs) {
    for (const { path, url } of modelFileUrls(ref)) {
      const key = `${ref.id}/${path}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ id: ref.id, path, url });
    }
  }
  return out;
}

/** The document's model key: a known repository by its hub id, anything else `custom` (identified by its file's SHA-256). */
export function realModelKey(id: string): RealModelKey {
  for (const [key, m] of Object.entries(REAL_MODELS)) if (m.hubId === id) return key as RealModelKey;
  return 'custom';
}

export function isModelDtype(s: string): s is ModelDtype {
  return (MODEL_DTYPES as readonly string[]).includes(s);
}
