/**
 * The OpenAPI 3.1 document of the public read API, served at `GET /api/openapi.json`. Component
 * schemas are converted from the valibot schemas the server validates with (api-schemas.ts and
 * the result document's schema), so they cannot drift from what is sent; paths and parameters
 * read the same closed lists as the parser of the filters (vendors, presets, models).
 * Checks the JSON Schema dialect cannot express (a workload id appears once, p10 ≤ median ≤ p90)
 * are left out of the document; the server enforces them on upload.
 */
import { MeasuredProfileGroupSchema, MeasuredProfilesSchema } from './measured-profiles.ts';
import { toJsonSchemaDefs } from '@valibot/to-json-schema';
import type { JsonSchema } from '@valibot/to-json-schema';
import { KNOWN_VENDORS, ResultDocumentSchema } from '../src/shared/schema.ts';
import { PRESET_NAMES } from '../src/shared/presets.ts';
import { REAL_DTYPES } from '../src/shared/realmodels/record.ts';
import { TASK_SET_IDS } from '../src/shared/realmodels/task-set.ts';
import { ARCHITECTURE_PATTERN, MODEL_NAMES } from '../src/shared/vocabulary.ts';
import { SCHEMA_VERSION } from '../src/shared/result.ts';
import { DATASET_LICENSE, LISTING_MAX_PAGE, SCHEMA_VERSION_HEADER } from '../src/shared/dataset.ts';
import { LISTING_SCAN_WINDOW } from './export-stream.ts';
import { ApiErrorSchema, DatasetStatsSchema, GroupStatsSchema, HealthSchema, ResultItemSchema, ResultPageSchema, ResultSchema, SketchDistributionSchema, SnapshotListSchema, WorkloadStatsSchema } from './api-schemas.ts';

type Json = JsonSchema | Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const headerRef = (name: string) => ({ $ref: `#/components/headers/${name}` });
const paramRef = (name: string) => ({ $ref: `#/components/parameters/${name}` });

