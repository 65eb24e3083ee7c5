/**
 * Messages of measured power profiles made from a measured run. Keys are prefixed with "calibration.".
 */
const en: Record<string, string> = {};

const fr: Record<string, string> = {};

export const calibration = { en, fr };
