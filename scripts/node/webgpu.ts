/**
 * WebGPU in Node for the browser-free runner: Dawn for Node (the `webgpu` package) installed as
 * `navigator.gpu`, on the machine's real adapter, on SwiftShader, or on Mesa's lavapipe.
 *
 * Choosing the adapter. Dawn reaches the GPU through the Vulkan loader (Linux), Metal (macOS)
 * or D3D12 (Windows). On Linux without a GPU driver, the system Chromium ships SwiftShader, a
 * Vulkan driver on the CPU, with its own Vulkan loader: `VK_ICD_FILENAMES` names the driver and
 * `LD_LIBRARY_PATH` lets Dawn find `libvulkan.so.1` beside it. The library path is read when the
 * process starts, so when it lacks that directory the runner restarts itself once with it set
 * (`webgpuEnv` says whether it must). Lavapipe, Mesa's Vulkan driver on the CPU, is the one
 * software adapter with `shader-f16` (SwiftShader has none): it is loaded by the system's
 * `libvulkan.so.1`, and the loader reads `VK_ICD_FILENAMES` only when Dawn creates its instance,
 * so setting it in this process is enough (no restart). `--adapter system` (or `--real-gpu`)
 * keeps the environment as it is: the system's loader and driver.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Environment } from '../../src/shared/result.ts';
import { WEBGPU_BACKENDS } from '../../src/shared/vocabulary.ts';

/** Where the SwiftShader Vulkan driver and loader are looked for (override: LAB_SWIFTSHADER_DIR). */
const SWIFTSHADER_DIR = '/usr/lib/chromium';
const ICD = 'vk_swiftshader_icd.json';

/** Where Mesa installs its Vulkan driver manifests (override for lavapipe: LAB_LAVAPIPE_ICD, a manifest). */
const VULKAN_ICD_DIR = '/usr/share/vulkan/icd.d';
/** Lavapipe's manifest: one name for all, or one per architecture (Debian's multiarch packages). */
const LAVAPIPE_MANIFESTS: Partial<Record<NodeJS.Architecture, readonly string[]>> = {
  x64: ['lvp_icd.json', 'lvp_icd.x86_64.json'],
  arm64: ['lvp_icd.json', 'lvp_icd.aarch64.json'],
  ia32: ['lvp_icd.json', 'lvp_icd.i686.json'],
};
export const LAVAPIPE_INSTALL =
  'install Mesa ≥ 23\'s Vulkan drivers and the Vulkan loader (Debian bookworm: `apt-get install -t bookworm-backports mesa-vulkan-drivers libvulkan1`; Ubuntu ≥ 23.04: `apt-get install mesa-vulkan-drivers libvulkan1`), or set LAB_LAVAPIPE_ICD to lavapipe\'s manifest (lvp_icd*.json)';

/** Set in the restarted process, so that it never restarts again. */
const RESTARTED = 'LAB_NODE_RESTARTED';

/**
 * The adapter asked for with `--adapter`: auto (SwiftShader unless VK_ICD_FILENAMES is set, the
 * system's driver when there is no SwiftShader), one of the two software adapters on the CPU,
 * or the system's loader and driver (a real GPU).
 */
export const ADAPTER_REQUESTS = ['auto', 'swiftshader', 'lavapipe', 'system'] as const;
export type AdapterRequest = (typeof ADAPTER_REQUESTS)[number];
export const isAdapterRequest = (x: string): x is AdapterRequest => (ADAPTER_REQUESTS as readonly string[]).includes(x);

/** Which adapter the runner asks Dawn for, and why. */
export type AdapterChoice =
  /** SwiftShader from the directory named, set up by the runner. */
  | { kind: 'swiftshader'; dir: string }
  /** Mesa's lavapipe (llvmpipe on Vulkan) through the system's Vulkan loader: f16 on the CPU. */
  | { kind: 'lavapipe'; manifest: string }
  /** VK_ICD_FILENAMES was already set, and no adapter was asked for: the user's choice, kept. */
  | { kind: 'as-set' }
  /** The system's loader and driver: --adapter system (--real-gpu), or no SwiftShader found. */
  | { kind: 'system'; why: 'real-gpu' | 'no-swiftshader' | 'not-linux' };

export interface WebGpuEnv {
  choice: AdapterChoice;
  /** The environment the runner must run under. */
  env: NodeJS.ProcessEnv;
  /** Whether the process must restart to get it (the library path is read at start). */
  restart: boolean;
}

/** Where the file checks look (tests point them at a temporary directory). */
interface WebGpuPlace {
  platform?: NodeJS.Platform;
  arch?: NodeJS.Architecture;
  icdDir?: string;
}

/**
 * The adapter choice and environment, from the request and the current environment (pure but
 * for the file checks). Throws NodeWebGpuError, with what to install, when the adapter asked for
 * by name is not on this machine: an explicit request never falls back to another adapter.
 */
