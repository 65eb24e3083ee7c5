/**
 * The "run it on your own device" QR code: computed in the page (uqr, no network), drawn as one SVG
 * path of dark modules so it scales crisply on a projector. Error correction M: a phone reads it
 * from the back of a room even with some glare; the link is short, so the code stays small.
 */
import { encode } from 'uqr';

export interface QrMatrix {
  /** The exact text encoded (the pupils' link). */
  text: string;
  version: number;
  /** Modules per side, quiet zone included. */
  size: number;
  /** Row-major, true for a dark module. */
  dark: boolean[][];
}

/** The quiet zone around the code, in modules (the standard asks for 4; 2 is read fine on screen). */
export const QR_BORDER = 2;

export function qrMatrix(text: string): QrMatrix {
  const r = encode(text, { ecc: 'M', border: QR_BORDER });
  return { text, version: r.version, size: r.size, dark: r.data };
}

/** One SVG path drawing every dark module as a 1×1 square, runs of a row merged. */
export function qrPath(m: Pick<QrMatrix, 'dark'>): string {
  const parts: string[] = [];
  m.dark.forEach((row, y) => {
    let x = 0;
    while (x < row.length) {
      if (!row[x]) {
        x++;
        continue;
      }
      const start = x;
      while (x < row.length && row[x]) x++;
      parts.push(`M${start} ${y}h${x - start}v1h${start - x}z`);
    }
  });
  return parts.join('');
}
