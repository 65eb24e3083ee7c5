// environment.runtime: what ran the engine (a browser, or Dawn for Node) and the native API under
// WebGPU when the runner knows it. A closed vocabulary, kept by the upload's anonymization.
import { describe, expect, test } from 'vitest';
import { nodeRuntime } from '../../scripts/node/webgpu.ts';
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