export function webgpuEnv(env: NodeJS.ProcessEnv, request: AdapterRequest, place: WebGpuPlace = {}): WebGpuEnv {
  const platform = place.platform ?? process.platform;
  switch (request) {
    case 'system':
      return { choice: { kind: 'system', why: 'real-gpu' }, env, restart: false };
    case 'lavapipe': {
      if (platform !== 'linux') throw new NodeWebGpuError(`--adapter lavapipe needs Linux (Mesa's Vulkan driver); on ${platform}, use --adapter system.`);
      const manifest = lavapipeManifest(env, place.arch ?? process.arch, place.icdDir ?? VULKAN_ICD_DIR);
      return { choice: { kind: 'lavapipe', manifest }, env: driverEnv(env, manifest), restart: false };
    }
    case 'swiftshader': {
      if (platform !== 'linux') throw new NodeWebGpuError(`--adapter swiftshader needs Linux (Chromium's SwiftShader Vulkan driver); on ${platform}, use --adapter system.`);
      const set = swiftshaderEnv(env);
      if (!set) throw new NodeWebGpuError(`--adapter swiftshader: no SwiftShader in ${swiftshaderDir(env)} (${ICD} and libvulkan.so.1): install Chromium, or set LAB_SWIFTSHADER_DIR to a directory holding both.`);
      return set;
    }
    case 'auto': {
      // A driver the user named, under either variable (VK_DRIVER_FILES wins in recent loaders).
      const icd = env['VK_DRIVER_FILES'] || env['VK_ICD_FILENAMES'];
      // The restarted process finds the variable set by its parent for SwiftShader: still the runner's choice.
      const ours = env[RESTARTED] === '1' && icd === join(swiftshaderDir(env), ICD);
      if (icd && !ours) return { choice: { kind: 'as-set' }, env, restart: false };
      if (platform !== 'linux') return { choice: { kind: 'system', why: 'not-linux' }, env, restart: false };
      return swiftshaderEnv(env) ?? { choice: { kind: 'system', why: 'no-swiftshader' }, env, restart: false };
    }
  }
}

/** The environment naming one Vulkan driver: VK_ICD_FILENAMES, and VK_DRIVER_FILES (which recent loaders read first) when it is set. */
const driverEnv = (env: NodeJS.ProcessEnv, manifest: string): NodeJS.ProcessEnv => ({
  ...env, VK_ICD_FILENAMES: manifest, ...(env['VK_DRIVER_FILES'] ? { VK_DRIVER_FILES: manifest } : {}),
});

const swiftshaderDir = (env: NodeJS.ProcessEnv): string => env['LAB_SWIFTSHADER_DIR'] || SWIFTSHADER_DIR;

/** SwiftShader's environment, or null when its driver or loader is missing. */
function swiftshaderEnv(env: NodeJS.ProcessEnv): WebGpuEnv | null {
  const dir = swiftshaderDir(env);
  if (!existsSync(join(dir, ICD)) || !existsSync(join(dir, 'libvulkan.so.1'))) return null;
  const ld = env['LD_LIBRARY_PATH'];
  const next = { ...driverEnv(env, join(dir, ICD)), LD_LIBRARY_PATH: ld ? `${dir}:${ld}` : dir };
  const loaderFound = (ld ?? '').split(':').includes(dir);
  return { choice: { kind: 'swiftshader', dir }, env: next, restart: !loaderFound && env[RESTARTED] !== '1' };
}

/** Lavapipe's manifest: LAB_LAVAPIPE_ICD, else the first of Mesa's names found in the ICD directory. */
function lavapipeManifest(env: NodeJS.ProcessEnv, arch: NodeJS.Architecture, icdDir: string): string {
  const asked = env['LAB_LAVAPIPE_ICD'];
  if (asked) {
    if (!existsSync(asked)) throw new NodeWebGpuError(`--adapter lavapipe: LAB_LAVAPIPE_ICD names ${asked}, which does not exist; ${LAVAPIPE_INSTALL}.`);
    return asked;
  }
  const names = LAVAPIPE_MANIFESTS[arch] ?? ['lvp_icd.json'];
  const found = names.map((n) => join(icdDir, n)).find((p) => existsSync(p));
  if (!found) throw new NodeWebGpuError(`--adapter lavapipe: no lavapipe manifest (${names.join(' or ')}) in ${icdDir}; ${LAVAPIPE_INSTALL}.`);
  return found;
}

/**
 * Whether the adapter Dawn returned is the one asked for by name: null when it is (or when any
 * adapter would do), else why not. The Vulkan loader may still pick another driver (a
 * VK_ADD_DRIVER_FILES, a loader that reads other variables), and a named adapter never falls back.
 */
export function adapterMismatch(choice: AdapterChoice, info: Pick<GPUAdapterInfo, 'vendor' | 'architecture' | 'description'>): string | null {
  const got = `${info.vendor || '?'} / ${info.architecture || '?'} (${info.description || 'no description'})`;
  switch (choice.kind) {
    case 'swiftshader':
      return info.architecture === 'swiftshader' ? null : `SwiftShader was asked for, but Dawn returned ${got}: check VK_DRIVER_FILES / VK_ADD_DRIVER_FILES.`;
    case 'lavapipe':
      return info.vendor === 'mesa' && /llvmpipe/i.test(info.description) ? null : `lavapipe was asked for, but Dawn returned ${got}: check VK_DRIVER_FILES / VK_ADD_DRIVER_FILES.`;
    case 'as-set':
    case 'system':
      return null;
  }
}

