export function residualRef(x: Float32Array, y: Float32Array): Float32Array {
  return x.map((v, i) => v + y[i]!);
}
