/**
 * The answers of the public read API as valibot schemas: the source of the OpenAPI document's
 * component schemas (server/openapi.ts converts them with @valibot/to-json-schema), tied to the
 * TypeScript types of src/shared/dataset.ts at compile time, so the document cannot drift from
 * what the server sends. The result document itself is the upload schema (src/shared/schema.ts).
 */
import * as v from 'valibot';
import { ResultDocumentSchema } from '../src/shared/schema.ts';
import { SCHEMA_VERSION } from '../src/shared/result.ts';
import { DATASET_LICENSE } from '../src/shared/dataset.ts';
import type { ApiError, DatasetStats, GroupStats, ResultListItem, ResultPage, SketchDistribution, SnapshotList, Versioned, WorkloadStats } from '../src/shared/dataset.ts';

const day = v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/));
const versioned = { schemaVersion: v.literal(SCHEMA_VERSION) };
const nullableNumber = v.nullable(v.number());

export const ApiErrorSchema = v.object({ error: v.string(), issues: v.optional(v.array(v.string())) });

export const ResultItemSchema = v.object({
  id: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{16}$/)),
  receivedDay: day,
  doc: ResultDocumentSchema,
});

export const ResultSchema = v.object({ ...versioned, ...ResultItemSchema.entries });

export const ResultPageSchema = v.object({
  ...versioned,
  items: v.array(ResultItemSchema),
  /** Cursor of the next page, null on the last one. */
  next: v.nullable(v.pipe(v.string(), v.regex(/^\d{1,15}$/))),
});

export const SketchDistributionSchema = v.object({
  metric: v.picklist(['ratio', 'generalJ', 'specializedJ', 'queryJ', 'correctJ', 'queryMs']),
  count: v.pipe(v.number(), v.integer(), v.minValue(0)),
  relativeAccuracy: v.pipe(v.number(), v.minValue(0)),
  quantiles: v.array(v.object({ q: v.pipe(v.number(), v.minValue(0), v.maxValue(1)), value: v.number() })),
});

export const GroupStatsSchema = v.object({
  vendor: v.string(),
  architecture: v.string(),
  preset: v.string(),
  suiteVersion: v.string(),
  model: v.nullable(v.string()),
  dtype: v.nullable(v.string()),
  task: v.nullable(v.string()),
  taskVersion: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.description('A real-model group\'s task set version: versions never pool.'))),
  role: v.optional(v.picklist(['general', 'specialized'])),
  modelSha256: v.optional(v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/), v.description('A custom model\'s ONNX file: custom models are told apart by it, never pooled.'))),
  count: v.pipe(v.number(), v.integer(), v.minValue(0)),
  medianSource: v.picklist(['exact', 'sketch']),
  distributions: v.array(SketchDistributionSchema),
  medianGeneralJ: nullableNumber,
  medianSpecializedJ: nullableNumber,
  medianRatio: nullableNumber,
  real: v.optional(v.object({
    accuracy: v.nullable(v.object({
      correct: v.pipe(v.number(), v.integer(), v.minValue(0)),
      n: v.pipe(v.number(), v.integer(), v.minValue(1)),
      results: v.pipe(v.number(), v.integer(), v.minValue(1), v.description('Results whose answers are pooled (the group\'s count).')),
      effectiveN: v.pipe(v.number(), v.gtValue(0),
        v.description('n of the Wilson interval: n ÷ results, the answers of one result (repeated uploads answer the same sentences, so they are not independent samples).')),
      rate: v.pipe(v.number(), v.minValue(0), v.maxValue(1)),
      low: v.pipe(v.number(), v.minValue(0), v.maxValue(1)),
      high: v.pipe(v.number(), v.minValue(0), v.maxValue(1)),
    })),
    medianQueryJ: nullableNumber,
    medianCorrectJ: nullableNumber,
    medianQueryMs: nullableNumber,
  })),
});

export const WorkloadStatsSchema = v.object({
  vendor: v.string(),
  architecture: v.string(),
  preset: v.string(),
  suiteVersion: v.string(),
  workload: v.string(),
  count: v.pipe(v.number(), v.integer(), v.minValue(0)),
  medianMs: v.number(),
  medianSource: v.picklist(['exact', 'sketch']),
  model: v.optional(v.string()),
  dtype: v.optional(v.string()),
  task: v.optional(v.string()),
  taskVersion: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  modelSha256: v.optional(v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/))),
});

export const DatasetStatsSchema = v.object({
  ...versioned,
  total: v.pipe(v.number(), v.integer(), v.minValue(0)),
  license: v.object({ name: v.literal(DATASET_LICENSE.name), url: v.literal(DATASET_LICENSE.url) }),
  groups: v.array(GroupStatsSchema),
  workloads: v.array(WorkloadStatsSchema),
});

export const SnapshotListSchema = v.object({
  ...versioned,
  snapshots: v.array(v.object({
    day,
    file: v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}\.jsonl\.gz$/)),
    bytes: v.pipe(v.number(), v.integer(), v.minValue(0)),
    sha256: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)),
    url: v.string(),
    sha256Url: v.string(),
  })),
});

export const HealthSchema = v.object({ ok: v.boolean(), db: v.picklist(['pglite', 'postgres']) });

// Compile-time proof, both ways, that each schema describes exactly its TypeScript type.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const proofs: [
  Same<v.InferOutput<typeof ApiErrorSchema>, ApiError>,
  Same<v.InferOutput<typeof ResultPageSchema>['items'][number]['id'], ResultListItem['id']>,
  Same<Omit<v.InferOutput<typeof ResultPageSchema>, 'items'>, Omit<ResultPage & Versioned, 'items'>>,
  Same<v.InferOutput<typeof SketchDistributionSchema>, SketchDistribution>,
  Same<v.InferOutput<typeof GroupStatsSchema>, GroupStats>,
  Same<v.InferOutput<typeof WorkloadStatsSchema>, WorkloadStats>,
  Same<Omit<v.InferOutput<typeof DatasetStatsSchema>, 'license'>, Omit<DatasetStats & Versioned, 'license'>>,
  Same<v.InferOutput<typeof SnapshotListSchema>, SnapshotList & Versioned>,
] = [true, true, true, true, true, true, true, true];
void proofs;
