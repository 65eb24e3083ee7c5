/**
 * A small JSON Schema (2020-12) checker for the OpenAPI tests: the keywords our document uses,
 * `$ref` into the document's components. Unknown keywords fail loudly, so the document cannot
 * grow a keyword this checker silently ignores.
 */
type Schema = Record<string, unknown>;

const KNOWN = new Set([
  '$ref', 'type', 'properties', 'required', 'additionalProperties', 'propertyNames', 'items', 'enum', 'const', 'anyOf', 'oneOf',
  'allOf', 'pattern', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minItems', 'maxItems', 'minLength', 'maxLength',
  'format', 'description', 'default', 'title', 'contentMediaType', 'examples',
]);

class UnknownKeywordError extends Error {
  override name = 'UnknownKeywordError';
}

function typeOf(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'array';
  if (typeof x === 'number') return Number.isInteger(x) ? 'integer' : 'number';
  return typeof x;
}

const typeMatches = (want: string, got: string): boolean => want === got || (want === 'number' && got === 'integer');

/** Errors of `value` against `schema` (empty when it validates); `root` resolves `$ref`s. */
export function checkSchema(schema: Schema, value: unknown, root: Schema, path = '$'): string[] {
  for (const k of Object.keys(schema)) if (!KNOWN.has(k)) throw new UnknownKeywordError(`schema keyword ${k} at ${path}`);
  const errors: string[] = [];
  const sub = (s: unknown, v: unknown, p: string) => checkSchema(s as Schema, v, root, p);
  if (typeof schema.$ref === 'string') {
    const target = schema.$ref.replace(/^#\//, '').split('/').reduce<unknown>((o, key) => (o as Record<string, unknown>)[key], root);
    if (target === undefined) return [`${path}: unresolved ${schema.$ref}`];
    errors.push(...sub(target, value, path));
  }
  const got = typeOf(value);
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((t) => typeMatches(t, got))) return [...errors, `${path}: ${got}, expected ${types.join('|')}`];
  }
  if (schema.const !== undefined && JSON.stringify(schema.const) !== JSON.stringify(value)) errors.push(`${path}: not ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) errors.push(`${path}: ${JSON.stringify(value)} not in enum`);
  if (Array.isArray(schema.anyOf) && !schema.anyOf.some((s) => sub(s, value, path).length === 0)) errors.push(`${path}: matches no anyOf branch`);
  if (Array.isArray(schema.oneOf) && schema.oneOf.filter((s) => sub(s, value, path).length === 0).length !== 1) errors.push(`${path}: matches not exactly one oneOf branch`);
  if (Array.isArray(schema.allOf)) for (const s of schema.allOf) errors.push(...sub(s, value, path));
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) errors.push(`${path}: below ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum) errors.push(`${path}: above ${schema.maximum}`);
    if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum) errors.push(`${path}: not above ${schema.exclusiveMinimum}`);
    if (typeof schema.exclusiveMaximum === 'number' && value >= schema.exclusiveMaximum) errors.push(`${path}: not below ${schema.exclusiveMaximum}`);
  }
  if (typeof value === 'string') {
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) errors.push(`${path}: does not match ${schema.pattern}`);
    if (typeof schema.minLength === 'number' && value.length < schema.minLength) errors.push(`${path}: shorter than ${schema.minLength}`);
    if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) errors.push(`${path}: longer than ${schema.maxLength}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) errors.push(`${path}: fewer than ${schema.minItems} items`);
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) errors.push(`${path}: more than ${schema.maxItems} items`);
    if (schema.items !== undefined) value.forEach((item, i) => errors.push(...sub(schema.items, item, `${path}[${i}]`)));
  }
  if (got === 'object') {
    const obj = value as Record<string, unknown>;
    const props = (schema.properties ?? {}) as Record<string, unknown>;
    for (const key of (schema.required ?? []) as string[]) if (!(key in obj)) errors.push(`${path}.${key}: required`);
    for (const [key, v] of Object.entries(obj)) {
      if (key in props) errors.push(...sub(props[key], v, `${path}.${key}`));
      else if (schema.additionalProperties === false) errors.push(`${path}.${key}: not allowed`);
      else if (typeof schema.additionalProperties === 'object') errors.push(...sub(schema.additionalProperties, v, `${path}.${key}`));
      if (schema.propertyNames !== undefined) errors.push(...sub(schema.propertyNames, key, `${path}{${key}}`));
    }
  }
  return errors;
}
