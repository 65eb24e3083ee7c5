/**
 * A model host other than the page's and the hub's is asked nothing without the visitor's
 * agreement to it, wherever the requests are made: the page's client (HEAD size probes, the
 * "does this server hold the pair" check), the session before the worker is asked, the download
 * module (downloads and Range resumes) and the worker's loader. A fetch records every request:
 * before the agreement the list is empty; after it, exactly the expected HEAD and GET requests.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { RunControl } from '../../src/engine/timing.ts';
import type { Capabilities } from '../../src/engine/device.ts';
import { lang, t } from '../../src/i18n/index.ts';
import { agreedOriginFor, BaseNotAgreedError, type BaseAgreement } from '../../src/lab/base-agreement.ts';
import { memoryModelCache } from '../../src/lab/model-cache.ts';
import { downloadFile, headSize, loadModelFiles, ModelFileError, modelsServedAt } from '../../src/lab/model-download.ts';
import { DEFAULT_CLASSIFIER_ID, DEFAULT_GENERATOR_ID, modelFiles, type ModelRef } from '../../src/lab/model-files.ts';
import type { RealRaceRequest, RealSessionRequest } from '../../src/lab/realmodels-api.ts';
import { labRealModelsClient } from '../../src/lab/realmodels-client.ts';
import { runRealModelsSession, type RealLabHost } from '../../src/lab/realmodels-session.ts';
import { errorHintKey } from '../../src/ui/errors.ts';
import { agreementFor, agreeToBase, resetConsent } from '../../src/ui/realmodels/consent.ts';
import { createRealModels } from '../../workers/realmodels.ts';

const PAGE = 'https://lab.example/app/';
const FOREIGN = 'https://elsewhere.example/models/';
const FOREIGN_ORIGIN = 'https://elsewhere.example';
const CLASSIFIER: ModelRef = { task: 'classifier', id: DEFAULT_CLASSIFIER_ID, dtype: 'fp32' };
const GENERATOR: ModelRef = { task: 'generator', id: DEFAULT_GENERATOR_ID, dtype: 'fp32' };
const MODELS = { classifier: CLASSIFIER, generator: GENERATOR };

/** Every request as "METHOD url" (with its Range when there is one); `status` answers all of them. */
function recorder(status = 200): { fetchImpl: typeof fetch; requests: string[] } {
  const requests: string[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const range = new Headers(init?.headers).get('range');
    requests.push(`${init?.method ?? 'GET'} ${url}${range ? ` ${range}` : ''}`);
    const json = url.endsWith('.json');
    const body = init?.method === 'HEAD' ? null : json ? '{}' : 'not an onnx file';
    return new Response(body, { status, headers: { 'content-length': json ? '2' : '16', 'content-type': json ? 'application/json' : 'application/octet-stream' } });
  };
  return { fetchImpl, requests };
}

const filesAt = (ref: ModelRef, base: string, method: 'HEAD' | 'GET'): string[] => modelFiles(ref).map((p) => `${method} ${base}${ref.id}/${p}`);

/** The agreement as the view makes it: the card's button (consent.ts), never minted here. */
function agreeAsTheCardDoes(base: string): BaseAgreement {
  agreeToBase(base, PAGE);
  const a = agreementFor(base, PAGE);
  if (!a) throw new Error('the consent flow made no agreement');
  return a;
}

const fakeLab = () => ({ cancel: () => undefined, answerSentence: async () => Promise.reject(new Error('unused')), forgetPartialDownloads: () => undefined });

