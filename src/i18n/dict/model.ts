/** Messages of the model area. Keys are prefixed with "model.". */
export const model = {
  en: {} as Record<string, string>,
  fr: {} as Record<string, string>,
};
