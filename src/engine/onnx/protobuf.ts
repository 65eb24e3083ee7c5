/**
 * A protobuf wire-format reader: only what the ONNX messages need, and nothing ONNX-specific.
 * Length-delimited fields are views into the input (raw_data of a 400 MB model is never copied).
 */

export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_I32 = 5;

/** The bytes do not follow the protobuf wire format (truncated, corrupt). */
export class ProtoError extends Error {
  override name = 'ProtoError';
}

export interface Field {
  no: number;
  wire: number;
  /** Varint / fixed value as a number (int64 above 2^53 rounded: only used for dims and clamps). */
  num: number;
  bytes: Uint8Array;
}

const EMPTY = new Uint8Array(0);
const utf8Decoder = new TextDecoder();

export const utf8 = (bytes: Uint8Array): string => utf8Decoder.decode(bytes);

/** The fields of one message, in order (repeated fields appear once per occurrence). */
export function* fields(buf: Uint8Array): Generator<Field> {
  let p = 0;
  const varint = (): number => {
    let lo = 0;
    let hi = 0;
    let shift = 0;
    for (let i = 0; i < 10; i++) {
      if (p >= buf.length) throw new ProtoError('truncated varint');
      const b = buf[p++]!;
      if (shift < 28) lo |= (b & 0x7f) << shift;
      else if (shift === 28) {
        lo |= (b & 0x0f) << 28;
        hi |= (b & 0x7f) >> 4;
      } else hi |= (b & 0x7f) << (shift - 32);
      shift += 7;
      if (!(b & 0x80)) {
        // int64 two's complement: `hi` as a signed 32-bit word carries the sign (negative values
        // are ten bytes on the wire), `lo` is unsigned.
        return (hi | 0) * 0x100000000 + (lo >>> 0);
      }
    }
    throw new ProtoError('varint longer than 10 bytes');
  };
  while (p < buf.length) {
    const key = varint();
    const no = Math.floor(key / 8);
    const wire = key & 7;
    if (no === 0) throw new ProtoError('field number 0');
    switch (wire) {
      case WIRE_VARINT:
        yield { no, wire, num: varint(), bytes: EMPTY };
        break;
      case WIRE_I64: {
        if (p + 8 > buf.length) throw new ProtoError('truncated fixed64');
        const v = new DataView(buf.buffer, buf.byteOffset + p, 8).getFloat64(0, true);
        p += 8;
        yield { no, wire, num: v, bytes: EMPTY };
        break;
      }
      case WIRE_LEN: {
        const len = varint();
        if (len < 0 || p + len > buf.length) throw new ProtoError('length-delimited field past the end');
        const bytes = buf.subarray(p, p + len);
        p += len;
        yield { no, wire, num: len, bytes };
        break;
      }
      case WIRE_I32: {
        if (p + 4 > buf.length) throw new ProtoError('truncated fixed32');
        const v = new DataView(buf.buffer, buf.byteOffset + p, 4).getFloat32(0, true);
        p += 4;
        yield { no, wire, num: v, bytes: EMPTY };
        break;
      }
      default:
        throw new ProtoError(`unsupported wire type ${wire}`);
    }
  }
}

/** A repeated varint field, packed (wire 2) or not. */
export function pushVarints(f: Field, out: number[]): void {
  if (f.wire === WIRE_VARINT) out.push(f.num);
  else if (f.wire === WIRE_LEN) for (const g of fields(packedAsVarints(f.bytes))) out.push(g.num);
}

/** Re-tags a packed varint payload as a sequence of field-1 varints so `fields` can read it. */
function packedAsVarints(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length * 2);
  let o = 0;
  let start = true;
  for (const b of bytes) {
    if (start) out[o++] = 0x08; // field 1, varint
    out[o++] = b;
    start = !(b & 0x80);
  }
  return out.subarray(0, o);
}

/** A repeated float field, packed (wire 2) or not. */
export function pushFloats(f: Field, out: number[]): void {
  if (f.wire === WIRE_I32) out.push(f.num);
  else if (f.wire === WIRE_LEN) {
    const dv = new DataView(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength);
    for (let i = 0; i + 4 <= f.bytes.length; i += 4) out.push(dv.getFloat32(i, true));
  }
}
