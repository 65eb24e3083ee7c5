/** Messages of the energy area. Keys are prefixed with "energy.". */
export const energy = {
  en: {} as Record<string, string>,
  fr: {} as Record<string, string>,
};