beforeEach(() => {
  vi.stubGlobal('location', { href: PAGE, origin: 'https://lab.example' });
  resetConsent();
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the page’s client', () => {
  test('size probes: nothing reaches a foreign base before the agreement; then exactly one HEAD per file', async () => {
    const { fetchImpl, requests } = recorder();
    const client = labRealModelsClient({ fetchImpl, cache: () => memoryModelCache(), lab: fakeLab });
    await expect(client.size(CLASSIFIER, FOREIGN)).rejects.toBeInstanceOf(BaseNotAgreedError);
    await expect(client.size(CLASSIFIER, FOREIGN)).rejects.toThrow(`Nothing is asked of ${FOREIGN_ORIGIN}`);
    // A look-alike object is no agreement (it lacks the private field), nor one for another host.
    const forged = { origin: FOREIGN_ORIGIN } as unknown as BaseAgreement;
    await expect(client.size(CLASSIFIER, FOREIGN, undefined, forged)).rejects.toMatchObject({ name: 'BaseNotAgreedError', origin: FOREIGN_ORIGIN });
    const other = agreeAsTheCardDoes('https://third.example/');
    await expect(client.size(CLASSIFIER, FOREIGN, undefined, other)).rejects.toBeInstanceOf(BaseNotAgreedError);
    // A user name before the host does not make a foreign host look like the hub.
    await expect(client.size(CLASSIFIER, 'https://huggingface.co@elsewhere.example/m/')).rejects.toBeInstanceOf(BaseNotAgreedError);
    expect(requests).toEqual([]);

    const size = await client.size(CLASSIFIER, FOREIGN, undefined, agreeAsTheCardDoes(FOREIGN));
    expect(requests).toEqual(filesAt(CLASSIFIER, FOREIGN, 'HEAD'));
    expect(size.total).toBe(2 * 3 + 16);
  });

  test('the page’s own origin and the hub need no agreement', async () => {
    const { fetchImpl, requests } = recorder();
    const client = labRealModelsClient({ fetchImpl, cache: () => memoryModelCache(), lab: fakeLab });
    await client.size(CLASSIFIER, '/models/');
    expect(requests).toEqual(filesAt(CLASSIFIER, 'https://lab.example/models/', 'HEAD'));
    requests.length = 0;
    await client.size(CLASSIFIER);
    expect(requests).toEqual(modelFiles(CLASSIFIER).map((p) => `HEAD https://huggingface.co/${CLASSIFIER.id}/resolve/main/${p}`));
  });

  test('“does this server hold the pair”: refused before the agreement, one HEAD per model after', async () => {
    const { fetchImpl, requests } = recorder();
    const client = labRealModelsClient({ fetchImpl, cache: () => memoryModelCache(), lab: fakeLab });
    await expect(client.servedAt!([CLASSIFIER, GENERATOR], FOREIGN)).rejects.toBeInstanceOf(BaseNotAgreedError);
    expect(requests).toEqual([]);
    expect(await client.servedAt!([CLASSIFIER, GENERATOR], FOREIGN, agreeAsTheCardDoes(FOREIGN))).toBe(true);
    expect(requests.sort()).toEqual([`HEAD ${FOREIGN}${CLASSIFIER.id}/config.json`, `HEAD ${FOREIGN}${GENERATOR.id}/config.json`].sort());
  });
});

describe('the race', () => {
  const REQ: RealSessionRequest = { models: MODELS, base: FOREIGN, language: 'en', items: 2, reference: false, replicas: false };

  /** A worker that records what it was asked, then stops the session. */
  function recordingLab(): { lab: RealLabHost; asked: RealRaceRequest[] } {
    const asked: RealRaceRequest[] = [];
    const lab: RealLabHost = {
      capabilities: async () => Promise.reject(new Error('unused')),
      computeEnergy: async () => Promise.reject(new Error('unused')),
      runRealModels: async (req) => {
        asked.push(req);
        throw new Error('stop here');
      },
    };
    return { lab, asked };
  }

  test('the session refuses a foreign base without the agreement before the worker is asked', async () => {
    const { lab, asked } = recordingLab();
    await expect(runRealModelsSession(REQ, lab)).rejects.toBeInstanceOf(BaseNotAgreedError);
    expect(asked).toEqual([]);
    // With it, the worker gets the agreed origin as a string (an agreement does not survive postMessage), not the agreement.
    await expect(runRealModelsSession({ ...REQ, agreement: agreeAsTheCardDoes(FOREIGN) }, lab)).rejects.toThrow('stop here');
    expect(asked).toHaveLength(1);
    expect(asked[0]!.agreedOrigin).toBe(FOREIGN_ORIGIN);
    expect(asked[0]!.origin).toBe(PAGE);
    expect('agreement' in asked[0]!).toBe(false);
  });

  test('the worker refuses a foreign base unless the request names it as agreed; then it asks that host only', async () => {
    const { fetchImpl, requests } = recorder(404);
    const runner = createRealModels({
      loadOrt: async () => Promise.reject(new Error('unused')),
      probeCapabilities: async () => ({ available: true }) as unknown as Capabilities,
      runPlan: async () => Promise.reject(new Error('unused')),
      cache: memoryModelCache({ partials: new Map() }),
      fetchImpl,
    });
    const activity = { signal: new AbortController().signal, control: new RunControl() };
    const req: RealRaceRequest = { models: MODELS, base: FOREIGN, origin: PAGE, language: 'en', items: 2, reference: false, replicas: false };
    await expect(runner.run(req, activity, () => {})).rejects.toBeInstanceOf(BaseNotAgreedError);
    await expect(runner.run({ ...req, agreedOrigin: 'https://third.example' }, activity, () => {})).rejects.toBeInstanceOf(BaseNotAgreedError);
    expect(requests).toEqual([]);
    // Agreed: the size of the download (HEAD, a 404 here), then the first file (GET, a 404 again).
    await expect(runner.run({ ...req, agreedOrigin: FOREIGN_ORIGIN }, activity, () => {})).rejects.toMatchObject({ name: 'DownloadHttpError', status: 404 });
    expect(requests).toEqual([`HEAD ${FOREIGN}${CLASSIFIER.id}/config.json`, `GET ${FOREIGN}${CLASSIFIER.id}/config.json`]);
  });
});

