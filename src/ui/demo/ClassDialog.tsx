/**
 * "Run it on your own device": a dialog over the demo (so the race still fits the screen) with a
 * QR code and the short link that opens the same preset, language and country on the pupils'
 * devices (and the same real-models race, downloading from the same place, when the demo shows
 * it). The teacher may also pool the class's results: a class code (three hours, closable early
 * with the token kept in this tab), added to the link; the pupils who opt in after their run
 * appear in the distribution, polled every few seconds (a 304 when nothing changed).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import type { ClassCreated, ClassView } from '../../shared/classroom.ts';
import { realPupilParams, realPupilPendingHost } from '../realmodels/link.ts';
// The dialog's own warnings and its real-mode line (realmodels-view.ts), in this lazily loaded chunk.
import '../realmodels/strings.ts';
import { modelsMode } from '../realmodels/mode.ts';
import { location } from '../router.ts';
import { closeClass, createClass, pollClass } from './class-api.ts';
import { ClassPool } from './ClassPool.tsx';
import { inertOutside, trapTab } from './focus-trap.ts';
import { absoluteUrl, pupilHref } from './pupil-link.ts';
import { pupilLinkProblem } from './pupil-reach.ts';
import { qrMatrix, qrPath } from './qr.ts';
import type { DemoSettings } from './settings.ts';
import './classroom.css';

const POLL_MS = 3000;
const STORAGE_KEY = 'fal.class';

/** The open class of this tab (code, token, expiry), so a reload keeps the token to close it. */
function storedClass(): ClassCreated | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const c = JSON.parse(raw) as ClassCreated;
    return Date.parse(c.expiresAt) > Date.now() ? c : null;
  } catch {
    return null;
  }
}

function keepClass(c: ClassCreated | null): void {
  try {
    if (c) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(c));
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    /* storage refused: the class lives until the tab closes */
  }
}

type PoolState = { kind: 'none' } | { kind: 'creating' } | { kind: 'open'; cls: ClassCreated } | { kind: 'failed' } | { kind: 'ended' };

function QrCode({ text }: { text: string }) {
  const m = qrMatrix(text);
  return (
    <svg class="qr" viewBox={`0 0 ${m.size} ${m.size}`} role="img" aria-label={t('classroom.qr.alt')} data-testid="class-qr" data-version={m.version} shape-rendering="crispEdges">
      <rect width={m.size} height={m.size} fill="#fff" />
      <path d={qrPath(m)} fill="#000" />
    </svg>
  );
}

