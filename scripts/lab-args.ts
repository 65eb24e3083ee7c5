/**
 * The `lab` CLI's options, parsed and checked without launching anything, so every message a
 * user can get is unit-tested (tests/unit/lab-args.test.ts).
 */
import { parseArgs } from 'node:util';
import { isKnownCountry } from '../src/energy/index.ts';
import { isPageParam, PAGE_PARAMS } from '../src/lab/page-params.ts';
import { isPresetName, PRESET_NAMES, type PresetName } from '../src/shared/presets.ts';

export const USAGE = `Usage: npm run lab -- [--preset ${PRESET_NAMES.join('|')}] [--out FILE] [--json] [--country ISO3]
                      [--real-gpu] [--timeout SECONDS] [--param key=value ...]
  --preset    suite preset (default ci)
  --out       write the result document to FILE
  --json      print the document on stdout instead of a summary
  --country   grid country for the CO2e estimate (ISO 3166 alpha-3), default from the time zone
  --real-gpu  use the machine's GPU instead of the SwiftShader software adapter
  --timeout   give up after SECONDS (default 900)
  --param     extra URL parameter for the custom preset (e.g. --param general=smollm2-135m)
Chromium: CHROMIUM_PATH, else the system Chromium.`;

/** Wrong options: the message says what is wrong; the CLI prints it (with the usage) and exits 2. */
export class LabUsageError extends Error {
  override name = 'LabUsageError';
}

export type LabArgs =
  | { kind: 'help' }
  | {
      kind: 'run';
      preset: PresetName;
      out: string | null;
      json: boolean;
      country: string | null;
      realGpu: boolean;
      timeoutS: number;
      /** Model fields for the custom preset, in the order given. */
      params: [string, string][];
    };

export function parseLabArgs(argv: readonly string[]): LabArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        preset: { type: 'string', default: 'ci' },
        out: { type: 'string' },
        json: { type: 'boolean', default: false },
        country: { type: 'string' },
        'real-gpu': { type: 'boolean', default: false },
        timeout: { type: 'string', default: '900' },
        param: { type: 'string', multiple: true },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (e) {
    throw new LabUsageError(e instanceof Error ? e.message : String(e));
  }
  if (values.help) return { kind: 'help' };
  const preset = values.preset ?? 'ci';
  if (!isPresetName(preset)) throw new LabUsageError(`unknown preset "${preset}" (one of ${PRESET_NAMES.join(', ')})`);
  const timeoutS = Number(values.timeout);
  if (!Number.isFinite(timeoutS) || timeoutS <= 0) throw new LabUsageError(`--timeout expects a positive number of seconds, got "${values.timeout}"`);
  if (values.country !== undefined && !isKnownCountry(values.country)) {
    throw new LabUsageError(`--country expects an ISO 3166 alpha-3 code with grid data (Ember), such as FRA or USA; got "${values.country}"`);
  }
  const params: [string, string][] = [];
  for (const kv of values.param ?? []) {
    const i = kv.indexOf('=');
    if (i <= 0) throw new LabUsageError(`--param expects key=value, got "${kv}"`);
    const key = kv.slice(0, i);
    // Page parameters have their own options; through --param they would silently override them.
    if (isPageParam(key)) throw new LabUsageError(`--param ${key}=…: "${key}" is a page parameter (${PAGE_PARAMS.join(', ')}), not a model field; use the matching option`);
    params.push([key, kv.slice(i + 1)]);
  }
  return { kind: 'run', preset, out: values.out ?? null, json: values.json ?? false, country: values.country ?? null, realGpu: values['real-gpu'] ?? false, timeoutS, params };
}

/** The address query the CLI opens: the preset, autorun, the country, then the model fields. */
export function labQuery(a: Extract<LabArgs, { kind: 'run' }>): URLSearchParams {
  const q = new URLSearchParams({ preset: a.preset, autorun: '1' });
  if (a.country) q.set('country', a.country);
  for (const [k, v] of a.params) q.set(k, v);
  return q;
}
