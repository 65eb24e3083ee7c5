/**
 * Runs a test body with a fresh WebGPU device (after greggman's webgpu-utils tests): pushes
 * validation and out-of-memory error scopes, destroys every buffer the body created through
 * `track`, and fails on any WebGPU error, including uncaptured ones.
 */
/** The helpers are function properties, not methods: test bodies destructure them. */
export interface DeviceContext {
  device: GPUDevice;
  adapter: GPUAdapter;
  /** Register a resource to be destroyed when the body ends. */
  track: <T extends { destroy(): void }>(resource: T) => T;
  /** Create a storage buffer initialised from `data`. */
  buffer: (data: ArrayBufferView | number, usage?: number, label?: string) => GPUBuffer;
  /** Copy a buffer back to the CPU. */
  read: (buffer: GPUBuffer, bytes?: number) => Promise<ArrayBuffer>;
}

export async function withDevice<T>(
  body: (ctx: DeviceContext) => Promise<T>,
  opts: { features?: GPUFeatureName[] } = {},
): Promise<T> {
  if (!('gpu' in navigator)) throw new Error('navigator.gpu is missing: WebGPU is not enabled in this browser');
  const adapter = await navigator.gpu.requestAdapter();
  if (!adapter) throw new Error('No WebGPU adapter');
  const features = (opts.features ?? []).filter((f) => adapter.features.has(f));
  const device = await adapter.requestDevice({ requiredFeatures: features });
  const uncaptured: string[] = [];
  device.addEventListener('uncapturederror', (e) => uncaptured.push(e.error.message));
  const resources: { destroy(): void }[] = [];
  const track = <R extends { destroy(): void }>(r: R): R => (resources.push(r), r);
  const ctx: DeviceContext = {
    device,
    adapter,
    track,
    buffer(data, usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST, label = 'test.buffer') {
      const size = typeof data === 'number' ? data : data.byteLength;
      const buf = track(device.createBuffer({ label, size: Math.max(16, Math.ceil(size / 4) * 4), usage, mappedAtCreation: typeof data !== 'number' }));
      if (typeof data !== 'number') {
        new Uint8Array(buf.getMappedRange()).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
        buf.unmap();
      }
      return buf;
    },
    async read(buffer, bytes = buffer.size) {
      const staging = track(device.createBuffer({ label: 'test.readback', size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST }));
      const enc = device.createCommandEncoder();
      enc.copyBufferToBuffer(buffer, 0, staging, 0, bytes);
      device.queue.submit([enc.finish()]);
      await staging.mapAsync(GPUMapMode.READ);
      const copy = staging.getMappedRange().slice(0);
      staging.unmap();
      return copy;
    },
  };
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  try {
    const result = await body(ctx);
    await device.queue.onSubmittedWorkDone();
    const validation = await device.popErrorScope();
    const oom = await device.popErrorScope();
    if (validation) throw new Error(`WebGPU validation error: ${validation.message}`);
    if (oom) throw new Error(`WebGPU out-of-memory error: ${oom.message}`);
    if (uncaptured.length) throw new Error(`Uncaptured WebGPU error: ${uncaptured.join('; ')}`);
    return result;
  } finally {
    for (const r of resources) r.destroy();
    device.destroy();
  }
}
