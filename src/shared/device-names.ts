/**
 * Display names of WebGPU adapter vendors and architectures ("nvidia" → "NVIDIA",
 * "lovelace" → "Ada Lovelace"). Pure tables, shared by the energy model (the profile's reason) and
 * the catalog texts the exports render (catalog-text.ts), so both name a device the same way.
 */

const VENDOR_NAMES: Record<string, string> = {
  nvidia: 'NVIDIA', amd: 'AMD', intel: 'Intel', apple: 'Apple', qualcomm: 'Qualcomm', arm: 'Arm',
  'img-tec': 'Imagination', samsung: 'Samsung', huawei: 'Huawei', broadcom: 'Broadcom', google: 'Google',
  microsoft: 'Microsoft', mesa: 'Mesa', verisilicon: 'VeriSilicon',
};

const ARCH_NAMES: Record<string, string> = {
  lovelace: 'Ada Lovelace', 'gen-12lp': 'Gen 12 LP', 'gen-12hp': 'Gen 12 HP (Arc)', 'xe-lpg': 'Xe-LPG',
  'xe-2lpg': 'Xe2-LPG', 'xe-2hpg': 'Xe2-HPG (Arc B)', 'xe-3lpg': 'Xe3-LPG', 'xe-3lpg-xs': 'Xe3-LPG XS',
  swiftshader: 'SwiftShader', warp: 'WARP', 'metal-3': 'Metal 3', videocore: 'VideoCore',
};

/** "rdna-3" → "RDNA 3", "lovelace" → "Ada Lovelace", "adreno-7xx" → "Adreno 7xx". */
export function prettyArchitecture(arch: string): string {
  const a = arch.trim().toLowerCase();
  if (ARCH_NAMES[a]) return ARCH_NAMES[a];
  const parts = a.split('-').filter(Boolean);
  return parts
    .map((p) => (/^(rdna|gcn|cdna)$/.test(p) ? p.toUpperCase() : /^\d/.test(p) ? p : p.charAt(0).toUpperCase() + p.slice(1)))
    .join(' ');
}

export function prettyVendor(vendor: string): string {
  const v = vendor.trim().toLowerCase();
  return VENDOR_NAMES[v] ?? (v ? v.charAt(0).toUpperCase() + v.slice(1) : '');
}

/** "NVIDIA Ada Lovelace": vendor and architecture names, either may be empty. */
export function deviceName(vendor: string, architecture: string): string {
  return [prettyVendor(vendor), prettyArchitecture(architecture)].filter(Boolean).join(' ');
}
