// @vitest-environment happy-dom
/**
 * A link whose `base=` names another host than the page's and the hub's sends nothing there
 * before the visitor agrees: the real client (its HEAD requests through a recording fetch) is
 * mounted under the run view and the demo; no request reaches the foreign host while "Load models
 * from …?" is shown, not even from the start button or Space; after the click, the sizes are read
 * from it. The page's own `/models/` and the hub stay automatic, and a base the visitor types
 * needs no other agreement.
 */
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import type { RealLabHost } from '../../../src/lab/realmodels-session.ts';
import { mountPoint, READY_CAPS, until } from './helpers.ts';

vi.mock('../../../src/lab/client.ts', async () => (await import('./helpers.ts')).fakeClientModule());

const { lang, t } = await import('../../../src/i18n/index.ts');
const { location, parseHash } = await import('../../../src/ui/router.ts');
const { capsState } = await import('../../../src/ui/state.ts');
const { labRealModelsClient } = await import('../../../src/lab/realmodels-client.ts');
const { RealModelsPanel } = await import('../../../src/ui/realmodels/RealModelsPanel.tsx');
const { RealDemo } = await import('../../../src/ui/realmodels/RealDemo.tsx');
const consent = await import('../../../src/ui/realmodels/consent.ts');
const rm = await import('../../../src/ui/realmodels/state.ts');
const { checkModelBase, ModelRefError } = await import('../../../src/lab/model-files.ts');

const FOREIGN = 'https://elsewhere.example/';
const mounted = mountPoint();
let root: HTMLElement;
/** Every request the page made, as "METHOD url". */
let requests: string[];

const q = (id: string) => root.querySelector(`[data-testid="${id}"]`);
const toForeign = () => requests.filter((r) => r.includes('elsewhere.example'));

function go(hash: string): void {
  window.history.replaceState(null, '', hash);
  location.value = parseHash(hash);
}

beforeEach(() => {
  root = mounted();
  lang.value = 'en';
  capsState.value = READY_CAPS as never;
  requests = [];
  const fetchImpl = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    requests.push(`${init?.method ?? 'GET'} ${url}`);
    const json = url.endsWith('.json');
    return new Response(null, { status: 200, headers: { 'content-length': json ? '1000' : '5000000', 'content-type': json ? 'application/json' : 'application/octet-stream' } });
  }) as unknown as typeof fetch;
  const run = vi.fn(async () => {
    throw new Error('the race is not run in this test');
  });
  const client = labRealModelsClient({
    fetchImpl,
    cache: () => ({ get: async () => null, put: async () => undefined, list: async () => [], clear: async () => undefined }),
    lab: () => ({ cancel: () => undefined, answerSentence: async () => { throw new Error('unused'); }, forgetPartialDownloads: () => undefined }),
  });
  rm.setRealModelsClient({ ...client, run });
  consent.resetConsent();
  rm.choice.value = rm.DEFAULT_CHOICE;
  rm.sizes.value = { kind: 'idle' };
  rm.race.value = { kind: 'idle' };
});

describe('which hosts need the visitor’s agreement', () => {
  test('the page’s origin and the hub are automatic; another host is asked until agreed; an invalid base asks nothing', () => {
    const page = 'https://lab.example/#/?models=real';
    expect(consent.foreignOrigin('', page)).toBeNull();
    expect(consent.foreignOrigin('/models/', page)).toBeNull();
    expect(consent.foreignOrigin('https://lab.example/other/', page)).toBeNull();
    expect(consent.foreignOrigin('https://huggingface.co/', page)).toBeNull();
    expect(consent.foreignOrigin('ftp://elsewhere.example/', page)).toBeNull();
    expect(consent.foreignOrigin('http://lab.example/models/', page)).toBe('http://lab.example');
    expect(consent.consentNeeded(FOREIGN, page)).toBe('https://elsewhere.example');
    consent.agreeToBase(`${FOREIGN}models/`, page);
    expect(consent.consentNeeded(FOREIGN, page)).toBeNull();
    expect(consent.consentNeeded('https://third.example/', page)).toBe('https://third.example');
  });
});

