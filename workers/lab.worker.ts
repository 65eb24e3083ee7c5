/** The lab worker: a thin comlink expose of the engine (and the energy Monte Carlo). */
import * as Comlink from 'comlink';
import { probeCapabilities, type AcquiredDevice } from '../src/engine/device.ts';
import { runPlan } from '../src/engine/run-plan.ts';
import { RunControl } from '../src/engine/timing.ts';
import { computeEnergy } from '../src/energy/index.ts';
import type { LabApi } from '../src/lab/api.ts';
import { inspectOnnx, measureOnnx } from '../src/engine/onnx/measure.ts';

let control: RunControl | null = null;
let current: AcquiredDevice | null = null;
let hidden = false;

const api: LabApi = {
  capabilities: () => probeCapabilities(),
  async run(plan, onProgress) {
    if (control) throw new Error('A run is already in progress.');
    control = new RunControl();
    control.setHidden(hidden);
    try {
      return await runPlan(plan, control, (p) => onProgress(p), { onDevice: (d) => (current = d) });
    } finally {
      control = null;
      current = null;
    }
  },
  cancel() {
    control?.cancel();
  },
  setHidden(h) {
    hidden = h;
    control?.setHidden(h);
  },
  async computeEnergy(doc, ctx, opts) {
    return computeEnergy(doc, ctx, opts);
  },
  async inspectOnnx(bytes) {
    return inspectOnnx(bytes);
  },
  async measureOnnx(bytes, opts, onProgress) {
    if (control) throw new Error('A run is already in progress.');
    control = new RunControl();
    control.setHidden(hidden);
    try {
      return await measureOnnx(bytes, opts, (p) => onProgress(p), control);
    } finally {
      control = null;
    }
  },
  async loseDevice() {
    if (!current) return false;
    current.device.destroy();
    return true;
  },
};

Comlink.expose(api);
