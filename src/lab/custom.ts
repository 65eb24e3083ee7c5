/**
 * The `custom` preset between the address and the engine: the engine parses model fields only,
 * so the page parameters that share the query string are taken out here.
 */
import { MODEL_PRESETS, type ModelPresetName } from '../engine/models/config.ts';
import { parseCustom, parseCustomOrThrow, type CustomParseResult, type CustomSuite } from '../engine/models/presets.ts';
import { isPageParam } from './page-params.ts';

/** The model fields of an address query: every parameter that is not a page parameter, in order. */
export function customFields(params: URLSearchParams): [string, string][] {
  return [...params].filter(([key]) => !isPageParam(key));
}

/** Parses the custom suite an address describes, reporting every invalid field. */
export function parseCustomParams(params: URLSearchParams): CustomParseResult {
  return parseCustom(customFields(params));
}

/** As `parseCustomParams`, throwing `CustomSuiteError` (with every field) when invalid. */
export function parseCustomParamsOrThrow(params: URLSearchParams): CustomSuite {
  return parseCustomOrThrow(customFields(params));
}

/** Names of the model presets a custom role may start from (encoders for the specialized role). */
export function modelPresetNames(family: 'encoder' | 'decoder'): ModelPresetName[] {
  return (Object.keys(MODEL_PRESETS) as ModelPresetName[]).filter((n) => MODEL_PRESETS[n].family === family);
}
