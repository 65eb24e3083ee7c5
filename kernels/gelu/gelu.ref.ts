/**
 * erf in f64, accurate to ~1e-13: Maclaurin series below 3 (the largest term is ~1e3, so
 * cancellation costs ~3 of 16 digits), the asymptotic series of erfc beyond, summed until its
 * terms stop shrinking (error ≈ e^(−x²) relative to erfc, i.e. < 1e-12 absolute).
 */
export function erf(x: number): number {
  const a = Math.abs(x);
  let r: number;
  if (a < 3) {
    let term = a;
    let sum = a;
    for (let n = 1; n < 80; n++) {
      term *= (-a * a) / n;
      sum += term / (2 * n + 1);
    }
    r = (2 / Math.sqrt(Math.PI)) * sum;
  } else {
    let term = 1;
    let sum = 1;
    for (let n = 1; n < 60; n++) {
      const next = (term * -(2 * n - 1)) / (2 * a * a);
      if (Math.abs(next) >= Math.abs(term)) break;
      term = next;
      sum += term;
    }
    r = 1 - (Math.exp(-a * a) / (a * Math.sqrt(Math.PI))) * sum;
  }
  return x < 0 ? -r : r;
}

export function geluRef(x: Float32Array): Float32Array {
  return x.map((v) => 0.5 * v * (1 + erf(v / Math.SQRT2)));
}
