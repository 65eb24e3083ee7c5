/**
 * Every kernel's meta (kernels/NAME/NAME.meta.ts) against its WGSL: the workgroup size of each
 * entry point (literals, `const`s and `override` defaults), the group-0 bindings and their
 * access (uniform, storage read, storage read_write), and the `enable` directives against
 * `requiredFeatures`. Kernels that read weights through loadW4/loadW1/lenW4 get the weight
 * snippet (kernels/weights/*.wgsl, binding 2) appended at pipeline creation: it is parsed with
 * them, in both storage variants; the products' shared snippets (kernels/product) likewise.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { BindingKind, KernelMeta } from '../../kernels/kernel.ts';
import { productParts } from '../../src/engine/ops/product.ts';

const ROOT = join(import.meta.dirname, '../../kernels');

type Size = [number, number, number];

interface ParsedWgsl {
  entries: Map<string, Size>;
  /** binding → every declaration of it (aliases of one buffer share a binding). */
  bindings: Map<number, { name: string; kind: BindingKind; group: number }[]>;
  enables: string[];
  usesWeights: boolean;
}

function stripComments(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
}

function parseWgsl(source: string): ParsedWgsl {
  const code = stripComments(source);
  const constants = new Map<string, number>();
  for (const m of code.matchAll(/\b(?:override|const)\s+(\w+)\s*(?::\s*\w+)?\s*=\s*(\d+)[ui]?\s*;/g)) constants.set(m[1]!, Number(m[2]));
  const value = (expr: string): number => {
    const t = expr.trim();
    if (/^\d+[ui]?$/.test(t)) return Number.parseInt(t, 10);
    const c = constants.get(t);
    if (c === undefined) throw new Error(`workgroup size "${t}" is neither a literal nor a const/override with a default`);
    return c;
  };
  const entries = new Map<string, Size>();
  for (const m of code.matchAll(/@compute\s+@workgroup_size\(([^)]*)\)\s*fn\s+(\w+)/g)) {
    const dims = m[1]!.split(',').map((s) => s.trim()).filter(Boolean).map(value);
    entries.set(m[2]!, [dims[0] ?? 1, dims[1] ?? 1, dims[2] ?? 1]);
  }
  const bindings = new Map<number, { name: string; kind: BindingKind; group: number }[]>();
  for (const m of code.matchAll(/@group\((\d+)\)\s*@binding\((\d+)\)\s*var(?:<([^>]*)>)?\s+(\w+)/g)) {
    const space = (m[3] ?? '').split(',').map((s) => s.trim());
    let kind: BindingKind;
    if (space[0] === 'uniform') kind = 'uniform';
    else if (space[0] === 'storage') kind = space[1] === 'read_write' ? 'storage' : 'read-only-storage';
    else throw new Error(`binding ${m[2]} (${m[4]}): unsupported address space <${m[3] ?? ''}>`);
    const b = Number(m[2]);
    bindings.set(b, [...(bindings.get(b) ?? []), { name: m[4]!, kind, group: Number(m[1]) }]);
  }
  const enables = [...code.matchAll(/^\s*enable\s+([\w\s,]+);/gm)].flatMap((m) => m[1]!.split(',').map((s) => s.trim()));
  return { entries, bindings, enables, usesWeights: /\b(loadW4|loadW1|lenW4)\s*\(/.test(code) };
}

/** WGSL `enable` extension → the WebGPU feature a device needs for it. */
const FEATURE_OF: Record<string, GPUFeatureName> = { f16: 'shader-f16', subgroups: 'subgroups' };

const weightSnippets = ['weights-f32.wgsl', 'weights-f16.wgsl'].map((f) => parseWgsl(readFileSync(join(ROOT, 'weights', f), 'utf8')));

function merge(a: ParsedWgsl, b: ParsedWgsl): ParsedWgsl {
  const bindings = new Map(a.bindings);
  for (const [k, v] of b.bindings) bindings.set(k, [...(bindings.get(k) ?? []), ...v]);
  return { entries: new Map([...a.entries, ...b.entries]), bindings, enables: [...a.enables, ...b.enables], usesWeights: a.usesWeights };
}

function isMeta(v: unknown): v is KernelMeta<unknown> {
  return typeof v === 'object' && v !== null && 'bindings' in v && 'workgroupSize' in v && 'name' in v;
}

const metaModules = import.meta.glob<Record<string, unknown>>('../../kernels/*/*.meta.ts', { eager: true });
const kernels = Object.entries(metaModules).map(([path, mod]) => {
  const folder = path.split('/').at(-2)!;
  const metas = Object.values(mod).filter(isMeta);
  return { folder, metas };
});

/** Kernels without WGSL of their own: they run on these entry points of another kernel. */
const RUNS_ON: Record<string, { kernel: string; entries: readonly string[] }> = { classifier: { kernel: 'gemv', entries: ['main_vec4', 'main_scalar'] } };

