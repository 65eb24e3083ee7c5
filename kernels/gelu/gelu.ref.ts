/** Exact GELU with erf computed in f64 (series / continued fraction via a high-accuracy approximation). */
export function erf(x: number): number {
  // W. J. Cody's rational approximations are overkill here; a 2-term-corrected A&S 7.1.28 is not
  // accurate enough, so use the Taylor series for |x| < 3 and the asymptotic tail beyond.
  const a = Math.abs(x);
  let r: number;
  if (a < 3) {
    let term = a;
    let sum = a;
    for (let n = 1; n < 60; n++) {
      term *= (-a * a) / n;
      sum += term / (2 * n + 1);
    }
    r = (2 / Math.sqrt(Math.PI)) * sum;
  } else {
    r = 1 - Math.exp(-a * a) / (a * Math.sqrt(Math.PI)) * (1 - 1 / (2 * a * a) + 3 / (4 * a ** 4));
  }
  return x < 0 ? -r : r;
}

export function geluRef(x: Float32Array): Float32Array {
  return x.map((v) => 0.5 * v * (1 + erf(v / Math.SQRT2)));
}
