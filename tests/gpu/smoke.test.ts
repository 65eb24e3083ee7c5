import { expect, test } from 'vitest';
import { withDevice } from '../helpers/with-device.ts';

test('SwiftShader adapter exposes timestamp-query and runs a compute shader', async () => {
  await withDevice(async ({ device, adapter, buffer, read }) => {
    expect(adapter.info.vendor).toBe('google');
    expect(adapter.info.architecture).toBe('swiftshader');
    const buf = buffer(new Float32Array([1, 2, 3, 4]));
    const module = device.createShaderModule({ code: `@group(0) @binding(0) var<storage, read_write> x: array<f32>;
      @compute @workgroup_size(4) fn main(@builtin(global_invocation_id) id: vec3u) { x[id.x] = x[id.x] * 2.0; }` });
    const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module } });
    const bg = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: buf } }] });
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline); pass.setBindGroup(0, bg); pass.dispatchWorkgroups(1); pass.end();
    device.queue.submit([enc.finish()]);
    expect(Array.from(new Float32Array(await read(buf)))).toEqual([2, 4, 6, 8]);
    console.log('features', [...adapter.features].join(','));
  });
});
