/**
 * Node module hooks for the browser-free runner: Vite imports each WGSL kernel's text with the
 * `?raw` suffix, which Node cannot load (an unknown file extension). These hooks resolve such a
 * specifier to its file and load it as a module whose default export is the file's text.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

type Resolved = { url: string; shortCircuit?: boolean };
type Loaded = { format: string; source: string; shortCircuit?: boolean };

const isRaw = (specifier: string): boolean => specifier.endsWith('?raw');

export function resolve(specifier: string, context: { parentURL?: string }, next: (s: string, c: unknown) => Promise<Resolved>): Promise<Resolved> | Resolved {
  if (isRaw(specifier) && context.parentURL) return { url: new URL(specifier, context.parentURL).href, shortCircuit: true };
  return next(specifier, context);
}

export async function load(url: string, context: unknown, next: (u: string, c: unknown) => Promise<Loaded>): Promise<Loaded> {
  if (!url.startsWith('file:') || !isRaw(url)) return next(url, context);
  const file = new URL(url);
  file.search = '';
  const text = await readFile(fileURLToPath(file), 'utf8');
  return { format: 'module', source: `export default ${JSON.stringify(text)};`, shortCircuit: true };
}