function componentSchemas(): Record<string, Json> {
  const defs = toJsonSchemaDefs(
    {
      ResultDocument: ResultDocumentSchema, ResultItem: ResultItemSchema, Result: ResultSchema, ResultPage: ResultPageSchema,
      SketchDistribution: SketchDistributionSchema, GroupStats: GroupStatsSchema, WorkloadStats: WorkloadStatsSchema,
      DatasetStats: DatasetStatsSchema, SnapshotList: SnapshotListSchema, ApiError: ApiErrorSchema, Health: HealthSchema,
      MeasuredProfiles: MeasuredProfilesSchema, MeasuredProfileGroup: MeasuredProfileGroupSchema,
    },
    // Checks, transforms and `custom` schemas have no JSON Schema form: they are left out (see above).
    { target: 'draft-2020-12', errorMode: 'ignore', typeMode: 'output' },
  );
  // The converter points at `$defs`; in an OpenAPI document the components live elsewhere.
  const text = JSON.stringify(defs).replace(/"#\/(?:\$defs|definitions)\//g, '"#/components/schemas/');
  const out = JSON.parse(text) as Record<string, Record<string, unknown>>;
  for (const schema of Object.values(out)) delete schema.$schema;
  return out;
}

const jsonContent = (schema: Json) => ({ 'application/json': { schema } });
const versionHeaders = { [SCHEMA_VERSION_HEADER]: headerRef('SchemaVersion') };
const cachedHeaders = { ...versionHeaders, ETag: headerRef('ETag'), 'Cache-Control': headerRef('CacheControl') };
const badRequest = { description: 'A parameter outside its list or pattern; the message names the parameter, never its value.', headers: versionHeaders, content: jsonContent(ref('ApiError')) };
const notModified = { description: 'The representation matching `If-None-Match` is still current: no body.', headers: cachedHeaders };

const FILTER_PARAMS = ['vendor', 'architecture', 'preset', 'model', 'dtype', 'task', 'taskVersion', 'since'].map(paramRef);

function parameters(): Record<string, unknown> {
  const query = (name: string, description: string, schema: Json) => ({ name, in: 'query', required: false, description, schema });
  return {
    vendor: query('vendor', 'GPU vendor of the adapter. Empty: no filter.', { type: 'string', enum: KNOWN_VENDORS.filter(Boolean) }),
    architecture: query('architecture', 'GPU architecture as WebGPU names it (lower case).', { type: 'string', pattern: ARCHITECTURE_PATTERN.source }),
    preset: query('preset', 'Preset of the run.', { type: 'string', enum: [...PRESET_NAMES] }),
    model: query('model', 'Results with a workload of this model (synthetic-weight or real).', { type: 'string', enum: [...MODEL_NAMES] }),
    dtype: query('dtype', 'Results with a real model in these weights (with `model`: that model in these weights).', { type: 'string', enum: [...REAL_DTYPES] }),
    task: query('task', 'Results with a real model that answered this task set (with `model` or `dtype`: one real workload with all of them).', { type: 'string', enum: [...TASK_SET_IDS] }),
    taskVersion: query('taskVersion', 'With `task` only: results with a real model that answered this version of that task set (accuracy compares only within a version). Without `task`: 400.', { type: 'integer', minimum: 1, maximum: 999_999_999 }),
    since: query('since', 'First upload day kept (UTC, inclusive).', { type: 'string', format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
    ifNoneMatch: { name: 'If-None-Match', in: 'header', required: false, description: 'A tag from an earlier answer: 304 while it is current.', schema: { type: 'string' } },
  };
}

function exportPath(format: 'csv' | 'jsonl') {
  const media = format === 'csv' ? 'text/csv' : 'application/x-ndjson';
  const lang = format === 'jsonl' ? [{ name: 'lang', in: 'query', required: false, description: 'Language of the texts rendered from the catalogs (a profile label, a source line): English unless `fr`.', schema: { type: 'string', enum: ['en', 'fr'] } }] : [];
  return {
    get: {
      operationId: `export${format === 'csv' ? 'Csv' : 'Jsonl'}`,
      summary: format === 'csv' ? 'The dataset as CSV, one row per workload' : 'The dataset as JSON Lines, one result per line',
      description: 'Streamed in upload order. Compressed with gzip or brotli as `Accept-Encoding` asks (q-values honoured; identity otherwise), with `Vary: Accept-Encoding`. A weak `ETag` from the dataset version.',
      parameters: [...FILTER_PARAMS, ...lang, paramRef('ifNoneMatch'), { name: 'Accept-Encoding', in: 'header', required: false, schema: { type: 'string' }, example: 'br, gzip' }],
      responses: {
        200: { description: 'The rows matching every filter given.', headers: { ...cachedHeaders, 'Content-Encoding': { schema: { type: 'string', enum: ['gzip', 'br'] } }, 'Content-Disposition': { schema: { type: 'string' } } }, content: { [media]: { schema: { type: 'string' } } } },
        304: notModified,
        400: badRequest,
      },
    },
  };
}

/** The document, built once per process (the schemas do not change while it runs). */
let built: Record<string, unknown> | null = null;

export function openApiDocument(): Record<string, unknown> {
  built ??= {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Frugal AI Lab open dataset: public read API',
      version: `${SCHEMA_VERSION}.0.0`,
      summary: 'On-device AI inference energy measurements, readable from any origin.',
      description: `Every answer carries \`${SCHEMA_VERSION_HEADER}\` (the result document schema version), and every JSON object answer also \`schemaVersion\` at its top level. Any origin may read (GET, HEAD); no other site may write (a preflight for any other method is refused with 403). Writes (upload, withdrawal) are documented in server/README.md and are not part of this public API.`,
      license: { name: DATASET_LICENSE.name, url: DATASET_LICENSE.url },
    },
    paths: {
      '/api/results': {
        get: {
          operationId: 'listResults',
          summary: 'Results in upload order, filtered, one page at a time',
          description: `Keyset pagination: pass the \`next\` of a page as \`after\` to get the following one; \`next\` is null only on the last page. Each request scans a bounded stretch of the upload order (${LISTING_SCAN_WINDOW} rows), so a page may hold fewer items than \`limit\`, or none, and still carry a \`next\`: keep following it until it is null. The filters mean the same as on the exports.`,
          parameters: [
            ...FILTER_PARAMS,
            { name: 'after', in: 'query', required: false, description: 'Cursor from a previous page (`next`).', schema: { type: 'string', pattern: '^\\d{1,15}$' } },
            { name: 'limit', in: 'query', required: false, description: 'Page size.', schema: { type: 'integer', minimum: 1, maximum: LISTING_MAX_PAGE, default: 50 } },
          ],
          responses: { 200: { description: 'One page.', headers: versionHeaders, content: jsonContent(ref('ResultPage')) }, 400: badRequest },
        },
      },
      '/api/results/{id}': {
        get: {
          operationId: 'getResult',
          summary: 'One result by id',
          description: 'A stored result never changes: cached for an hour (`immutable`). A withdrawn one is 404.',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{16}$' } }, paramRef('ifNoneMatch')],
          responses: {
            200: { description: 'The result.', headers: cachedHeaders, content: jsonContent(ref('Result')) },
            304: notModified,
            404: { description: 'No result with this id.', headers: versionHeaders, content: jsonContent(ref('ApiError')) },
          },
        },
      },
      '/api/stats': {
        get: {
          operationId: 'getStats',
          summary: 'Aggregates per group (vendor, architecture, preset, suite version; a real model: model, dtype, task set and version, role, a custom model\'s file)',
          description: 'Counts, medians and quantile distributions per group; at most a few seconds old. `ETag` over the body.',
          parameters: [paramRef('ifNoneMatch')],
          responses: { 200: { description: 'The aggregates.', headers: cachedHeaders, content: jsonContent(ref('DatasetStats')) }, 304: notModified },
        },
      },
      '/api/profiles/measured': {
        get: {
          operationId: 'getMeasuredProfiles',
          summary: 'Sensor power profiles per adapter and sensor',
          description: 'Results whose estimate used a power profile measured by a sensor of the machine (profile source `sensor`): count and medians of idle power and ΔP per adapter, sensor and coverage, as of the latest upload or withdrawal.',
          responses: { 200: { description: 'The groups, most results first.', headers: versionHeaders, content: jsonContent(ref('MeasuredProfiles')) } },
        },
      },
      '/api/export.csv': exportPath('csv'),
      '/api/export.jsonl': exportPath('jsonl'),
      '/api/snapshots': {
        get: {
          operationId: 'listSnapshots',
          summary: 'Daily snapshots for citation, newest first',
          responses: { 200: { description: 'The published snapshots.', headers: versionHeaders, content: jsonContent(ref('SnapshotList')) } },
        },
      },
      '/api/snapshots/{name}': {
        get: {
          operationId: 'getSnapshot',
          summary: 'A snapshot file (gzip-compressed JSON Lines) or its SHA-256 line',
          description: 'Cached for a year: a published file never changes. `ETag` is its SHA-256.',
          parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}\\.jsonl\\.gz(\\.sha256)?$' } }, paramRef('ifNoneMatch')],
          responses: {
            200: { description: 'The file.', headers: cachedHeaders, content: { 'application/gzip': { schema: { type: 'string', contentMediaType: 'application/gzip' } }, 'text/plain': { schema: { type: 'string', pattern: '^[0-9a-f]{64}  \\d{4}-\\d{2}-\\d{2}\\.jsonl\\.gz\\n$' } } } },
            304: notModified,
            404: { description: 'No snapshot with this name.', headers: versionHeaders, content: jsonContent(ref('ApiError')) },
          },
        },
      },
      '/api/openapi.json': {
        get: {
          operationId: 'getOpenApi',
          summary: 'This document',
          responses: { 200: { description: 'OpenAPI 3.1.', headers: versionHeaders, content: jsonContent({ type: 'object' }) } },
        },
      },
      '/healthz': {
        get: {
          operationId: 'health',
          summary: 'Whether the server reaches its database',
          responses: { 200: { description: 'Healthy.', content: jsonContent(ref('Health')) }, 503: { description: 'Database unreachable.', content: jsonContent(ref('Health')) } },
        },
      },
    },
    components: {
      schemas: componentSchemas(),
      parameters: parameters(),
      headers: {
        SchemaVersion: { description: 'Schema version of the result documents served.', schema: { type: 'string', const: String(SCHEMA_VERSION) } },
        ETag: { description: 'Entity tag, for `If-None-Match`.', schema: { type: 'string' } },
        CacheControl: { schema: { type: 'string' } },
      },
    },
  };
  return built;
}
