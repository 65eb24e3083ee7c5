/**
 * Whether the pupils' devices can run the race from the link the class dialog shows, which is
 * built from the teacher's page address. Its own module, not pupil-link.ts: that one ships in the
 * first screen's script (the class code of a pupil's address), this one only with the dialog.
 */

/**
 * - `loopback`: the page is this computer's own address (localhost, 127.0.0.0/8, [::1]); no other
 *   device reaches it.
 * - `insecure`: plain http on a network address; browsers give WebGPU only to secure contexts
 *   (https, or loopback), so a pupil's device would find no GPU.
 */
export type PupilLinkProblem = 'loopback' | 'insecure';

export function pupilLinkProblem(url: string): PupilLinkProblem | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  const host = u.hostname.toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host)) return 'loopback';
  return u.protocol === 'http:' ? 'insecure' : null;
}
