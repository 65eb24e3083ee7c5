/**
 * Device acquisition in layers (navigator.gpu → adapter → features/limits → device), each layer
 * with its own error, and `device.lost` watched from the start so a lost device ends a run with a
 * reason instead of a hang.
 */
import type { AdapterSummary } from '../shared/result.ts';
import { RECORDED_FEATURES, RECORDED_LIMIT_NAMES } from '../shared/vocabulary.ts';
import { DeviceLostError, WebGpuUnavailableError } from './errors.ts';

/**
 * Limits that decide which shapes and models fit, and the features a kernel may declare (we
 * request only these, and only when present): the lists the published document may hold
 * (src/shared/vocabulary.ts), so the device records nothing the dataset would drop.
 */
export const RECORDED_LIMITS = RECORDED_LIMIT_NAMES;
export const OPTIONAL_FEATURES: readonly GPUFeatureName[] = RECORDED_FEATURES;

/**
 * Features asked for whenever the adapter has them, whatever the caller lists: enabling
 * `subgroups` changes no kernel that does not use it, and lets the GEMV reduction of the device's
 * tuning (PipelineCache.tuning) pick the subgroup kernel; without it the tuning is ignored.
 */
const ALWAYS_REQUESTED: readonly GPUFeatureName[] = ['subgroups'];

export type Capabilities =
  | { available: true; adapter: AdapterSummary; secureContext: boolean }
  | { available: false; reason: WebGpuUnavailableError['reason']; message: string; secureContext: boolean };

export function summarizeAdapter(adapter: GPUAdapter): AdapterSummary {
  const info = adapter.info as GPUAdapterInfo & { subgroupMinSize?: number; subgroupMaxSize?: number; isFallbackAdapter?: boolean };
  const limits: Record<string, number> = {};
  for (const k of RECORDED_LIMITS) limits[k] = adapter.limits[k];
  return {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    // Older Chrome exposed it on the adapter, newer on info.
    isFallbackAdapter: Boolean(info.isFallbackAdapter ?? (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter),
    features: [...adapter.features].filter((f) => OPTIONAL_FEATURES.includes(f as GPUFeatureName)).sort(),
    limits,
    subgroupMinSize: typeof info.subgroupMinSize === 'number' ? info.subgroupMinSize : null,
    subgroupMaxSize: typeof info.subgroupMaxSize === 'number' ? info.subgroupMaxSize : null,
  };
}

export async function requestAdapter(): Promise<GPUAdapter> {
  const secure = typeof isSecureContext === 'undefined' ? true : isSecureContext;
  if (!secure) {
    throw new WebGpuUnavailableError('insecure-context', 'WebGPU needs a secure context: open the lab over https:// or from localhost.');
  }
  if (typeof navigator === 'undefined' || !('gpu' in navigator) || !navigator.gpu) {
    throw new WebGpuUnavailableError('no-navigator-gpu', 'This browser does not expose WebGPU (navigator.gpu is missing).');
  }
  let adapter: GPUAdapter | null;
  try {
    adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    throw new WebGpuUnavailableError('no-adapter', `requestAdapter failed: ${(e as Error).message}`);
  }
  if (!adapter) {
    throw new WebGpuUnavailableError('no-adapter', 'WebGPU is present but no GPU adapter is available (blocklisted driver, or GPU acceleration disabled).');
  }
  return adapter;
}

export async function probeCapabilities(): Promise<Capabilities> {
  const secureContext = typeof isSecureContext === 'undefined' ? true : isSecureContext;
  try {
    const adapter = await requestAdapter();
    return { available: true, adapter: summarizeAdapter(adapter), secureContext };
  } catch (e) {
    if (e instanceof WebGpuUnavailableError) return { available: false, reason: e.reason, message: e.message, secureContext };
    throw e;
  }
}

export interface AcquiredDevice {
  device: GPUDevice;
  adapter: GPUAdapter;
  summary: AdapterSummary;
  features: GPUFeatureName[];
  /** Rejects with DeviceLostError when the device is lost for any reason but our own destroy(). */
  lost: Promise<never>;
  isLost(): boolean;
  /** Destroys the device on purpose: this is not reported as a loss. */
  release(): void;
}

export async function acquireDevice(opts: {
  features?: readonly GPUFeatureName[];
  /** Limits the chosen workloads need; raised only as far as the adapter allows. */
  limits?: Partial<Record<(typeof RECORDED_LIMITS)[number], number>>;
}): Promise<AcquiredDevice> {
  const adapter = await requestAdapter();
  const features = [...new Set([...(opts.features ?? []), ...ALWAYS_REQUESTED])].filter((f) => adapter.features.has(f));
  const requiredLimits: Record<string, number> = {};
  for (const [k, v] of Object.entries(opts.limits ?? {})) {
    const max = adapter.limits[k as keyof GPUSupportedLimits] as number;
    if (typeof v === 'number') requiredLimits[k] = Math.min(v, max);
  }
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({ label: 'Lab.device', requiredFeatures: features, requiredLimits });
  } catch (e) {
    throw new WebGpuUnavailableError('device-request-failed', `requestDevice failed: ${(e as Error).message}`);
  }
  let lostFlag = false;
  let released = false;
  const lost = device.lost.then((info): never => {
    if (released) return new Promise<never>(() => {}) as never;
    lostFlag = true;
    throw new DeviceLostError(
      `The GPU device was lost (${info.reason ?? 'unknown'}${info.message ? `: ${info.message}` : ''}). ` +
        'This happens when the driver resets, the GPU is reclaimed or the tab is suspended. Run again to get a new device.',
    );
  });
  lost.catch(() => {}); // observed by whoever races against it
  return {
    device,
    adapter,
    summary: summarizeAdapter(adapter),
    features,
    lost,
    isLost: () => lostFlag,
    release: () => {
      released = true;
      device.destroy();
    },
  };
}
