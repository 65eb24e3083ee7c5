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
 * The lavapipe manifest is found as `npm run lab -- --runtime node --adapter lavapipe` finds it
 * (scripts/node/webgpu.ts; LAB_LAVAPIPE_ICD names another). Without such an adapter the f16 tests
 * are skipped with the reason, except under CI=true, where
 * a test fails instead (.ci/run installs the driver, so a skip there would hide a broken setup).
 */
import { NodeWebGpuError, installWebGpu, webgpuEnv } from '../../scripts/node/webgpu.ts';

export type F16Adapter = { ok: true; description: string } | { ok: false; why: string };

async function install(): Promise<F16Adapter> {
  try {
    // The Node runner's own lavapipe lookup and install (LAB_LAVAPIPE_ICD, else Mesa's manifests;
    // Dawn on Vulkan, checked to be lavapipe), in this process: the Vulkan loader reads the
    // variables when Dawn creates its instance.
    const setup = webgpuEnv(process.env, 'lavapipe');
    Object.assign(process.env, setup.env);
    const adapter = await installWebGpu(setup.choice);
    if (!adapter.features.has('shader-f16')) return { ok: false, why: `${adapter.info.description} has no shader-f16: Mesa ≥ 23 is needed` };
    return { ok: true, description: adapter.info.description };
  } catch (e) {
    if (e instanceof NodeWebGpuError) return { ok: false, why: e.message };
    return { ok: false, why: `Dawn for Node on lavapipe failed: ${(e as Error).message}` };
  }
}

/** The adapter, found once per test file. */
export const f16Adapter: F16Adapter = await install();

/** Under CI=true a missing f16 adapter is a failure, not a skip. */
export const f16Required = process.env['CI'] === 'true';