describe('a base with a user name or password before its host', () => {
  const DISGUISED = 'https://huggingface.co@evil.example/';

  test('is refused: it reads as the hub but would send every request to the host after the @', () => {
    const page = 'https://lab.example/#/?models=real';
    expect(new URL(DISGUISED).host).toBe('evil.example');
    expect(() => checkModelBase(DISGUISED, page)).toThrow(ModelRefError);
    expect(() => checkModelBase(DISGUISED, page)).toThrow('A model base may not carry a user name or password before its host (…@evil.example)');
    expect(() => checkModelBase('https://user:secret@models.example/m/', page)).toThrow(ModelRefError);
    // The message never repeats the password.
    expect(() => checkModelBase('https://user:secret@models.example/m/', page)).not.toThrow(/secret/);
    expect(checkModelBase('https://models.example/m/', page).href).toBe('https://models.example/m/');
    expect(consent.foreignOrigin(DISGUISED, page)).toBeNull();
    expect(rm.choiceProblems({ ...rm.DEFAULT_CHOICE, base: DISGUISED }, page).base).toMatch(/user name or password/);
  });

  test('from a link it is ignored; typed, the field says why in the visitor’s language, and nothing is asked of either host', async () => {
    go(`#/?models=real&base=${encodeURIComponent(DISGUISED)}`);
    await act(() => render(h(RealModelsPanel, {}), root));
    await until(() => rm.sizes.value.kind === 'ready');
    expect(rm.choice.value.base).not.toContain('evil.example');
    expect(q('rm-consent')).toBeNull();
    const base = q('rm-base') as HTMLInputElement;
    base.value = DISGUISED;
    await act(() => void base.dispatchEvent(new Event('input')));
    await act(() => void base.dispatchEvent(new Event('change')));
    expect(q('rm-base-error')?.textContent).toBe(t('realmodels.choice.baseUserinfo'));
    expect(q('rm-base-error')?.textContent).toContain('user name or password');
    await act(() => {
      lang.value = 'fr';
    });
    expect(q('rm-base-error')?.textContent).toContain('nom d’utilisateur ou un mot de passe');
    base.value = 'ftp://x/';
    await act(() => void base.dispatchEvent(new Event('input')));
    expect(q('rm-base-error')?.textContent).toBe(t('realmodels.choice.baseInvalid'));
    await until(() => false);
    expect(requests.filter((r) => r.includes('evil.example'))).toEqual([]);
  });
});

