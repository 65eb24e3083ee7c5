import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import { chromiumArgs, locateChromium } from './scripts/chromium.ts';
import { isolationHeaders } from './vite.config.ts';

/**
 * One runner, five projects: unit (node), server (node, real HTTP + PGlite), gpu (real WebGPU in
 * headless Chromium through SwiftShader), f16 (f16 kernels through Dawn for Node on lavapipe, the
 * one CPU adapter here with shader-f16) and e2e (Playwright drives the built app).
 *
 * Chromium is looked up without throwing: `vitest run --project unit` must load this file on a
 * machine that has none. The gpu project checks for it in its global setup, and the e2e tests
 * when they launch it, each with what to install.
 */
const chromium = locateChromium();
export default defineConfig({
  test: {
    projects: [
      // 30 s, not 5: a few unit tests load onnxruntime's WASM or parse the task sets, and a busy
      // 2-core machine once took longer than 5 s. A timeout is a harness limit, not a speed check.
      { test: { name: 'unit', environment: 'node', include: ['tests/unit/**/*.test.ts'], testTimeout: 30_000 } },
      {
        test: {
          name: 'server',
          environment: 'node',
          include: ['tests/server/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        server: { headers: isolationHeaders },
        optimizeDeps: { exclude: ['onnxruntime-web'] },
        test: {
          name: 'gpu',
          include: ['tests/gpu/**/*.test.ts'],
          testTimeout: 120_000,
          globalSetup: ['./scripts/chromium-setup.ts'],
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({ launchOptions: { executablePath: chromium.ok ? chromium.path : undefined, args: chromiumArgs() } }),
            instances: [{ browser: 'chromium' }],
            screenshotFailures: false,
          },
          fileParallelism: false,
        },
      },
      // f16 kernels on a real shader-f16 adapter: Dawn for Node on Mesa's lavapipe (tests/f16/adapter.ts).
      // Forks, not threads: the Vulkan loader reads VK_ICD_FILENAMES from the process environment.
      {
        test: {
          name: 'f16',
          environment: 'node',
          include: ['tests/f16/**/*.test.ts'],
          pool: 'forks',
          testTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['tests/e2e/**/*.test.ts'],
          testTimeout: 240_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
