/**
 * Bytes [offset, offset + size) of a GPU buffer, copied into a mappable buffer and read on the
 * CPU (the source needs COPY_SRC; offset and size multiples of 4, as copyBufferToBuffer requires).
 */
export async function readBuffer(device: GPUDevice, src: GPUBuffer, label: string, offset = 0, size = src.size - offset): Promise<ArrayBuffer> {
  const staging = device.createBuffer({ label: `${label}.readback`, size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  try {
    const enc = device.createCommandEncoder({ label: `${label}.readback` });
    enc.copyBufferToBuffer(src, offset, staging, 0, size);
    device.queue.submit([enc.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    return staging.getMappedRange().slice(0);
  } finally {
    staging.destroy();
  }
}