describe('a crafted link with another host as base', () => {
  test('the run view asks first, sends nothing there before the click, then reads the sizes from it', async () => {
    go(`#/?models=real&base=${encodeURIComponent(FOREIGN)}`);
    await act(() => render(h(RealModelsPanel, {}), root));
    await until(() => q('rm-consent') !== null);
    expect(q('rm-consent')?.getAttribute('data-host')).toBe('elsewhere.example');
    expect(root.querySelector('#rm-consent-h')?.textContent).toBe(t('realmodels.consent.title', { host: 'elsewhere.example' }));
    // Let every pending effect and timer run: still nothing to that host, and the race cannot start.
    await until(() => false);
    expect(toForeign()).toEqual([]);
    expect(rm.sizes.value.kind).toBe('idle');
    const start = q('rm-start') as HTMLButtonElement;
    expect(start.disabled).toBe(true);
    await rm.startRealRace();
    expect(rm.race.value.kind).toBe('idle');
    expect(toForeign()).toEqual([]);

    // A keyboard user reaches the button and activates it (a native button: Enter and Space click it).
    const yes = q('rm-consent-yes') as HTMLButtonElement;
    expect(yes.tagName).toBe('BUTTON');
    expect(yes.textContent).toBe(t('realmodels.consent.yes', { host: 'elsewhere.example' }));
    await act(() => yes.click());
    await until(() => rm.sizes.value.kind === 'ready');
    expect(q('rm-consent')).toBeNull();
    expect(toForeign().length).toBeGreaterThan(0);
    expect(toForeign().every((r) => r.startsWith(`HEAD ${FOREIGN}`))).toBe(true);
    expect((q('rm-start') as HTMLButtonElement).disabled).toBe(false);
    // The focused button left with the card: focus moved on to the start button, not to the page's body.
    expect(document.activeElement).toBe(q('rm-start'));
  });

  test('the demo asks too, and Space does not start a race there before the agreement', async () => {
    go(`#/demo?models=real&base=${encodeURIComponent(`${FOREIGN}models/`)}`);
    await act(() => render(h(RealDemo, {}), root));
    await until(() => q('rm-consent') !== null);
    await act(() => void window.dispatchEvent(new KeyboardEvent('keydown', { key: ' ' })));
    await until(() => false);
    expect(rm.race.value.kind).toBe('idle');
    expect(toForeign()).toEqual([]);
  });

  test('editing the crafted base is no answer to the card: a Backspace and a blur send nothing to that host', async () => {
    go(`#/?models=real&base=${encodeURIComponent(`${FOREIGN}models/`)}`);
    await act(() => render(h(RealModelsPanel, {}), root));
    await until(() => q('rm-consent') !== null);
    const base = q('rm-base') as HTMLInputElement;
    expect(base.value).toBe(`${FOREIGN}models/`);
    base.value = `${FOREIGN}models`;
    await act(() => void base.dispatchEvent(new Event('input')));
    await act(() => void base.dispatchEvent(new Event('change')));
    // Past the sizing debounce (500 ms; `until` runs 2 s of timers): nothing asked of that host, the card still asks.
    await until(() => false);
    expect(rm.choice.value.base).toBe(`${FOREIGN}models`);
    expect(consent.consentNeeded(rm.choice.value.base)).toBe('https://elsewhere.example');
    expect(q('rm-consent')?.getAttribute('data-host')).toBe('elsewhere.example');
    expect(toForeign()).toEqual([]);
    expect((q('rm-start') as HTMLButtonElement).disabled).toBe(true);
  });

  test('declining goes back to the usual source: nothing is ever asked of the other host', async () => {
    go(`#/?models=real&base=${encodeURIComponent(FOREIGN)}`);
    await act(() => render(h(RealModelsPanel, {}), root));
    await until(() => q('rm-consent') !== null);
    await act(() => (q('rm-consent-no') as HTMLButtonElement).click());
    await until(() => rm.sizes.value.kind === 'ready');
    expect(rm.choice.value.base).toBe('/models/');
    // The other host leaves the address: a reload finds /models/ again, as with no base at all.
    expect(location.value.params.get('base')).toBeNull();
    expect(toForeign()).toEqual([]);
    expect(q('rm-consent')).toBeNull();
    expect(document.activeElement).toBe(q('rm-start'));
  });

  test('without WebGPU the start button cannot take focus: answering moves it to the models’ heading', async () => {
    capsState.value = { ...READY_CAPS, caps: { ...READY_CAPS.caps, available: false } } as never;
    go(`#/?models=real&base=${encodeURIComponent(FOREIGN)}`);
    await act(() => render(h(RealModelsPanel, {}), root));
    await until(() => q('rm-consent') !== null);
    const yes = q('rm-consent-yes') as HTMLButtonElement;
    yes.focus();
    await act(() => yes.click());
    await until(() => q('rm-consent') === null && document.activeElement !== yes);
    expect((q('rm-start') as HTMLButtonElement).disabled).toBe(true);
    expect(document.activeElement).toBe(root.querySelector('#rm-models-h'));
    expect(document.activeElement?.getAttribute('tabindex')).toBe('-1');
  });

  test('the page’s own /models/ in the address is read at once, with no question', async () => {
    go('#/?models=real&base=%2Fmodels%2F');
    await act(() => render(h(RealModelsPanel, {}), root));
    await until(() => rm.sizes.value.kind === 'ready');
    expect(q('rm-consent')).toBeNull();
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.every((r) => r.startsWith(`HEAD ${window.location.origin}/models/`))).toBe(true);
  });

  test('a base the visitor types is theirs: sized without a question', async () => {
    go('#/?models=real');
    await act(() => render(h(RealModelsPanel, {}), root));
    await until(() => rm.sizes.value.kind === 'ready');
    requests = [];
    const base = q('rm-base') as HTMLInputElement;
    base.value = FOREIGN;
    await act(() => void base.dispatchEvent(new Event('input')));
    await act(() => void base.dispatchEvent(new Event('change')));
    await until(() => rm.sizes.value.kind === 'ready' && toForeign().length > 0);
    expect(q('rm-consent')).toBeNull();
    expect(toForeign().length).toBeGreaterThan(0);
  });
});

