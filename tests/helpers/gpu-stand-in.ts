/**
 * For unit tests that build graphs without a GPU (Node has no WebGPU): the flag namespaces the
 * builders read, and a device look-alike with WebGPU's default limits and the features named.
 * src/bench/pipelines.ts `standInDevice` wraps such a device so nothing is allocated or compiled.
 */
import { beforeAll } from 'vitest';

/** Installs GPUBufferUsage, GPUMapMode and GPUShaderStage where the runtime has none, before the file's tests. */
export function useGpuFlags(): void {
  beforeAll(() => {
    const g = globalThis as Record<string, unknown>;
    g.GPUBufferUsage ??= { MAP_READ: 1, MAP_WRITE: 2, COPY_SRC: 4, COPY_DST: 8, INDEX: 16, VERTEX: 32, UNIFORM: 64, STORAGE: 128, INDIRECT: 256, QUERY_RESOLVE: 512 };
    g.GPUMapMode ??= { READ: 1, WRITE: 2 };
    g.GPUShaderStage ??= { VERTEX: 1, FRAGMENT: 2, COMPUTE: 4 };
  });
}

/** WebGPU's default limits that the builders read. */
export const DEFAULT_LIMITS = { minStorageBufferOffsetAlignment: 256, maxStorageBufferBindingSize: 2 ** 27, maxBufferSize: 2 ** 28, maxComputeWorkgroupsPerDimension: 65535 };

/** A device look-alike: the default limits and these features (nothing else is there to call). */
export const deviceWith = (features: readonly string[] = []): GPUDevice => ({ limits: DEFAULT_LIMITS, features: new Set<string>(features) }) as unknown as GPUDevice;
