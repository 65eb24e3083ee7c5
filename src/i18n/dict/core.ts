/** Messages of the app shell, the run view and the WebGPU status card. */
export const core = {
  en: {
    'app.title': 'Frugal AI Lab',
  } as Record<string, string>,
  fr: {
    'app.title': 'Frugal AI Lab',
  } as Record<string, string>,
};
