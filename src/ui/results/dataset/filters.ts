/**
 * The dataset view's filters: read from and written to the address (`#/dataset?vendor=nvidia`),
 * so a link opens the same view, and turned into the API's query strings (listing, exports).
 * A value outside its list is dropped, as the server would refuse it, and so is a task set
 * version without its task set.
 */
import { KNOWN_VENDORS } from '../../../shared/schema.ts';
import { PRESET_NAMES } from '../../../shared/presets.ts';
import { ARCHITECTURE_PATTERN, MODEL_NAMES } from '../../../shared/vocabulary.ts';
import { REAL_DTYPES } from '../../../shared/realmodels/record.ts';
import { TASK_SET_IDS } from '../../../shared/realmodels/task-set.ts';
import { LISTING_FILTERS } from '../../../shared/dataset.ts';
import type { GroupStats, ListingFilter } from '../../../shared/dataset.ts';

export type DatasetFilters = Partial<Record<ListingFilter, string>>;

/** Page sizes offered for the results table and the groups. */
export const PAGE_SIZES = [10, 25, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 25;

/** A task set version as the server reads it: canonical digits, 1 to 999,999,999. */
const TASK_VERSION = /^[1-9]\d{0,8}$/;

function valid(name: ListingFilter, value: string): boolean {
  switch (name) {
    case 'vendor':
      return value !== '' && (KNOWN_VENDORS as readonly string[]).includes(value);
    case 'architecture':
      return ARCHITECTURE_PATTERN.test(value) && value !== '';
    case 'preset':
      return (PRESET_NAMES as readonly string[]).includes(value);
    case 'model':
      return (MODEL_NAMES as readonly string[]).includes(value);
    case 'dtype':
      return (REAL_DTYPES as readonly string[]).includes(value);
    case 'task':
      return (TASK_SET_IDS as readonly string[]).includes(value);
    case 'taskVersion':
      return TASK_VERSION.test(value);
    default: {
      const never: never = name;
      throw new Error(`unexpected filter ${String(never)}`);
    }
  }
}

export function readFilters(params: URLSearchParams): DatasetFilters {
  const out: DatasetFilters = {};
  for (const name of LISTING_FILTERS) {
    const value = params.get(name);
    if (value !== null && valid(name, value)) out[name] = value;
  }
  if (out.task === undefined) delete out.taskVersion;
  return out;
}

/** The filters as query parameters, in a stable order; empty ones left out. */
export function filterParams(filters: DatasetFilters): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of LISTING_FILTERS) {
    const value = filters[name];
    // A version belongs to a task set: alone, the server would answer 400.
    if (value && !(name === 'taskVersion' && !filters.task)) out[name] = value;
  }
  return out;
}

export function pageSizeFrom(params: URLSearchParams): number {
  const n = Number(params.get('size'));
  return (PAGE_SIZES as readonly number[]).includes(n) ? n : DEFAULT_PAGE_SIZE;
}

export function listingUrl(filters: DatasetFilters, after: string, limit: number): string {
  const q = new URLSearchParams({ ...filterParams(filters), limit: String(limit) });
  if (after) q.set('after', after);
  return `/api/results?${q.toString()}`;
}

export function exportUrl(format: 'csv' | 'jsonl', filters: DatasetFilters): string {
  const q = new URLSearchParams(filterParams(filters)).toString();
  return `/api/export.${format}${q ? `?${q}` : ''}`;
}

/**
 * The groups a filter keeps. Groups of the synthetic race have no model, dtype or task set
 * (null): a model, dtype or task filter keeps only the real-model groups that match, and a task
 * set version only those of that version.
 */
export function filterGroups(groups: readonly GroupStats[], f: DatasetFilters): GroupStats[] {
  return groups.filter((g) =>
    (f.vendor === undefined || g.vendor === f.vendor)
    && (f.architecture === undefined || g.architecture === f.architecture)
    && (f.preset === undefined || g.preset === f.preset)
    && (f.model === undefined || g.model === f.model)
    && (f.dtype === undefined || g.dtype === f.dtype)
    && (f.task === undefined || g.task === f.task)
    && (f.taskVersion === undefined || f.task === undefined || g.taskVersion === Number(f.taskVersion)));
}

/**
 * The choices of each filter: the closed lists, narrowed to what the dataset holds where it tells.
 * A task set's versions are those its groups hold (none until a task set is chosen).
 */
export function filterOptions(groups: readonly GroupStats[], f: DatasetFilters): Record<ListingFilter, string[]> {
  const distinct = (xs: Iterable<string>) => [...new Set(xs)].filter(Boolean).sort();
  return {
    vendor: distinct([...groups.map((g) => g.vendor), ...(f.vendor ? [f.vendor] : [])]),
    architecture: distinct([...groups.filter((g) => f.vendor === undefined || g.vendor === f.vendor).map((g) => g.architecture), ...(f.architecture ? [f.architecture] : [])]),
    preset: [...PRESET_NAMES],
    model: [...MODEL_NAMES],
    dtype: [...REAL_DTYPES],
    task: [...TASK_SET_IDS],
    taskVersion: f.task === undefined ? [] : [...new Set([
      ...groups.flatMap((g) => (g.task === f.task && g.taskVersion !== undefined ? [g.taskVersion] : [])),
      ...(f.taskVersion ? [Number(f.taskVersion)] : []),
    ])].sort((a, b) => a - b).map(String),
  };
}
