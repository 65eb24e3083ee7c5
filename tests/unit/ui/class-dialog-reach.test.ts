// @vitest-environment happy-dom
/**
 * The class dialog warns when the pupils' link cannot work: a loopback page (no other device
 * reaches it) or plain http on a network address (no WebGPU outside secure contexts); in real
 * mode it says that the class pool takes synthetic-race results only.
 */
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { fakeClientModule, mountPoint } from './helpers.ts';

vi.mock('../../../src/lab/client.ts', () => fakeClientModule());

const { lang, t } = await import('../../../src/i18n/index.ts');
const { location, parseHash } = await import('../../../src/ui/router.ts');
const { ClassDialog } = await import('../../../src/ui/demo/ClassDialog.tsx');
const { pupilLinkProblem } = await import('../../../src/ui/demo/pupil-reach.ts');

const mounted = mountPoint();
let root: HTMLElement;
const byId = (id: string) => root.querySelector(`[data-testid="${id}"]`);
const settings = { preset: 'ci', lang: 'en', country: null } as const;
const startUrl = window.location.href;

/** happy-dom's test hook: the page's address, as the teacher opened it. */
const openAt = (url: string) => (window as unknown as { happyDOM: { setURL(u: string): void } }).happyDOM.setURL(url);

async function openDialog(at: string, hash = '#/demo?preset=ci&lang=en'): Promise<void> {
  openAt(`${at}${hash}`);
  location.value = parseHash(hash);
  await act(() => render(h(ClassDialog, { settings, onClose: () => undefined }), root));
}

beforeEach(() => {
  root = mounted();
  lang.value = 'en';
  sessionStorage.clear();
  // No class is polled here: any request would be a bug.
  vi.stubGlobal('fetch', () => Promise.reject(new Error('no request expected')));
});
afterEach(() => {
  vi.unstubAllGlobals();
  openAt(startUrl);
});

describe('pupilLinkProblem', () => {
  test('loopback hosts, plain http on a network address, and secure or non-web addresses', () => {
    for (const u of ['http://localhost:5173/#/', 'https://localhost/', 'http://app.localhost/', 'http://127.0.0.1/', 'http://127.4.5.6:8080/#/?x=1', 'http://[::1]:3000/']) {
      expect(pupilLinkProblem(u), u).toBe('loopback');
    }
    for (const u of ['http://192.168.1.20:8080/#/', 'http://class.local/', 'http://128.0.0.1/']) expect(pupilLinkProblem(u), u).toBe('insecure');
    for (const u of ['https://class.example/#/?preset=ci', 'https://192.168.1.20:8443/', 'about:blank', 'not a url']) expect(pupilLinkProblem(u), u).toBeNull();
  });
});

describe('the class dialog', () => {
  test('on localhost: the pupils cannot reach this computer', async () => {
    await openDialog('http://localhost:5173/');
    expect(byId('class-url')?.textContent).toMatch(/^http:\/\/localhost:5173\/#\//);
    const warning = byId('class-url-warning');
    expect(warning?.getAttribute('data-problem')).toBe('loopback');
    expect(warning?.textContent).toBe(t('realmodels.class.loopback', { host: 'localhost:5173' }));
  });

  test('plain http on a network address: the pupils need https for WebGPU', async () => {
    await openDialog('http://192.168.1.20:8080/');
    expect(byId('class-url-warning')?.getAttribute('data-problem')).toBe('insecure');
    expect(byId('class-url-warning')?.textContent).toBe(t('realmodels.class.insecure'));
    lang.value = 'fr';
    await act(() => undefined);
    expect(byId('class-url-warning')?.textContent).toContain('https');
  });

  test('https on a network address: no warning; synthetic mode says nothing about the pool', async () => {
    await openDialog('https://class.example/');
    expect(byId('class-url')?.textContent).toMatch(/^https:\/\/class\.example\/#\//);
    expect(byId('class-url-warning')).toBeNull();
    expect(byId('class-no-real-pool')).toBeNull();
  });

  test('in real mode it says the class pool takes synthetic-race results only', async () => {
    await openDialog('https://class.example/', '#/demo?preset=ci&lang=en&models=real');
    expect(byId('class-no-real-pool')?.textContent).toBe(t('realmodels.class.noPool'));
  });
});
