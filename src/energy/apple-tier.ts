/**
 * Telling an Apple M-series tier (base, Pro, Max, Ultra) from what a browser exposes. Dawn
 * reports every Apple GPU as "metal-3", so the adapter alone cannot tell an M1 from an M4 Max;
 * the evidence is the CPU thread count and the run's own fma-peak throughput. Pure: the catalog
 * entries are passed in, so this module has no dependency on the catalog loader.
 */

export type AppleTier = 'base' | 'pro' | 'max' | 'ultra';

/** The detection data of one Apple tier in data/power-profiles.json. */
export interface AppleTierSpec {
  tier: AppleTier;
  /** Every CPU thread count a chip of this tier ships with (M1 … M4). */
  cpuThreads: number[];
  /** Theoretical FP32 peak over the tier's chips (modeled: cores × lanes × 2 × clock). */
  fp32PeakGflops: { low: number; high: number };
  /** Only in desktops (Mac Studio, Mac Pro): ruled out on a battery device. */
  desktopOnly: boolean;
  reasoning: string;
}

export interface AppleEvidence {
  /** Adapter architecture: Chromium (Dawn) says "metal-3"/"common-N", Safari says "apple". */
  architecture: string;
  /** navigator.hardwareConcurrency on the machine that ran the benchmark. */
  cpuThreads: number | null;
  /** GFLOP/s the run's fma-peak workload reached. */
  measuredPeakGflops: number | null;
  hasBattery: boolean | null;
}

/** How the tier was chosen: stored with the profile so a reader sees the evidence. */
export interface AppleTierBasis {
  /** The tier picked, or null when the evidence left several and the band spans them. */
  chosen: AppleTier | null;
  /** The tiers the evidence left, smallest first. */
  candidates: AppleTier[];
  cpuThreads: number | null;
  /** Whether the thread count was taken into account (not when missing, capped by Safari, or matching no tier). */
  threadsUsed: boolean;
  peakGflops: number | null;
  /** Whether the measured peak ruled a tier out. */
  peakUsed: boolean;
  /** Whether the battery ruled the desktop-only tier out. */
  batteryUsed: boolean;
}

/**
 * A measured peak is a lower bound on what the GPU can do (overheads only slow it), so it can
 * rule out the tiers too small to reach it, never the larger ones: a low figure may come from a
 * throttled or power-saving GPU, or a preset too small to fill it. The margin covers the batch
 * timestamp quantization (under 5 %) and clocks above the modeled ones.
 */
const PEAK_MARGIN = 1.15;

/**
 * Chromium's Dawn reports "metal-N" / "common-N"; there the thread count is the real one.
 * Safari reports "apple" and WebKit caps the count at 8 (or randomises it), so it says nothing.
 */
function threadsTrusted(architecture: string): boolean {
  return /^(metal|common)-\d+$/.test(architecture.trim().toLowerCase());
}

export function appleTierCandidates(specs: readonly AppleTierSpec[], ev: AppleEvidence): AppleTierBasis {
  let cands = [...specs];
  let batteryUsed = false;
  if (ev.hasBattery === true && cands.some((s) => s.desktopOnly)) {
    cands = cands.filter((s) => !s.desktopOnly);
    batteryUsed = true;
  }

  const n = ev.cpuThreads;
  let threadsUsed = false;
  if (n !== null && Number.isInteger(n) && n > 0 && threadsTrusted(ev.architecture)) {
    const byThreads = cands.filter((s) => s.cpuThreads.includes(n));
    // A count no tier ships with (a chip newer than the catalog) tells nothing: keep them all.
    if (byThreads.length > 0) {
      threadsUsed = true;
      cands = byThreads;
    }
  }

  const peak = ev.measuredPeakGflops !== null && Number.isFinite(ev.measuredPeakGflops) && ev.measuredPeakGflops > 0 ? ev.measuredPeakGflops : null;
  let peakUsed = false;
  if (peak !== null) {
    const byPeak = cands.filter((s) => peak <= s.fp32PeakGflops.high * PEAK_MARGIN);
    // Faster than every remaining tier: the measurement or the catalog is wrong; ignore it.
    if (byPeak.length > 0 && byPeak.length < cands.length) {
      cands = byPeak;
      peakUsed = true;
    }
  }

  return {
    chosen: cands.length === 1 ? cands[0]!.tier : null,
    candidates: cands.map((s) => s.tier),
    cpuThreads: n,
    threadsUsed,
    peakGflops: peak,
    peakUsed,
    batteryUsed,
  };
}

const TIER_NAMES: Record<AppleTier, string> = { base: 'base', pro: 'Pro', max: 'Max', ultra: 'Ultra' };

export function appleTierName(t: AppleTier): string {
  return TIER_NAMES[t];
}

/** "tier Max (16 CPU threads, measured peak 12300 GFLOP/s)" or "tier not determined (base / Pro / Max; …)". */
export function appleTierSummary(b: AppleTierBasis): string {
  const evidence: string[] = [];
  if (b.threadsUsed && b.cpuThreads !== null) evidence.push(`${b.cpuThreads} CPU threads`);
  else evidence.push('CPU thread count not usable');
  if (b.peakUsed && b.peakGflops !== null) evidence.push(`measured peak ${Math.round(b.peakGflops)} GFLOP/s`);
  else evidence.push('measured peak not decisive');
  if (b.batteryUsed) evidence.push('battery rules out Ultra');
  const why = evidence.join(', ');
  return b.chosen !== null
    ? `tier ${appleTierName(b.chosen)} (${why})`
    : `tier not determined, band spans ${b.candidates.map(appleTierName).join(' / ')} (${why})`;
}