describe('kernel metas agree with their WGSL', () => {
  test('every kernel folder with a meta has its WGSL (or runs on another kernel), and every WGSL has a meta', () => {
    const dirs = readdirSync(ROOT, { withFileTypes: true }).filter((d) => d.isDirectory() && d.name !== 'weights').map((d) => d.name);
    for (const d of dirs) {
      const files = readdirSync(join(ROOT, d));
      if (files.includes(`${d}.wgsl`)) expect(files, d).toContain(`${d}.meta.ts`);
      if (files.includes(`${d}.meta.ts`) && !files.includes(`${d}.wgsl`)) expect(RUNS_ON[d], `${d} has a meta but no WGSL`).toBeDefined();
    }
    expect(kernels.length).toBeGreaterThanOrEqual(15);
  });

  test.each(kernels.map((k) => [k.folder, k] as const))('%s', (folder, { metas }) => {
    expect(metas, `${folder}.meta.ts exports one KernelMeta`).toHaveLength(1);
    const meta = metas[0]!;
    expect(meta.name).toBe(folder);
    const runsOn = RUNS_ON[folder];
    const codeFolder = runsOn?.kernel ?? folder;
    // The products get their shared prologue/epilogue snippets (kernels/product) appended: parsed with them.
    const own = parseWgsl(`${readFileSync(join(ROOT, codeFolder, `${codeFolder}.wgsl`), 'utf8')}\n${productParts(codeFolder)}`);
    const variants = own.usesWeights ? weightSnippets.map((w) => merge(own, w)) : [own];

    for (const wgsl of variants) {
      // Workgroup sizes, per entry point.
      expect(wgsl.entries.size, `${folder}: no @compute entry point found`).toBeGreaterThan(0);
      const extra = meta.entryWorkgroupSizes ?? {};
      for (const name of Object.keys(extra)) expect([...wgsl.entries.keys()], `${folder}: entryWorkgroupSizes names ${name}`).toContain(name);
      for (const [entry, size] of wgsl.entries) {
        if (runsOn && !runsOn.entries.includes(entry)) continue;
        const want = extra[entry] ?? meta.workgroupSize;
        expect(size, `${folder}: @workgroup_size of ${entry}`).toEqual([...want]);
      }

      // Bindings: the same slots, each with the declared access; aliases must agree.
      const declared = [...wgsl.bindings.keys()].sort((a, b) => a - b);
      expect(meta.bindings.map((b) => b.binding), `${folder}: binding slots`).toEqual(declared);
      meta.bindings.forEach((b, i) => {
        if (i > 0) expect(b.binding, `${folder}: bindings in order`).toBeGreaterThan(meta.bindings[i - 1]!.binding);
        for (const decl of wgsl.bindings.get(b.binding) ?? []) {
          expect(decl.group, `${folder}: ${decl.name} is in group 0`).toBe(0);
          expect(decl.kind, `${folder}: binding ${b.binding} (${decl.name}) access`).toBe(b.kind);
        }
      });
      // Names: the WGSL variable starts with the meta's name (a4/a1 for "a"), except the
      // weight snippet's own names for binding 2.
      for (const b of meta.bindings) {
        const names = (own.bindings.get(b.binding) ?? []).map((d) => d.name);
        for (const n of names) expect(n.startsWith(b.name), `${folder}: binding ${b.binding} is "${b.name}" in the meta, "${n}" in WGSL`).toBe(true);
      }

      // Features: exactly those the enable directives need.
      const needed = [...new Set(wgsl.enables.map((e) => FEATURE_OF[e] ?? `unknown extension ${e}`))].sort();
      expect([...meta.requiredFeatures].sort(), `${folder}: requiredFeatures vs enable directives`).toEqual(needed);
    }
  });
});

describe('the WGSL parser of this test', () => {
  test('reads override-based sizes, access modes, aliases and enable directives', () => {
    const p = parseWgsl(`
      enable f16;
      override WG: u32 = 128u; // comment @binding(9)
      const ROWS: u32 = 2u;
      @group(0) @binding(0) var<uniform> params: P;
      @group(0) @binding(1) var<storage, read> a4: array<vec4f>;
      @group(0) @binding(1) var<storage> a1: array<f32>;
      @group(0) @binding(2) var<storage, read_write> out: array<f32>;
      @compute @workgroup_size(WG, ROWS) fn main() { loadW1(0u); }
      @compute @workgroup_size(64) fn other() {}`);
    expect(p.entries.get('main')).toEqual([128, 2, 1]);
    expect(p.entries.get('other')).toEqual([64, 1, 1]);
    expect(p.bindings.get(1)!.map((d) => d.kind)).toEqual(['read-only-storage', 'read-only-storage']);
    expect(p.bindings.get(2)![0]!.kind).toBe('storage');
    expect(p.bindings.has(9)).toBe(false);
    expect(p.enables).toEqual(['f16']);
    expect(p.usesWeights).toBe(true);
  });
});