export const restartedEnv = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({ ...env, [RESTARTED]: '1' });

/** No WebGPU adapter in Node: the message says which variables choose one. */
export class NodeWebGpuError extends Error {
  override name = 'NodeWebGpuError';
}

/** Dawn's native backend per platform, passed explicitly so the run knows which one it used. */
export function dawnBackend(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string | null {
  const asked = env['LAB_WEBGPU_BACKEND'];
  if (asked) return asked;
  return NATIVE_BACKEND[platform] ?? null;
}

const NATIVE_BACKEND: Partial<Record<NodeJS.Platform, string>> = { linux: 'vulkan', darwin: 'metal', win32: 'd3d12' };

/**
 * The document's runtime for a Node run: Dawn is created with one explicit backend
 * (dawnBackend above), so the adapter it found runs on that one; a name outside the closed
 * list (LAB_WEBGPU_BACKEND set to something else) is recorded as unknown.
 */
export function nodeRuntime(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): NonNullable<Environment['runtime']> {
  const asked = dawnBackend(env, platform);
  const backend = WEBGPU_BACKENDS.find((b) => b === asked?.toLowerCase()) ?? null;
  return { kind: 'node', backend };
}

function hint(choice: AdapterChoice): string {
  switch (choice.kind) {
    case 'swiftshader':
      return `The runner used SwiftShader from ${choice.dir} (VK_ICD_FILENAMES=${join(choice.dir, ICD)}, LD_LIBRARY_PATH=${choice.dir}); check that this Chromium's SwiftShader is complete, or set LAB_SWIFTSHADER_DIR to another directory holding ${ICD} and libvulkan.so.1.`;
    case 'lavapipe':
      return `The runner used Mesa's lavapipe (VK_ICD_FILENAMES=${choice.manifest}) through the system's Vulkan loader: ${LAVAPIPE_INSTALL}.`;
    case 'as-set':
      return 'VK_ICD_FILENAMES is set: check that it names a Vulkan driver manifest (.json) that exists, and that LD_LIBRARY_PATH lets the Vulkan loader (libvulkan.so.1) be found.';
    case 'system':
      switch (choice.why) {
        case 'real-gpu':
          return 'With --adapter system (--real-gpu) the system Vulkan loader and driver are used: install the GPU driver and the Vulkan loader (Debian/Ubuntu: libvulkan1 and the vendor\'s Vulkan driver), or use --adapter swiftshader or lavapipe (software adapters on the CPU).';
        case 'no-swiftshader':
          return `No GPU driver answered and no SwiftShader was found in ${SWIFTSHADER_DIR}: install a Vulkan driver and loader (libvulkan1), or Chromium (which ships SwiftShader), or use --adapter lavapipe (Mesa's Vulkan driver on the CPU), or point VK_ICD_FILENAMES and LD_LIBRARY_PATH (or LAB_SWIFTSHADER_DIR) at a SwiftShader build.`;
        case 'not-linux':
          return 'Dawn uses Metal on macOS and D3D12 on Windows: check that the GPU driver is installed (LAB_WEBGPU_BACKEND chooses another Dawn backend).';
      }
  }
}

/**
 * Creates Dawn's GPU object and installs it as `navigator.gpu` (with the userAgent and
 * hardwareConcurrency the engine and the energy context read), after checking that it offers an
 * adapter, and that it is the one asked for by name (adapterMismatch). Throws NodeWebGpuError,
 * naming the variables to set, when it does not. Returns that adapter.
 */
export async function installWebGpu(choice: AdapterChoice, env: NodeJS.ProcessEnv = process.env): Promise<GPUAdapter> {
  let gpu: GPU;
  const backend = dawnBackend(env);
  try {
    const { create, globals } = await import('webgpu');
    Object.assign(globalThis, globals);
    gpu = create(backend ? [`backend=${backend}`] : []);
  } catch (e) {
    throw new NodeWebGpuError(`Dawn for Node (the webgpu package) could not be loaded: ${(e as Error).message}. ${hint(choice)}`);
  }
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    throw new NodeWebGpuError(`requestAdapter failed: ${(e as Error).message}. ${hint(choice)}`);
  }
  if (!adapter) throw new NodeWebGpuError(`no WebGPU adapter through Dawn${backend ? ` (backend ${backend})` : ''}. ${hint(choice)}`);
  const mismatch = adapterMismatch(choice, adapter.info);
  if (mismatch) throw new NodeWebGpuError(mismatch);
  const nav = (globalThis as { navigator?: object }).navigator;
  if (nav) Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
  else {
    const value = { gpu, userAgent: `Node.js/${process.versions.node}`, hardwareConcurrency: availableParallelism() };
    Object.defineProperty(globalThis, 'navigator', { value, configurable: true });
  }
  return adapter;
}
