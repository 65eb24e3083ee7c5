/**
 * The real race's part of the pupils' link: the address parameters the class dialog adds to the
 * QR code and the copied link while the demo shows the real race (set by the real-models views,
 * null when none shows). Tiny and free of the race's code, so the demo's dialog can read it
 * without loading the real-models chunk.
 */
import { signal } from '@preact/signals';

export const realPupilParams = signal<Record<string, string> | null>(null);

/** The host of a base the teacher has not agreed to yet, left out of the pupils' link (state.ts `pupilParams`); else null. */
export const realPupilPendingHost = signal<string | null>(null);
