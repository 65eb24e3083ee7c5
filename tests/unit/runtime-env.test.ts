// environment.runtime: what ran the engine (a browser, or Dawn for Node) and the native API under
// WebGPU when the runner knows it. A closed vocabulary, kept by the upload's anonymization.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parseLabArgs } from '../../scripts/lab-args.ts';
import { NodeWebGpuError, adapterMismatch, nodeRuntime, webgpuEnv } from '../../scripts/node/webgpu.ts';
import { selectProfile } from '../../src/energy/index.ts';
import { profileReason } from '../../src/shared/catalog-text.ts';
import type { ResultDocument } from '../../src/shared/result.ts';
import { sampleResult } from '../../src/shared/sample-result.ts';
import { anonymize, parseResult } from '../../src/shared/schema.ts';

const browserDoc = (runtime: unknown): unknown => {
  const d = sampleResult();
  return { ...d, environment: { ...d.environment, runtime } };
};
const nodeDoc = (runtime: unknown): unknown => {
  const d = sampleResult();
  const { crossOriginIsolated: _none, ...env } = d.environment;
  return { ...d, environment: { ...env, browser: { name: 'node', major: 22 }, runtime } };
};
const issues = (x: unknown): string[] => {
  const p = parseResult(x);
  return p.ok ? [] : p.issues;
};

describe('environment.runtime', () => {
  test('a browser run (backend unknown) and a Node run on vulkan validate and survive anonymization', () => {
    for (const [doc, runtime] of [[browserDoc({ kind: 'browser', backend: null }), { kind: 'browser', backend: null }], [nodeDoc({ kind: 'node', backend: 'vulkan' }), { kind: 'node', backend: 'vulkan' }]] as const) {
      expect(issues(doc)).toEqual([]);
      const p = parseResult(anonymize(doc as ResultDocument));
      if (!p.ok) throw new Error(p.issues.join('\n'));
      expect(p.value.environment.runtime).toEqual(runtime);
    }
  });

  test('optional: a document written before the field still validates, and stays without it', () => {
    expect(issues(sampleResult())).toEqual([]);
    expect(anonymize(sampleResult()).environment.runtime).toBeUndefined();
  });

  test('closed vocabulary: an unknown kind or backend is refused with the field named', () => {
    expect(issues(browserDoc({ kind: 'deno', backend: null }))).toEqual(['environment.runtime.kind: must be one of browser, node']);
    expect(issues(nodeDoc({ kind: 'node', backend: 'swiftshader <b>' }))).toEqual(['environment.runtime.backend: must be one of vulkan, metal, d3d12, d3d11, opengl, opengles or null']);
  });

  test('the runtime and the browser family agree (the Node runner is the family node)', () => {
    expect(issues(browserDoc({ kind: 'node', backend: 'vulkan' }))).toEqual(['(document): environment.runtime.kind must be node exactly when environment.browser.name is node']);
    expect(issues(nodeDoc({ kind: 'browser', backend: null }))).toEqual(['(document): environment.runtime.kind must be node exactly when environment.browser.name is node']);
  });

  test('the Node runner records the Dawn backend it asked for: the platform default, or LAB_WEBGPU_BACKEND', () => {
    expect(nodeRuntime({}, 'linux')).toEqual({ kind: 'node', backend: 'vulkan' });
    expect(nodeRuntime({}, 'darwin')).toEqual({ kind: 'node', backend: 'metal' });
    expect(nodeRuntime({}, 'win32')).toEqual({ kind: 'node', backend: 'd3d12' });
    expect(nodeRuntime({ LAB_WEBGPU_BACKEND: 'D3D11' }, 'win32')).toEqual({ kind: 'node', backend: 'd3d11' });
    // A backend outside the closed list, or a platform without a default: unknown, never a guess.
    expect(nodeRuntime({ LAB_WEBGPU_BACKEND: 'null' }, 'linux')).toEqual({ kind: 'node', backend: null });
    expect(nodeRuntime({}, 'freebsd')).toEqual({ kind: 'node', backend: null });
  });
});

