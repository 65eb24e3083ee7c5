/**
 * Messages of the real-models race: downloads, cache, task set, answers, accuracy. Keys are prefixed with "realmodels.".
 */
const en: Record<string, string> = {};

const fr: Record<string, string> = {};

export const realmodels = { en, fr };