export function ClassDialog({ settings, onClose }: { settings: Pick<DemoSettings, 'preset' | 'lang' | 'country'>; onClose: () => void }) {
  const [pool, setPool] = useState<PoolState>(() => {
    const c = storedClass();
    return c && c.preset === settings.preset ? { kind: 'open', cls: c } : { kind: 'none' };
  });
  const [view, setView] = useState<ClassView | null>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  const overlay = useRef<HTMLDivElement>(null);
  const code = pool.kind === 'open' ? pool.cls.code : null;
  // The real race: its pair, reply budget and an absolute base, so the pupils' devices download
  // from where the teacher's does (the teacher's machine, for `/models/`), not from the hub.
  const shown = realPupilParams.value;
  const pendingHost = realPupilPendingHost.value;
  const real = modelsMode(location.value.params) === 'real' ? (shown ?? { models: 'real' }) : null;
  const url = absoluteUrl(pupilHref(settings, code, real));
  const problem = pupilLinkProblem(url);

  // Modal while open: the page behind is inert; on close it is restored first, so that focus can
  // go back to where it was (the QR button, or wherever the Q key was pressed).
  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const restore = overlay.current ? inertOutside(overlay.current) : () => undefined;
    closeButton.current?.focus();
    return () => {
      restore();
      before?.focus();
    };
  }, []);

  useEffect(() => {
    if (!code) return undefined;
    let etag: string | null = null;
    let stopped = false;
    const tick = async () => {
      const r = await pollClass(code, etag);
      if (stopped) return;
      switch (r.kind) {
        case 'view':
          etag = r.etag;
          setView(r.view);
          break;
        case 'ended':
        case 'unknown':
          keepClass(null);
          setView(null);
          setPool({ kind: 'ended' });
          return;
        case 'unchanged':
        case 'failed':
          break;
        default: {
          const never: never = r;
          throw new Error(`unknown poll outcome ${String(never)}`);
        }
      }
      timer = setTimeout(() => void tick(), POLL_MS);
    };
    let timer = setTimeout(() => void tick(), 0);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [code]);

  const [endFailed, setEndFailed] = useState(false);
  const start = async () => {
    setPool({ kind: 'creating' });
    const r = await createClass(settings.preset);
    if (r.kind === 'created') {
      keepClass(r.created);
      setPool({ kind: 'open', cls: r.created });
    } else setPool({ kind: 'failed' });
  };
  const end = async () => {
    if (pool.kind !== 'open') return;
    // Keep the token unless the server confirmed: a class it could not close stays closable.
    if (!(await closeClass(pool.cls.code, pool.cls.token))) {
      setEndFailed(true);
      return;
    }
    setEndFailed(false);
    keepClass(null);
    setView(null);
    setPool({ kind: 'ended' });
  };
  const until = pool.kind === 'open' ? new Date(pool.cls.expiresAt).toLocaleTimeString(settings.lang === 'fr' ? 'fr-FR' : undefined, { hour: '2-digit', minute: '2-digit' }) : '';

  return (
    <div class="class-overlay" ref={overlay} data-testid="class-dialog" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div
        class="class-dialog card"
        role="dialog"
        aria-modal="true"
        aria-labelledby="class-dialog-title"
        onKeyDown={(e) => {
          if (e.key === 'Escape') onClose();
          else trapTab(e, e.currentTarget);
        }}
      >
        <div class="class-head">
          <h2 id="class-dialog-title">{t('classroom.title')}</h2>
          <button ref={closeButton} onClick={onClose} data-testid="class-close-dialog">
            {t('classroom.closeDialog')}
          </button>
        </div>
        <div class="class-body">
          <div class="class-qr">
            <QrCode text={url} />
            <p class="class-url" data-testid="class-url">{url}</p>
            {problem ? (
              <p class="class-warn" data-testid="class-url-warning" data-problem={problem}>
                {problem === 'loopback' ? t('realmodels.class.loopback', { host: new URL(url).host }) : t('realmodels.class.insecure')}
              </p>
            ) : null}
          </div>
          <div class="class-side">
            <p>{t('classroom.intro')}</p>
            {real && shown ? (
              // Set by the real views, whose chunk brings these strings (realmodels-view.ts).
              <p class="small" data-testid="class-real-from">
                {pendingHost !== null
                  ? t('realmodels.class.pending', { host: pendingHost })
                  : shown['base']
                    ? t('realmodels.class.from', { base: shown['base'] })
                    : t('realmodels.class.hub')}
              </p>
            ) : null}
            {real ? <p class="small" data-testid="class-no-real-pool">{t('realmodels.class.noPool')}</p> : null}
            {pool.kind === 'open' ? (
              <>
                <p class="class-code" data-testid="class-code">
                  {t('classroom.code', { code: pool.cls.code, until })}
                </p>
                {view ? <ClassPool d={view.distribution} /> : null}
                <button class="danger" onClick={() => void end()} data-testid="class-end">
                  {t('classroom.end')}
                </button>
                {endFailed ? <p role="alert">{t('classroom.end.failed')}</p> : null}
              </>
            ) : (
              <>
                <p class="small">{t('classroom.pool.explain')}</p>
                <button class="primary" disabled={pool.kind === 'creating'} onClick={() => void start()} data-testid="class-start">
                  {t('classroom.start')}
                </button>
                {pool.kind === 'failed' ? <p role="alert">{t('classroom.start.failed')}</p> : null}
                {pool.kind === 'ended' ? <p role="status">{t('classroom.ended')}</p> : null}
              </>
            )}
          </div>
        </div>
      </div>
    </div>
  );
}
