/** Chart data and options built from result documents (pure, so they can be unit-tested). */
import type { ResultDocument, Workload } from '../shared/result.ts';

export interface Roofline {
  peakGflops: number;
  bandwidthGbps: number;
  /** Arithmetic intensity (FLOP/byte) where the roofs meet. */
  ridge: number;
  points: { id: string; intensity: number; gflops: number; fractionOfRoof: number }[];
}

/** Roofline from the measured ceilings (fma-peak, copy) and every workload with FLOPs and bytes. */
export function roofline(doc: ResultDocument): Roofline | null {
  const fma = doc.workloads.find((w) => w.id === 'fma-peak');
  const copy = doc.workloads.find((w) => w.id === 'copy');
  if (!fma || !copy || fma.flops === null) return null;
  const peakGflops = fma.flops / (fma.timing.medianMs * 1e6);
  const bandwidthGbps = copy.bytes / (copy.timing.medianMs * 1e6);
  const points = doc.workloads
    .filter((w): w is Workload & { flops: number } => w.flops !== null && w.flops > 0 && w.bytes > 0 && w.id !== 'fma-peak')
    .map((w) => {
      const intensity = w.flops / w.bytes;
      const gflops = w.flops / (w.timing.medianMs * 1e6);
      const roof = Math.min(peakGflops, intensity * bandwidthGbps);
      return { id: w.id, intensity, gflops, fractionOfRoof: gflops / roof };
    });
  return { peakGflops, bandwidthGbps, ridge: peakGflops / bandwidthGbps, points };
}

/** Roof line sampled on a log grid spanning the points and the ridge. */
export function roofCurve(r: Roofline): [number[], number[]] {
  const xs = [r.ridge, ...r.points.map((p) => p.intensity)];
  const lo = Math.min(...xs) / 8;
  const hi = Math.max(...xs) * 8;
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i <= 48; i++) {
    const v = lo * Math.pow(hi / lo, i / 48);
    x.push(v);
    y.push(Math.min(r.peakGflops, v * r.bandwidthGbps));
  }
  return [x, y];
}
