/**
 * Vitest global setup of the browser (gpu) project. The config looks Chromium up without throwing,
 * so that the node projects run on a machine without it; this setup runs only when the gpu
 * project itself runs, and stops it with what to install instead of a launch failure.
 */
import { findChromium } from './chromium.ts';

export default function requireChromium(): void {
  findChromium();
}