describe('what counts as a base the visitor typed', () => {
  /** A keystroke (input), then, when `leave`, leaving the field (change). */
  async function type(value: string, leave = false): Promise<void> {
    const base = q('rm-base') as HTMLInputElement;
    base.value = value;
    await act(() => void base.dispatchEvent(new Event('input')));
    if (leave) await act(() => void base.dispatchEvent(new Event('change')));
  }
  /** Requests to the crafted host or to any host one of its edits made (elsewhere.exampl, …). */
  const toCrafted = () => requests.filter((r) => r.includes('//elsewhere.exampl'));

  async function openCrafted(): Promise<void> {
    go(`#/?models=real&base=${encodeURIComponent(`${FOREIGN}models/`)}`);
    await act(() => render(h(RealModelsPanel, {}), root));
    await until(() => q('rm-consent') !== null);
  }

  test('deleting back into the crafted host name and retyping it is no answer to the card', async () => {
    await openCrafted();
    // Backspaces into the host name, then the letters typed again, one by one.
    for (const v of ['https://elsewhere.example/', 'https://elsewhere.example', 'https://elsewhere.exampl', 'https://elsewhere.examp', 'https://elsewhere.exampl', 'https://elsewhere.example', 'https://elsewhere.example/']) await type(v);
    await type(`${FOREIGN}models/`, true);
    await until(() => false);
    expect(toCrafted()).toEqual([]);
    expect([...consent.agreedOrigins.value]).toEqual([]);
    expect(consent.agreementFor(rm.choice.value.base)).toBeUndefined();
    expect(q('rm-consent')?.getAttribute('data-host')).toBe('elsewhere.example');
    expect((q('rm-start') as HTMLButtonElement).disabled).toBe(true);
  });

  test('an edit of the crafted host into another host is still the link’s: the card asks about that one', async () => {
    await openCrafted();
    await type('https://elsewhere.exampl/models/', true);
    await until(() => false);
    expect(toCrafted()).toEqual([]);
    expect(q('rm-consent')?.getAttribute('data-host')).toBe('elsewhere.exampl');
  });

  test('emptying the field and typing the crafted host from scratch still leaves it to the card', async () => {
    await openCrafted();
    await type('');
    for (const v of ['h', 'https://', 'https://elsewhere.example', `${FOREIGN}models/`]) await type(v);
    await type(`${FOREIGN}models/`, true);
    await until(() => false);
    expect(toCrafted()).toEqual([]);
    expect(q('rm-consent')?.getAttribute('data-host')).toBe('elsewhere.example');
    // The card's button still agrees: then the sizes come from there.
    await act(() => (q('rm-consent-yes') as HTMLButtonElement).click());
    await until(() => rm.sizes.value.kind === 'ready');
    expect(toCrafted().length).toBeGreaterThan(0);
    expect(toCrafted().every((r) => r.startsWith(`HEAD ${FOREIGN}models/`))).toBe(true);
  });

  test('emptying the field and typing another host is the visitor’s own: sized without a question', async () => {
    await openCrafted();
    await type('');
    await type('https://mine.example/m/', true);
    await until(() => rm.sizes.value.kind === 'ready');
    expect(q('rm-consent')).toBeNull();
    expect(toCrafted()).toEqual([]);
    const mine = requests.filter((r) => r.includes('mine.example'));
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((r) => r.startsWith('HEAD https://mine.example/m/'))).toBe(true);
  });

  test('typing a host letter by letter agrees to the last origin only; a link naming a prefix of it still gets the card', async () => {
    go('#/?models=real');
    await act(() => render(h(RealModelsPanel, {}), root));
    await until(() => rm.sizes.value.kind === 'ready');
    requests = [];
    const typed = 'https://models.school.example/m/';
    for (let i = 1; i <= typed.length; i++) await type(typed.slice(0, i));
    expect([...consent.agreedOrigins.value]).toEqual(['https://models.school.example']);
    // The sizing debounce still waits for the value to stay put: only the final host is asked.
    await until(() => rm.sizes.value.kind === 'ready' && requests.length > 0);
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.every((r) => r.startsWith('HEAD https://models.school.example/m/'))).toBe(true);
    // A later link in the same page naming a host typed on the way is not agreed.
    for (const prefix of ['https://m/', 'https://mo/', 'https://models.school.exampl/']) {
      consent.baseFromLink(prefix);
      expect(consent.consentNeeded(prefix)).toBe(new URL(prefix).origin);
    }
  });

  test('the crafted host written with a final dot (the same host to DNS, another origin) is refused, not agreed', async () => {
    const page = 'https://lab.example/#/?models=real';
    expect(() => checkModelBase('https://elsewhere.example./', page)).toThrow(ModelRefError);
    expect(() => checkModelBase('https://elsewhere.example./models/', page)).toThrow('may not end its host name with a dot (elsewhere.example.)');
    expect(consent.foreignOrigin('https://elsewhere.example.:443/', page)).toBeNull();
    await openCrafted();
    await act(() => (q('rm-consent-no') as HTMLButtonElement).click());
    await until(() => rm.sizes.value.kind === 'ready');
    await type('');
    await type('https://elsewhere.example./models/', true);
    await until(() => false);
    expect([...consent.agreedOrigins.value]).toEqual([]);
    expect(requests.filter((r) => r.includes('elsewhere.example'))).toEqual([]);
    expect(q('rm-base-error')?.textContent).toBe(t('realmodels.choice.baseTrailingDot'));
    expect(q('rm-base-error')?.textContent).toContain('without the final dot');
    await act(() => {
      lang.value = 'fr';
    });
    expect(q('rm-base-error')?.textContent).toContain('sans le point final');
  });

  test('typing replaces the typed agreement, never one given on the card', async () => {
    await openCrafted();
    await act(() => (q('rm-consent-yes') as HTMLButtonElement).click());
    await until(() => rm.sizes.value.kind === 'ready');
    await type('');
    for (const v of ['https://a.example/', 'https://b.example/']) await type(v);
    expect([...consent.agreedOrigins.value].sort()).toEqual(['https://b.example', 'https://elsewhere.example']);
    expect(consent.agreementFor(`${FOREIGN}models/`)?.origin).toBe('https://elsewhere.example');
    expect(consent.agreementFor('https://a.example/')).toBeUndefined();
    await type(`${FOREIGN}x/`);
    await type('https://c.example/');
    expect([...consent.agreedOrigins.value].sort()).toEqual(['https://c.example', 'https://elsewhere.example']);
  });

  test('after declining, a host typed over the usual source is the visitor’s own', async () => {
    await openCrafted();
    await act(() => (q('rm-consent-no') as HTMLButtonElement).click());
    await until(() => rm.sizes.value.kind === 'ready');
    await type('https://mine.example/m/', true);
    await until(() => rm.sizes.value.kind === 'ready' && requests.some((r) => r.includes('mine.example')));
    expect(q('rm-consent')).toBeNull();
    expect(toCrafted()).toEqual([]);
  });
});

