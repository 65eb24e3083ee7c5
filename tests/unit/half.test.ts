/** binary16 conversion against known bit patterns (IEEE 754-2008, round to nearest even). */
import { describe, expect, test } from 'vitest';
import { f16BitsToF32, f32ToF16Bits, roundToF16 } from '../../src/shared/half.ts';

describe('f32ToF16Bits', () => {
  test.each([
    [0, 0x0000],
    [-0, 0x8000],
    [1, 0x3c00],
    [-2, 0xc000],
    [0.5, 0x3800],
    [65504, 0x7bff], // largest finite half
    [65519.99, 0x7bff], // rounds down below the halfway point to Infinity
    [65520, 0x7c00], // halfway to 2^16: ties to even overflows
    [1e6, 0x7c00],
    [-Infinity, 0xfc00],
    [Infinity, 0x7c00],
    [2 ** -14, 0x0400], // smallest normal
    [2 ** -24, 0x0001], // smallest subnormal
    [2 ** -25, 0x0000], // exactly half of it: ties to even (0)
    [1.5 * 2 ** -25, 0x0001], // above half: rounds up
    [3 * 2 ** -25, 0x0002], // 1.5 ulp: ties to even (2)
    [1023 * 2 ** -24, 0x03ff], // largest subnormal
    [1 + 2 ** -11, 0x3c00], // halfway between 1 and next: ties to even (1)
    [1 + 3 * 2 ** -11, 0x3c02], // halfway between 1+ulp and 1+2ulp: ties to even (up)
    [1 + 2 ** -11 + 2 ** -20, 0x3c01], // just above halfway: up
    [2047 * 2 ** -10 + 2 ** -11, 0x4000], // a mantissa carry rolls into the exponent
    [0.1, 0x2e66],
  ])('%s → bits %i', (x, bits) => {
    expect(f32ToF16Bits(x).toString(16)).toBe(bits.toString(16));
  });

  test('NaN stays a quiet NaN, sign kept', () => {
    expect(f32ToF16Bits(NaN) & 0x7c00).toBe(0x7c00);
    expect(f32ToF16Bits(NaN) & 0x3ff).not.toBe(0);
    expect(Number.isNaN(roundToF16(NaN))).toBe(true);
  });

  test('every half value round-trips through f32 exactly', () => {
    for (let h = 0; h < 0x10000; h++) {
      const x = f16BitsToF32(h);
      if (Number.isNaN(x)) continue;
      expect(f32ToF16Bits(x)).toBe(h);
    }
  });
});
