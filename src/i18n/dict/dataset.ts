/**
 * Messages of the #/dataset view and the public read API pages. Keys are prefixed with "dataset.".
 */
const en: Record<string, string> = {};

const fr: Record<string, string> = {};

export const dataset = { en, fr };