// The Node runner's adapter (`--adapter`): SwiftShader by default, Mesa's lavapipe (the software
// adapter with shader-f16) or the system's driver when asked; the files are looked for in a
// temporary directory standing for /usr/lib/chromium and /usr/share/vulkan/icd.d.
describe('the Node runner\'s adapter choice', () => {
  const root = mkdtempSync(join(tmpdir(), 'adapter-choice-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const dir = (name: string, files: string[]): string => {
    const d = join(root, name);
    mkdirSync(d, { recursive: true });
    for (const f of files) writeFileSync(join(d, f), '{}');
    return d;
  };
  const chromium = dir('chromium', ['vk_swiftshader_icd.json', 'libvulkan.so.1']);
  const icd = dir('icd.d', ['lvp_icd.x86_64.json', 'radeon_icd.x86_64.json']);
  const empty = dir('empty', []);
  const linux = { platform: 'linux', arch: 'x64', icdDir: icd } as const;
  const thrown = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      if (e instanceof NodeWebGpuError) return e.message;
      throw e;
    }
    throw new Error('expected a NodeWebGpuError');
  };

  test('auto: SwiftShader with its loader on the library path (one restart), the user\'s VK_ICD_FILENAMES kept as set', () => {
    const sw = webgpuEnv({ LAB_SWIFTSHADER_DIR: chromium }, 'auto', linux);
    expect(sw.choice).toEqual({ kind: 'swiftshader', dir: chromium });
    expect(sw.env).toMatchObject({ VK_ICD_FILENAMES: join(chromium, 'vk_swiftshader_icd.json'), LD_LIBRARY_PATH: chromium });
    expect(sw.restart).toBe(true);
    // The restarted process finds the variable its parent set: still SwiftShader, no second restart.
    const child = webgpuEnv({ ...sw.env, LAB_NODE_RESTARTED: '1' }, 'auto', linux);
    expect(child).toMatchObject({ choice: { kind: 'swiftshader', dir: chromium }, restart: false });
    const mine = { VK_ICD_FILENAMES: '/opt/my_icd.json' };
    expect(webgpuEnv(mine, 'auto', linux)).toEqual({ choice: { kind: 'as-set' }, env: mine, restart: false });
    expect(webgpuEnv({ LAB_SWIFTSHADER_DIR: empty }, 'auto', linux).choice).toEqual({ kind: 'system', why: 'no-swiftshader' });
    expect(webgpuEnv({}, 'auto', { platform: 'darwin' }).choice).toEqual({ kind: 'system', why: 'not-linux' });
  });

  test('lavapipe: its manifest named in VK_ICD_FILENAMES, the system\'s loader (no LD_LIBRARY_PATH), no restart', () => {
    const env = { LD_LIBRARY_PATH: '/usr/local/lib', PATH: '/usr/bin' };
    const lvp = webgpuEnv(env, 'lavapipe', linux);
    expect(lvp).toEqual({ choice: { kind: 'lavapipe', manifest: join(icd, 'lvp_icd.x86_64.json') }, env: { ...env, VK_ICD_FILENAMES: join(icd, 'lvp_icd.x86_64.json') }, restart: false });
    // Asked by name, it replaces the user's driver; VK_DRIVER_FILES (read first by recent loaders) too.
    const replaced = webgpuEnv({ VK_ICD_FILENAMES: '/opt/my_icd.json', VK_DRIVER_FILES: '/opt/my_icd.json' }, 'lavapipe', linux);
    expect(replaced.env).toEqual({ VK_ICD_FILENAMES: join(icd, 'lvp_icd.x86_64.json'), VK_DRIVER_FILES: join(icd, 'lvp_icd.x86_64.json') });
    // One manifest for every architecture (Mesa's own install), and LAB_LAVAPIPE_ICD over both.
    const plain = dir('plain', ['lvp_icd.json']);
    expect(webgpuEnv({}, 'lavapipe', { ...linux, icdDir: plain, arch: 'arm64' }).choice).toEqual({ kind: 'lavapipe', manifest: join(plain, 'lvp_icd.json') });
    expect(webgpuEnv({ LAB_LAVAPIPE_ICD: join(plain, 'lvp_icd.json') }, 'lavapipe', linux).choice).toEqual({ kind: 'lavapipe', manifest: join(plain, 'lvp_icd.json') });
  });

  test('an adapter asked for by name and missing: NodeWebGpuError with what to install, never another adapter', () => {
    expect(thrown(() => webgpuEnv({}, 'lavapipe', { ...linux, icdDir: empty }))).toBe(
      `--adapter lavapipe: no lavapipe manifest (lvp_icd.json or lvp_icd.x86_64.json) in ${empty}; install Mesa ≥ 23's Vulkan drivers and the Vulkan loader (Debian bookworm: \`apt-get install -t bookworm-backports mesa-vulkan-drivers libvulkan1\`; Ubuntu ≥ 23.04: \`apt-get install mesa-vulkan-drivers libvulkan1\`), or set LAB_LAVAPIPE_ICD to lavapipe's manifest (lvp_icd*.json).`,
    );
    expect(thrown(() => webgpuEnv({ LAB_LAVAPIPE_ICD: join(empty, 'lvp.json') }, 'lavapipe', linux))).toMatch(/^--adapter lavapipe: LAB_LAVAPIPE_ICD names .*lvp\.json, which does not exist; install Mesa/);
    expect(thrown(() => webgpuEnv({}, 'lavapipe', { platform: 'darwin' }))).toBe('--adapter lavapipe needs Linux (Mesa\'s Vulkan driver); on darwin, use --adapter system.');
    expect(thrown(() => webgpuEnv({ LAB_SWIFTSHADER_DIR: empty }, 'swiftshader', linux))).toMatch(/^--adapter swiftshader: no SwiftShader in .*empty \(vk_swiftshader_icd\.json and libvulkan\.so\.1\): install Chromium/);
    expect(webgpuEnv({ LAB_SWIFTSHADER_DIR: chromium, VK_ICD_FILENAMES: '/opt/my_icd.json' }, 'swiftshader', linux).choice).toEqual({ kind: 'swiftshader', dir: chromium });
  });

  test('VK_DRIVER_FILES, read first by recent loaders: kept as set by auto, overridden for a named SwiftShader', () => {
    const mine = { VK_DRIVER_FILES: '/opt/my_icd.json' };
    expect(webgpuEnv(mine, 'auto', linux)).toEqual({ choice: { kind: 'as-set' }, env: mine, restart: false });
    const named = webgpuEnv({ LAB_SWIFTSHADER_DIR: chromium, VK_DRIVER_FILES: '/opt/my_icd.json' }, 'swiftshader', linux);
    expect(named.env).toMatchObject({ VK_ICD_FILENAMES: join(chromium, 'vk_swiftshader_icd.json'), VK_DRIVER_FILES: join(chromium, 'vk_swiftshader_icd.json') });
  });

  test('the adapter Dawn returned must be the one named: another driver is a mismatch, any adapter does for auto and system', () => {
    const swift = { vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader driver 5.0.0' };
    const lvp = { vendor: 'mesa', architecture: 'software', description: 'llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)' };
    expect(adapterMismatch({ kind: 'swiftshader', dir: chromium }, swift)).toBeNull();
    expect(adapterMismatch({ kind: 'lavapipe', manifest: 'm' }, lvp)).toBeNull();
    expect(adapterMismatch({ kind: 'swiftshader', dir: chromium }, lvp)).toBe(
      'SwiftShader was asked for, but Dawn returned mesa / software (llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)): check VK_DRIVER_FILES / VK_ADD_DRIVER_FILES.',
    );
    expect(adapterMismatch({ kind: 'lavapipe', manifest: 'm' }, swift)).toMatch(/^lavapipe was asked for, but Dawn returned google \/ swiftshader/);
    expect(adapterMismatch({ kind: 'as-set' }, lvp)).toBeNull();
    expect(adapterMismatch({ kind: 'system', why: 'real-gpu' }, swift)).toBeNull();
  });

  test('system: the environment as it is', () => {
    const env = { VK_ICD_FILENAMES: '/opt/my_icd.json' };
    expect(webgpuEnv(env, 'system', linux)).toEqual({ choice: { kind: 'system', why: 'real-gpu' }, env, restart: false });
  });

  test('the CLI: --adapter with the Node runtime only; --real-gpu is --adapter system', () => {
    const run = (argv: string[]) => {
      const a = parseLabArgs(argv);
      if (a.kind !== 'run') throw new Error('expected a run');
      return a;
    };
    expect(run(['--runtime', 'node']).adapter).toBe('auto');
    expect(run(['--runtime', 'node', '--adapter', 'lavapipe']).adapter).toBe('lavapipe');
    expect(run(['--runtime', 'node', '--real-gpu']).adapter).toBe('system');
    expect(run(['--runtime', 'node', '--real-gpu', '--adapter', 'system']).adapter).toBe('system');
    expect(run([]).adapter).toBeUndefined();
    expect(() => run(['--runtime', 'node', '--adapter', 'llvmpipe'])).toThrow('--adapter expects one of auto, swiftshader, lavapipe, system, got "llvmpipe"');
    expect(() => run(['--adapter', 'lavapipe'])).toThrow('--adapter chooses the Node runtime\'s adapter (add --runtime node); the browser runtime uses SwiftShader, or the GPU with --real-gpu');
    expect(() => run(['--runtime', 'node', '--real-gpu', '--adapter', 'lavapipe'])).toThrow('--real-gpu is --adapter system; it contradicts --adapter lavapipe');
  });

  test('lavapipe as Dawn reports it (mesa / software, fallback) is estimated as a software adapter, like SwiftShader', () => {
    const lavapipe = { vendor: 'mesa', architecture: 'software', isFallbackAdapter: true };
    const swiftshader = { vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: true };
    for (const hasBattery of [true, false, null]) {
      const l = selectProfile(lavapipe, { hasBattery }).profile;
      const s = selectProfile(swiftshader, { hasBattery }).profile;
      expect(l.id).toBe('software-adapter');
      expect(l.basis?.kind).toBe('fallback');
      expect(s.basis?.kind).toBe('fallback');
      expect({ ...l, reason: '', basis: { ...l.basis, who: '' } }).toEqual({ ...s, reason: '', basis: { ...s.basis, who: '' } });
      expect(profileReason(l, lavapipe, 'en')).toBe('Fallback (software) adapter reported as Mesa Software: 10–65 W');
      // Without the flag (another Dawn), the catalog still knows lavapipe by name: never a GPU class.
      expect(selectProfile({ ...lavapipe, isFallbackAdapter: false }, { hasBattery }).profile.id).toBe('software-adapter');
      expect(selectProfile({ vendor: 'mesa', architecture: 'llvmpipe', isFallbackAdapter: false }, { hasBattery }).profile.id).toBe('software-adapter');
    }
  });
});
