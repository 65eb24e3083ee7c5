/**
 * WebGPU in Node for the browser-free runner: Dawn for Node (the `webgpu` package) installed as
 * `navigator.gpu`, on the machine's real adapter or on SwiftShader through Vulkan.
 *
 * Choosing the adapter. Dawn reaches the GPU through the Vulkan loader (Linux), Metal (macOS)
 * or D3D12 (Windows). On Linux without a GPU driver, the system Chromium ships SwiftShader, a
 * Vulkan driver on the CPU, with its own Vulkan loader: `VK_ICD_FILENAMES` names the driver and
 * `LD_LIBRARY_PATH` lets Dawn find `libvulkan.so.1` beside it. The loader path is read when the
 * process starts, so when these are unset the runner restarts itself once with them set
 * (`webgpuEnv` says whether it must). `--real-gpu` keeps the environment as it is: the system's
 * loader and driver.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Environment } from '../../src/shared/result.ts';
import { WEBGPU_BACKENDS } from '../../src/shared/vocabulary.ts';

/** Where the SwiftShader Vulkan driver and loader are looked for (override: LAB_SWIFTSHADER_DIR). */
const SWIFTSHADER_DIR = '/usr/lib/chromium';
const ICD = 'vk_swiftshader_icd.json';

/** Set in the restarted process, so that it never restarts again. */
const RESTARTED = 'LAB_NODE_RESTARTED';

/** Which adapter the runner asks Dawn for, and why. */
export type AdapterChoice =
  /** SwiftShader from the directory named, set up by the runner. */
  | { kind: 'swiftshader'; dir: string }
  /** VK_ICD_FILENAMES was already set: the user's choice, kept. */
  | { kind: 'as-set' }
  /** The system's loader and driver: --real-gpu, or no SwiftShader found. */
  | { kind: 'system'; why: 'real-gpu' | 'no-swiftshader' | 'not-linux' };

export interface WebGpuEnv {
  choice: AdapterChoice;
  /** The environment the runner must run under. */
  env: NodeJS.ProcessEnv;
  /** Whether the process must restart to get it (the loader path is read at start). */
  restart: boolean;
}

/** The adapter choice and environment, from the current environment (pure but for the file checks). */
export function webgpuEnv(env: NodeJS.ProcessEnv, realGpu: boolean, platform: NodeJS.Platform = process.platform): WebGpuEnv {
  if (realGpu) return { choice: { kind: 'system', why: 'real-gpu' }, env, restart: false };
  if (env['VK_ICD_FILENAMES']) return { choice: { kind: 'as-set' }, env, restart: false };
  if (platform !== 'linux') return { choice: { kind: 'system', why: 'not-linux' }, env, restart: false };
  const dir = env['LAB_SWIFTSHADER_DIR'] || SWIFTSHADER_DIR;
  if (!existsSync(join(dir, ICD)) || !existsSync(join(dir, 'libvulkan.so.1'))) return { choice: { kind: 'system', why: 'no-swiftshader' }, env, restart: false };
  const ld = env['LD_LIBRARY_PATH'];
  const next = { ...env, VK_ICD_FILENAMES: join(dir, ICD), LD_LIBRARY_PATH: ld ? `${dir}:${ld}` : dir };
  const loaderFound = (ld ?? '').split(':').includes(dir);
  return { choice: { kind: 'swiftshader', dir }, env: next, restart: !loaderFound && env[RESTARTED] !== '1' };
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
    case 'as-set':
      return 'VK_ICD_FILENAMES is set: check that it names a Vulkan driver manifest (.json) that exists, and that LD_LIBRARY_PATH lets the Vulkan loader (libvulkan.so.1) be found.';
    case 'system':
      switch (choice.why) {
        case 'real-gpu':
          return 'With --real-gpu the system Vulkan loader and driver are used: install the GPU driver and the Vulkan loader (Debian/Ubuntu: libvulkan1 and the vendor\'s Vulkan driver), or drop --real-gpu to use SwiftShader.';
        case 'no-swiftshader':
          return `No GPU driver answered and no SwiftShader was found in ${SWIFTSHADER_DIR}: install a Vulkan driver and loader (libvulkan1), or Chromium (which ships SwiftShader), or point VK_ICD_FILENAMES and LD_LIBRARY_PATH (or LAB_SWIFTSHADER_DIR) at a SwiftShader build.`;
        case 'not-linux':
          return 'Dawn uses Metal on macOS and D3D12 on Windows: check that the GPU driver is installed (LAB_WEBGPU_BACKEND chooses another Dawn backend).';
      }
  }
}

/**
 * Creates Dawn's GPU object and installs it as `navigator.gpu` (with the userAgent and
 * hardwareConcurrency the engine and the energy context read), after checking that it offers an
 * adapter. Throws NodeWebGpuError, naming the variables to set, when it does not.
 */
export async function installWebGpu(choice: AdapterChoice, env: NodeJS.ProcessEnv = process.env): Promise<GPUAdapterInfo> {
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
  const nav = (globalThis as { navigator?: object }).navigator;
  if (nav) Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
  else {
    const value = { gpu, userAgent: `Node.js/${process.versions.node}`, hardwareConcurrency: availableParallelism() };
    Object.defineProperty(globalThis, 'navigator', { value, configurable: true });
  }
  return adapter.info;
}
