/**
 * Byte sizes in decimal units (1 MB = 10^6 B), the one scale used everywhere: the engine's
 * messages and the page's labels read the same number for the same limit.
 */
export const BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB'] as const;
export type ByteUnit = (typeof BYTE_UNITS)[number];

/** `n` bytes as a value below 1000 in the largest unit that allows it. */
export function scaleBytes(n: number): { value: number; unit: ByteUnit } {
  let i = 0;
  let v = n;
  while (v >= 1000 && i < BYTE_UNITS.length - 1) {
    v /= 1000;
    i++;
  }
  return { value: v, unit: BYTE_UNITS[i]! };
}

/** English text for logs, errors and the CLI ("134.2 MB"); the page uses src/ui/format.ts. */
export function bytesText(n: number): string {
  const { value, unit } = scaleBytes(n);
  return `${unit === 'B' ? value : value.toFixed(1)} ${unit}`;
}

/** The chunks of a download as one array of `length` bytes (the single chunk itself when it is all). */
export function concatBytes(chunks: readonly Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]!.length === length) return chunks[0]!;
  const out = new Uint8Array(length);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
