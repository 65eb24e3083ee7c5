/**
 * The real-models worker's own error, apart from workers/realmodels.ts so that the API object
 * (lab-api.ts), which the Node runner builds in-process, does not load onnxruntime-web with it.
 */

/** "Type your own sentence" before any race, or after the sessions were released (new race, lost device). */
export class NoModelsLoadedError extends Error {
  override name = 'NoModelsLoadedError';
  constructor() {
    super('No real models are loaded: run the real-models race first.');
  }
}
