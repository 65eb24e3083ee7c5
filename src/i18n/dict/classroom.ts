/**
 * Messages of pooling a class's results (QR code, class code, distribution on the projector). Keys are prefixed with "classroom.".
 */
const en: Record<string, string> = {};

const fr: Record<string, string> = {};

export const classroom = { en, fr };
