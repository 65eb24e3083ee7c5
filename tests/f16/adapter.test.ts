// The f16 adapter itself: present (or skipped with the reason, failing under CI), and computing
// in f16 with f16's rounding, not f32's in disguise.
import { describe, expect, test } from 'vitest';
import { withDevice } from '../helpers/with-device.ts';
import { f16Adapter, f16Required } from './adapter.ts';

test('a shader-f16 adapter is available (required under CI=true)', (ctx) => {
  if (!f16Adapter.ok && !f16Required) ctx.skip(f16Adapter.ok ? '' : f16Adapter.why);
  expect(f16Adapter).toMatchObject({ ok: true });
});

describe.skipIf(!f16Adapter.ok)('shader-f16 arithmetic on the test adapter', () => {
  test('1 + 2⁻¹¹ rounds to 1 in f16 (ties to even) and the f16 product is exact where f16 holds it', async () => {
    const out = await withDevice(
      async ({ device, buffer, read }) => {
        const module = device.createShaderModule({
          code: `enable f16;
@group(0) @binding(0) var<storage, read_write> o: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<vec2<f16>>;
@compute @workgroup_size(1) fn main() {
  let one = w[0].x;                  // 1.0
  let tiny = w[0].y;                 // 2^-11: half an f16 ulp of 1
  o[0] = f32(one + tiny);            // f16: 1 (ties to even); f32 would give 1.00048828125
  o[1] = f32(w[1].x * w[1].y);       // 1.5 · 2.25 = 3.375, exact in f16
}`,
        });
        const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
        const o = buffer(16);
        const w = buffer(new Uint16Array([0x3c00, 0x1000, 0x3e00, 0x4080, 0, 0, 0, 0]));
        const enc = device.createCommandEncoder();
        const pass = enc.beginComputePass();
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: o } }, { binding: 1, resource: { buffer: w } }] }));
        pass.dispatchWorkgroups(1);
        pass.end();
        device.queue.submit([enc.finish()]);
        return Array.from(new Float32Array(await read(o, 8)));
      },
      { features: ['shader-f16'] },
    );
    expect(out).toEqual([1, 3.375]);
  });
});
