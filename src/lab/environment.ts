/**
 * Browser and OS families from the user agent, reduced on the spot to what the result document
 * may hold (family + major version, OS family): the UA string itself is never stored. The browser
 * family lives in src/shared (the engine's tuning cache key reads it too).
 */
export { browserFamily } from '../shared/user-agent.ts';

export function osFamily(ua: string): string {
  if (/Android/.test(ua)) return 'android';
  if (/iPhone|iPad|iPod/.test(ua)) return 'ios';
  if (/CrOS/.test(ua)) return 'chromeos';
  if (/Windows/.test(ua)) return 'windows';
  if (/Mac OS X|Macintosh/.test(ua)) return 'macos';
  if (/Linux|X11/.test(ua)) return 'linux';
  return 'other';
}
