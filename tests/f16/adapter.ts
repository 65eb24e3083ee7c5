/**
 * A WebGPU adapter with `shader-f16` for the f16 tests, in Node: Dawn for Node (the `webgpu`
 * package) on Mesa's lavapipe, a Vulkan driver on the CPU that, unlike SwiftShader (the browser
 * tests' adapter), offers 16-bit floats (Mesa ≥ 23; Debian bookworm has it in
 * bookworm-backports, which .ci/run installs). Dawn is installed as `navigator.gpu`, so the
 * tests use the same `withDevice` helper as the browser's.
 *
 * Like SwiftShader, lavapipe runs shaders on the CPU: its f16 figures say nothing about a GPU's
 * speed, only that the f16 kernels compile and compute the right values on a real f16 adapter.
 *
 * Without such an adapter the f16 tests are skipped with the reason, except under CI=true, where
 * a test fails instead (.ci/run installs the driver, so a skip there would hide a broken setup).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** Where Mesa's lavapipe manifest is looked for (override: LAB_F16_ICD). */
const LAVAPIPE_MANIFESTS = ['/usr/share/vulkan/icd.d/lvp_icd.json', '/usr/share/vulkan/icd.d/lvp_icd.x86_64.json'];

export type F16Adapter = { ok: true; description: string } | { ok: false; why: string };

const INSTALL =
  'install Mesa ≥ 23\'s Vulkan drivers (Debian bookworm: `apt-get install -t bookworm-backports mesa-vulkan-drivers libvulkan1`) or point LAB_F16_ICD at a Vulkan driver manifest whose device has 16-bit floats';

async function install(): Promise<F16Adapter> {
  const manifest = process.env['LAB_F16_ICD'] || LAVAPIPE_MANIFESTS.find((p) => existsSync(p));
  if (!manifest) return { ok: false, why: `no lavapipe manifest in ${LAVAPIPE_MANIFESTS.join(' or ')}: ${INSTALL}` };
  // Read by the Vulkan loader when Dawn creates its instance (below), in this process.
  process.env['VK_ICD_FILENAMES'] = manifest;
  process.env['XDG_RUNTIME_DIR'] ??= '/tmp';
  let gpu: GPU;
  try {
    const { create, globals } = await import('webgpu');
    Object.assign(globalThis, globals);
    gpu = create(['backend=vulkan']);
  } catch (e) {
    return { ok: false, why: `Dawn for Node could not be loaded: ${(e as Error).message}` };
  }
  const adapter = await gpu.requestAdapter();
  if (!adapter) return { ok: false, why: `Dawn found no adapter through ${manifest}: ${INSTALL}` };
  if (!adapter.features.has('shader-f16')) return { ok: false, why: `${adapter.info.description || adapter.info.vendor} has no shader-f16: ${INSTALL}` };
  const value = { gpu, userAgent: `Node.js/${process.versions.node}`, hardwareConcurrency: availableParallelism() };
  Object.defineProperty(globalThis, 'navigator', { value, configurable: true });
  return { ok: true, description: adapter.info.description || adapter.info.vendor };
}

/** The adapter, found once per test file. */
export const f16Adapter: F16Adapter = await install();

/** Under CI=true a missing f16 adapter is a failure, not a skip. */
export const f16Required = process.env['CI'] === 'true';
