/**
 * Messages of the first-visit explanation and the results-first summary of #/. Keys are prefixed with "guide.".
 */
const en: Record<string, string> = {};

const fr: Record<string, string> = {};

export const guide = { en, fr };
