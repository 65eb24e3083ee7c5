/** The lab worker: a thin comlink expose of the engine (and the energy Monte Carlo). */
import * as Comlink from 'comlink';
import { probeCapabilities } from '../src/engine/device.ts';
import { runGpuLoad } from '../src/engine/gpu-load.ts';
import { runPlan } from '../src/engine/run-plan.ts';
import { computeEnergy, computeWorkloadEnergy } from '../src/energy/index.ts';
import { measureOnnx } from '../src/engine/onnx/measure.ts';
import { inspectOnnx } from '../src/engine/onnx/parse.ts';
import { loadOrt } from '../src/engine/onnx/ort.ts';
import { createLabApi } from './lab-api.ts';
import { createRealModels } from './realmodels.ts';

const realModels = createRealModels({ loadOrt, probeCapabilities, runPlan });
Comlink.expose(createLabApi({ probeCapabilities, runPlan, computeEnergy, computeWorkloadEnergy, inspectOnnx, measureOnnx, runGpuLoad, realModels }));
