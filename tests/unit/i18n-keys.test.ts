/**
 * Every dictionary key is used somewhere in the source, every key the source asks for exists, and
 * both languages have the same keys. "Used" is read from the source text: a key appears as a
 * quoted literal (`t('nav.run')`, `{ key: 'model.note.dtype' }`), or is built from one of the
 * dynamic prefixes listed below (`t(\`nav.${route}\`)`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { dictionaries } from '../../src/i18n/index.ts';
// Dictionaries that views add when they load on demand (they are checked like the others).
import '../../src/ui/realmodels/strings.ts';
import '../../src/ui/energy/tuning-strings.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DICT_DIR = join(ROOT, 'src', 'i18n', 'dict');

/**
 * Prefixes the source completes at run time (a route, a role, an error name...). A key under one
 * of them counts as used. A new template literal that builds a key must add its prefix here, so
 * that the check stays explicit.
 */
const DYNAMIC_PREFIXES = [
  'demo.what.',
  'energy.confidence.',
  'energy.eq.',
  'energy.form.',
  'energy.method.limit.',
  'energy.prov.basis.',
  'energy.prov.input.',
  'energy.prov.kind.',
  'energy.prov.method.',
  'energy.reason.',
  'energy.role.',
  'flag.',
  'guide.section.',
  'model.error.',
  'model.error.limit.',
  'model.onnx.ep.',
  'model.onnx.flag.',
  'model.onnx.phase.',
  'nav.',
  'preset.',
  'results.role.',
  'run.phase.',
  'status.advice.',
  'theme.',
  'timing.',
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return path === DICT_DIR ? [] : sourceFiles(path);
    return /\.tsx?$/.test(e.name) ? [path] : [];
  });
}

const files = [...sourceFiles(join(ROOT, 'src')), ...sourceFiles(join(ROOT, 'workers'))].map((path) => ({
  path: relative(ROOT, path),
  text: readFileSync(path, 'utf8'),
}));
const source = files.map((f) => f.text).join('\n');
const enKeys = Object.keys(dictionaries.en);

/**
 * Plural families: `base.one`, `base.other`… chosen at run time by `tp('base', count)` through
 * Intl.PluralRules. A family is used when its base is a literal in the source.
 */
const PLURAL_SUFFIX = /\.(zero|one|two|few|many|other)$/;
const pluralBase = (k: string) => k.replace(PLURAL_SUFFIX, '');
const families = (keys: string[]) => {
  const map = new Map<string, string[]>();
  for (const k of keys.filter((k) => PLURAL_SUFFIX.test(k) && !DYNAMIC_PREFIXES.some((p) => k.startsWith(p)))) {
    map.set(pluralBase(k), [...(map.get(pluralBase(k)) ?? []), k.slice(pluralBase(k).length + 1)]);
  }
  return map;
};

/** Whether some dictionary key starts with `prefix` (tells an i18n key from other dotted strings). */
const isKeyPrefix = (prefix: string) => enKeys.some((k) => k.startsWith(prefix));

describe('i18n keys', () => {
  test('English and French have the same keys', () => {
    const en = new Set(enKeys);
    const fr = new Set(Object.keys(dictionaries.fr));
    expect([...fr].filter((k) => !en.has(k)), 'only in French').toEqual([]);
    expect([...en].filter((k) => !fr.has(k)), 'only in English').toEqual([]);
  });

  test('every key is used in the source', () => {
    const literals = new Set([...source.matchAll(/['"`]([a-zA-Z][\w-]*(?:\.[\w-]+)+)['"`]/g)].map((m) => m[1]));
    const unused = enKeys.filter(
      (k) => !literals.has(k) && !DYNAMIC_PREFIXES.some((p) => k.startsWith(p)) && !(PLURAL_SUFFIX.test(k) && literals.has(pluralBase(k))),
    );
    expect(unused, 'dictionary keys that no source file uses: delete them from both languages').toEqual([]);
  });

  test('every key built at run time uses a listed prefix', () => {
    const built = files.flatMap((f) =>
      [...f.text.matchAll(/`([a-zA-Z][\w-]*(?:\.[\w-]+)*\.)\$\{/g)]
        .map((m) => m[1] ?? '')
        .filter((prefix) => isKeyPrefix(prefix) && !DYNAMIC_PREFIXES.includes(prefix))
        .map((prefix) => `${f.path}: \`${prefix}\${…}\``),
    );
    expect(built, 'add these prefixes to DYNAMIC_PREFIXES').toEqual([]);
  });

  test('every listed prefix is still built somewhere', () => {
    const stale = DYNAMIC_PREFIXES.filter((p) => !source.includes(`\`${p}\${`));
    expect(stale, 'prefixes no source file builds any more: remove them from DYNAMIC_PREFIXES').toEqual([]);
  });

  test('every literal key passed to t() exists', () => {
    const asked = [...source.matchAll(/\bt\(\s*['"]([^'"]+)['"]/g)].map((m) => m[1] ?? '');
    const missing = [...new Set(asked)].filter((k) => !(k in dictionaries.en));
    expect(missing, 'keys the source translates that no dictionary has').toEqual([]);
  });

  test('every plural family asked for with tp() exists, and tp() is the only way it is read', () => {
    const asked = [...new Set([...source.matchAll(/\btp\(\s*['"]([^'"]+)['"]/g)].map((m) => m[1] ?? ''))];
    expect(asked.length, 'tp() is used somewhere').toBeGreaterThan(0);
    const known = families(enKeys);
    expect(asked.filter((b) => !known.has(b)), 'tp() keys without a plural family').toEqual([]);
    expect([...known.keys()].filter((b) => !asked.includes(b)), 'plural families no tp() call reads').toEqual([]);
  });

  test.each(['en', 'fr'] as const)('plural families are complete in %s for its Intl.PluralRules categories', (l) => {
    const locale = l === 'fr' ? 'fr-FR' : 'en-US';
    const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories as string[];
    const fams = families(Object.keys(dictionaries[l]));
    expect(fams.size).toBeGreaterThan(0);
    for (const [base, forms] of fams) {
      // `other` is the fallback of every category a family leaves out; `one` is the form that
      // differs in both languages ("1 sample" / "2 samples", "1 échantillon" / "0 échantillon").
      expect(forms, `${l}: ${base}`).toContain('other');
      if (categories.includes('one')) expect(forms, `${l}: ${base}`).toContain('one');
      expect(forms.filter((f) => !categories.includes(f)), `${l}: ${base} has forms ${locale} never selects`).toEqual([]);
    }
  });
});
