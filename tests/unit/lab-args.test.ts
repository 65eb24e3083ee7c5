import { describe, expect, test } from 'vitest';
import { labQuery, LabUsageError, parseLabArgs } from '../../scripts/lab-args.ts';

const run = (argv: string[]) => {
  const a = parseLabArgs(argv);
  if (a.kind !== 'run') throw new Error('expected a run');
  return a;
};

describe('lab CLI options', () => {
  test('defaults: ci preset, 900 s, summary on stdout, SwiftShader', () => {
    expect(run([])).toEqual({ kind: 'run', runtime: 'browser', preset: 'ci', out: null, json: false, country: null, realGpu: false, measurePower: false, powerSensor: null, timeoutS: 900, params: [] });
  });

  test('every option is read', () => {
    const a = run(['--preset', 'custom', '--out', 'r.json', '--json', '--country', 'FRA', '--real-gpu', '--timeout', '30', '--param', 'general=tiny-decoder', '--param', 'g.layers=3']);
    expect(a).toEqual({
      kind: 'run',
      runtime: 'browser',
      preset: 'custom',
      out: 'r.json',
      json: true,
      country: 'FRA',
      realGpu: true,
      measurePower: false,
      powerSensor: null,
      timeoutS: 30,
      params: [
        ['general', 'tiny-decoder'],
        ['g.layers', '3'],
      ],
    });
    expect(labQuery(a).toString()).toBe('preset=custom&autorun=1&country=FRA&general=tiny-decoder&g.layers=3');
  });

  test('the Node runtime, with measured watts and a sensor chosen by hand', () => {
    expect(run(['--runtime', 'node', '--measure-power', '--power-sensor', 'rapl:intel-rapl:0'])).toMatchObject({ runtime: 'node', measurePower: true, powerSensor: 'rapl:intel-rapl:0' });
    expect(run(['--runtime', 'node'])).toMatchObject({ runtime: 'node', measurePower: false, powerSensor: null });
  });

  test('a value may itself contain "="', () => {
    expect(run(['--param', 'note=a=b']).params).toEqual([['note', 'a=b']]);
  });

  test('--help wins', () => {
    expect(parseLabArgs(['--help', '--preset', 'nope'])).toEqual({ kind: 'help' });
  });

  test.each([
    [['--preset', 'huge'], 'unknown preset "huge" (one of ci, quick, paper, custom)'],
    [['--timeout', '0'], '--timeout expects a positive number of seconds, got "0"'],
    [['--timeout', 'soon'], '--timeout expects a positive number of seconds, got "soon"'],
    [['--country', 'France'], '--country expects an ISO 3166 alpha-3 code with grid data (Ember), such as FRA or USA; got "France"'],
    [['--param', 'layers'], '--param expects key=value, got "layers"'],
    [['--param', '=3'], '--param expects key=value, got "=3"'],
    [['--runtime', 'deno'], 'unknown runtime "deno" (one of browser, node)'],
    [['--measure-power'], '--measure-power needs --runtime node (in a browser, open the page served by npm start on this machine)'],
    [['--runtime', 'node', '--power-sensor', 'nvidia:0'], '--power-sensor goes with --measure-power'],
    [['--runtime', 'node', '--measure-power', '--power-sensor', 'NVIDIA 0'], '--power-sensor expects a sensor id such as nvidia:0 or rapl:intel-rapl:0, got "NVIDIA 0"'],
    [['--param', 'lang=fr'], '--param lang=…: "lang" is a page parameter (preset, lang, country, theme, autorun, debug, tune), not a model field; use the matching option'],
  ])('%j is refused: %s', (argv, message) => {
    expect(() => parseLabArgs(argv)).toThrow(LabUsageError);
    expect(() => parseLabArgs(argv)).toThrow(message);
  });

  test('unknown options and missing values are usage errors from the parser', () => {
    expect(() => parseLabArgs(['--bogus'])).toThrow(LabUsageError);
    expect(() => parseLabArgs(['--bogus'])).toThrow(/--bogus/);
    expect(() => parseLabArgs(['--preset'])).toThrow(LabUsageError);
    expect(() => parseLabArgs(['stray'])).toThrow(LabUsageError);
  });

  test('--tune off runs the default kernels (tune=off on the page); on is the default; anything else is refused', () => {
    expect(run(['--tune', 'off']).tune).toBe(false);
    expect(labQuery(run(['--tune', 'off'])).get('tune')).toBe('off');
    expect(run(['--tune', 'on']).tune).toBeUndefined();
    expect(labQuery(run([])).has('tune')).toBe(false);
    expect(() => parseLabArgs(['--tune', 'maybe'])).toThrow(/--tune expects on or off/);
    expect(() => parseLabArgs(['--param', 'tune=off', '--preset', 'custom'])).toThrow(/page parameter/);
  });
});
