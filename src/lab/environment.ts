/**
 * Browser and OS families from the user agent, reduced on the spot to what the result document
 * may hold (family + major version, OS family): the UA string itself is never stored.
 */
export interface BrowserFamily {
  name: string;
  major: number | null;
}

export function browserFamily(ua: string): BrowserFamily {
  const rules: [string, RegExp][] = [
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

export function osFamily(ua: string): string {
  if (/Android/.test(ua)) return 'android';
  if (/iPhone|iPad|iPod/.test(ua)) return 'ios';
  if (/CrOS/.test(ua)) return 'chromeos';
  if (/Windows/.test(ua)) return 'windows';
  if (/Mac OS X|Macintosh/.test(ua)) return 'macos';
  if (/Linux|X11/.test(ua)) return 'linux';
  return 'other';
}
