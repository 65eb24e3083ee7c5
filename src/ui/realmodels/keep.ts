/**
 * Keeping a finished real-models race, as the synthetic run keeps its own (src/ui/state.ts): its
 * document goes into the local history, and a storage failure is said next to the result, which
 * stays on screen. Only the document is kept or exported: the race output (the general model's
 * raw replies, the files the cache could not keep) stays in memory on this page.
 */
import { signal } from '@preact/signals';
import { saveRun } from '../../results/history.ts';
import type { RealSessionResult } from '../../lab/realmodels-client.ts';
import { toCsv } from '../../shared/export.ts';
import type { ResultDocument } from '../../shared/result.ts';

/** The local history id of the last real race kept (null while saving, or when it could not be kept). */
export const realLocalId = signal<string | null>(null);
/** Why the last real race is not in the local history (null when it was saved or is being saved). */
export const realSaveError = signal<string | null>(null);

/** What of a race is kept and may leave the page: the document alone, never the race output. */
export function keptDocument(result: RealSessionResult): ResultDocument {
  return result.doc;
}

/**
 * Saves the race's document in the local history. Never throws: a failure (storage full, private
 * mode) is kept in `realSaveError` for the view to show; the result on screen is untouched.
 */
export async function keepRealResult(result: RealSessionResult): Promise<void> {
  // Cleared before the first await, so the view never pairs the new result with the last one's id.
  realLocalId.value = null;
  realSaveError.value = null;
  try {
    realLocalId.value = await saveRun(keptDocument(result));
  } catch (e) {
    realSaveError.value = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
}

export interface DownloadFile {
  name: string;
  mime: string;
  text: string;
}

/**
 * The two files a visitor may download: the document as JSON (what the synthetic results panel
 * writes) and its CSV rows (the open dataset's columns, the real-model ones filled). `id` names
 * the result in the CSV: its local history id, or "this-run" before it is saved.
 */
export function realDownloads(doc: ResultDocument, id: string | null): { json: DownloadFile; csv: DownloadFile } {
  const stem = `frugal-ai-lab-real-${doc.date ?? 'run'}`;
  return {
    json: { name: `${stem}.json`, mime: 'application/json', text: JSON.stringify(doc, null, 2) },
    csv: { name: `${stem}.csv`, mime: 'text/csv', text: toCsv([{ id: id ?? 'this-run', doc }]) },
  };
}
