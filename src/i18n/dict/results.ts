/** Messages of the results area. Keys are prefixed with "results.". */
export const results = {
  en: {} as Record<string, string>,
  fr: {} as Record<string, string>,
};