describe('the download module’s guard', () => {
  test('downloads: nothing before the agreement, then every file by GET', async () => {
    const { fetchImpl, requests } = recorder();
    const opts = { base: FOREIGN, origin: PAGE, fetchImpl, cache: memoryModelCache({ partials: new Map() }) };
    await expect(loadModelFiles(CLASSIFIER, { ...opts, guard: { agreedOrigin: null } })).rejects.toBeInstanceOf(BaseNotAgreedError);
    expect(requests).toEqual([]);
    // The files here are not a model: the ONNX check stops the load after the last download.
    await expect(loadModelFiles(CLASSIFIER, { ...opts, guard: { agreedOrigin: FOREIGN_ORIGIN } })).rejects.toBeInstanceOf(ModelFileError);
    expect(requests).toEqual(filesAt(CLASSIFIER, FOREIGN, 'GET'));
  });

  test('resumes: a Range request is a request too', async () => {
    const { fetchImpl, requests } = recorder();
    const url = new URL(`${FOREIGN}${CLASSIFIER.id}/onnx/model.onnx`);
    const partials = new Map([[url.href, { chunks: [Uint8Array.from([1, 2, 3])], validator: null, total: null }]]);
    await expect(downloadFile(url, { origin: PAGE, fetchImpl, partials, guard: { agreedOrigin: null } }, () => {})).rejects.toBeInstanceOf(BaseNotAgreedError);
    expect(requests).toEqual([]);
    // The bytes kept for the resume are still there for when the visitor agrees.
    expect(partials.get(url.href)?.chunks).toHaveLength(1);
    await downloadFile(url, { origin: PAGE, fetchImpl, partials, guard: { agreedOrigin: FOREIGN_ORIGIN } }, () => {});
    expect(requests).toEqual([`GET ${url.href} bytes=3-`]);
  });

  test('the page’s origin and the hub pass the guard with no agreement', () => {
    expect(agreedOriginFor(undefined, PAGE, undefined)).toBeNull();
    expect(agreedOriginFor('/models/', PAGE, undefined)).toBeNull();
    expect(agreedOriginFor('https://huggingface.co/', PAGE, undefined)).toBeNull();
    expect(() => agreedOriginFor('http://lab.example/models/', PAGE, undefined)).toThrow(BaseNotAgreedError);
  });
});

describe('redirects', () => {
  /** Each request's URL with the redirect mode it was sent with ('unset' when the fetch default, 'follow', applies). */
  function redirects(): { fetchImpl: typeof fetch; seen: string[] } {
    const seen: string[] = [];
    const fetchImpl: typeof fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      seen.push(`${url} ${init?.redirect ?? 'unset'}`);
      return new Response(init?.method === 'HEAD' ? null : '{}', { status: 200, headers: { 'content-length': '2', 'content-type': 'application/json' } });
    };
    return { fetchImpl, seen };
  }
  const guard = { agreedOrigin: FOREIGN_ORIGIN };
  const foreignUrl = new URL(`${FOREIGN}${CLASSIFIER.id}/config.json`);
  const hubUrl = new URL(`https://huggingface.co/${CLASSIFIER.id}/resolve/main/config.json`);
  const pageUrl = new URL(`https://lab.example/models/${CLASSIFIER.id}/config.json`);

  test('a request to the agreed foreign host fails on a redirect instead of following it to a host nobody agreed to', async () => {
    const { fetchImpl, seen } = redirects();
    await headSize(foreignUrl, { origin: PAGE, fetchImpl, guard });
    await downloadFile(foreignUrl, { origin: PAGE, fetchImpl, partials: new Map(), guard }, () => {});
    expect(await modelsServedAt([CLASSIFIER], FOREIGN, { origin: PAGE, fetchImpl, guard })).toBe(true);
    expect(seen).toEqual([`${foreignUrl.href} error`, `${foreignUrl.href} error`, `${foreignUrl.href} error`]);
  });

  test('the hub (its files sit behind a redirect to its CDN) and the page’s origin keep following', async () => {
    const { fetchImpl, seen } = redirects();
    for (const url of [hubUrl, pageUrl]) {
      await headSize(url, { origin: PAGE, fetchImpl, guard });
      await downloadFile(url, { origin: PAGE, fetchImpl, partials: new Map(), guard }, () => {});
    }
    expect(await modelsServedAt([CLASSIFIER], '/models/', { origin: PAGE, fetchImpl, guard })).toBe(true);
    expect(seen.map((s) => s.split(' ')[1])).toEqual(['unset', 'unset', 'unset', 'unset', 'unset']);
  });
});

describe('the agreement', () => {
  test('is minted by the consent flow only', () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const minters: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.tsx?$/.test(e.name) && readFileSync(p, 'utf8').includes('fromVisitorConsent(')) minters.push(relative(root, p));
      }
    };
    walk(join(root, 'src'));
    walk(join(root, 'workers'));
    expect(minters.sort()).toEqual(['src/lab/base-agreement.ts', 'src/ui/realmodels/consent.ts']);
  });

  test('the refusal has words for the visitor in both languages', () => {
    const e = new BaseNotAgreedError(FOREIGN_ORIGIN);
    expect(errorHintKey(e)).toBe('realmodels.error.BaseNotAgreedError');
    lang.value = 'en';
    expect(t(errorHintKey(e))).toContain('you have not agreed to load from it');
    lang.value = 'fr';
    expect(t(errorHintKey(e))).toContain('vous n’avez pas accepté');
    lang.value = 'en';
  });
});