describe('the view hands the agreement down', () => {
  test('the race started after the card’s button carries the agreement for that host; the real session accepts it', async () => {
    const { BaseAgreement } = await import('../../../src/lab/base-agreement.ts');
    const { runRealModelsSession } = await import('../../../src/lab/realmodels-session.ts');
    const asked: { agreement: unknown; agreedOrigin: string | undefined }[] = [];
    const lab: RealLabHost = {
      capabilities: async () => Promise.reject(new Error('unused')),
      computeEnergy: async () => Promise.reject(new Error('unused')),
      runRealModels: async (req) => {
        asked.push({ agreement: undefined, agreedOrigin: req.agreedOrigin });
        throw new Error('stop here');
      },
    };
    const client = rm.realModelsClient();
    rm.setRealModelsClient({
      ...client,
      run: async (req) => {
        asked.push({ agreement: req.agreement, agreedOrigin: undefined });
        return runRealModelsSession(req, lab);
      },
    });
    go(`#/?models=real&base=${encodeURIComponent(FOREIGN)}`);
    await act(() => render(h(RealModelsPanel, {}), root));
    await until(() => q('rm-consent') !== null);
    await act(() => (q('rm-consent-yes') as HTMLButtonElement).click());
    await until(() => rm.sizes.value.kind === 'ready');
    await rm.startRealRace();
    expect(asked).toHaveLength(2);
    const agreement = asked[0]!.agreement;
    expect(BaseAgreement.isAgreement(agreement) ? agreement.origin : null).toBe('https://elsewhere.example');
    expect(asked[1]!.agreedOrigin).toBe('https://elsewhere.example');
    expect(rm.race.value.kind).toBe('error');
  });
});
