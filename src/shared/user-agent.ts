/**
 * The browser family and major version from a user agent, reduced on the spot to what the result
 * document may hold: the UA string itself is never stored. Shared by the page (the document's
 * environment.browser) and the engine (the tuning cache key: a browser update ships another
 * WebGPU implementation and shader compiler, which can change the fastest kernel).
 */
export interface BrowserFamily {
  name: string;
  major: number | null;
}

export function browserFamily(ua: string): BrowserFamily {
  const rules: [string, RegExp][] = [
    // The browser-free runner's navigator (scripts/node/webgpu.ts): `Node.js/22.1.0`.
    ['node', /^Node\.js\/(\d+)/],
    ['edge', /Edg(?:e|A|iOS)?\/(\d+)/],
    ['opera', /OPR\/(\d+)/],
    ['samsung', /SamsungBrowser\/(\d+)/],
    ['firefox', /(?:Firefox|FxiOS)\/(\d+)/],
    ['chrome', /(?:HeadlessChrome|Chrome|CriOS)\/(\d+)/],
    ['safari', /Version\/(\d+).*Safari\//],
  ];
  for (const [name, re] of rules) {
    const m = re.exec(ua);
    if (m) return { name, major: Number(m[1]) };
  }
  return { name: 'other', major: null };
}
