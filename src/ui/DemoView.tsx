/**
 * Classroom demo: a projector-friendly race between the specialized and the general model on the
 * same task — two lanes side by side with live time and energy, then the gap as the punchline,
 * all on one screen without scrolling. Settings come from the address (src/ui/demo/settings.ts);
 * the keyboard drives it (Space, R, F, L, Q, Esc, arrows) as well as the buttons. In step-through
 * mode the worker holds the race after each phase (Space or → goes on), and after the race the
 * same phases are recapped with their measured times (← →), ending on the result.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { lang, t } from '../i18n/index.ts';
import { errorHintKey } from './errors.ts';
import { location, parseHash } from './router.ts';
import { cancelRun, capsState, heldStep, lastDoc, nextStep, progress, runState, setStepThrough, startRun } from './state.ts';
import { StatusCard } from './StatusCard.tsx';
import { ClassDialog } from './demo/ClassDialog.tsx';
import { CopyLink } from './demo/CopyLink.tsx';
import { fullscreenSupported, isFullscreen, setFullscreen } from './demo/fullscreen.ts';
import { demoKeyAction, type DemoAction } from './demo/keys.ts';
import { Lane } from './demo/Lane.tsx';
import { ResultPanel } from './demo/ResultPanel.tsx';
import { demoHref, parseDemoSettings, type DemoSettings, type SettingNote } from './demo/settings.ts';
import { demoSteps } from './demo/steps.ts';
import { LiveStep, StepThrough } from './demo/StepThrough.tsx';
import { lazyView } from './lazy.tsx';
import { hashWithMode, modelsMode } from './realmodels/mode.ts';
import { ModelsSwitch } from './realmodels/ModelsSwitch.tsx';

const RealDemo = lazyView(() => import('./realmodels/RealDemo.tsx').then((m) => m.RealDemo));

/** Replaces the address without a history entry, so Back still leaves the demo. */
function replaceAddress(s: DemoSettings): void {
  // demoHref knows the demo's settings only: the race chosen (models=real) is kept beside them.
  const hash = hashWithMode(demoHref(s), modelsMode(location.value.params));
  history.replaceState(history.state, '', hash);
  location.value = parseHash(hash);
}

function noteText(n: SettingNote): string {
  switch (n.param) {
    case 'preset':
      return t('demo.note.preset', { given: n.given, using: n.using });
    case 'lang':
      return t('demo.note.lang', { given: n.given });
    case 'country':
      return t('demo.note.country', { given: n.given });
    case 'queries':
      return t('demo.note.queries', { given: n.given, using: n.using });
    default: {
      const never: never = n;
      return String(never);
    }
  }
}

/** While the demo is shown: the projector theme, and `data-view` for the one-screen layout rules. */
function useDemoPage(): void {
  useEffect(() => {
    const root = document.documentElement;
    const prev = root.dataset['theme'];
    root.dataset['theme'] = 'demo';
    root.dataset['view'] = 'demo';
    return () => {
      if (prev) root.dataset['theme'] = prev;
      else delete root.dataset['theme'];
      delete root.dataset['view'];
    };
  }, []);
}

export function DemoView() {
  const params = location.value.params;
  const { settings, notes } = parseDemoSettings(params);
  useDemoPage();
  const caps = capsState.value;
  const available = caps.status === 'ready' && caps.caps.available;
  const running = runState.value.kind === 'running';
  const doc = runState.value.kind === 'done' ? lastDoc.value : null;
  const list = progress.value;
  const model = (role: 'general' | 'specialized') => doc?.workloads.find((w) => w.kind === 'model' && w.role === role);
  const general = model('general');
  const specialized = model('specialized');
  const energy = doc?.energy;
  const [stepMode, setStepMode] = useState(false);
  const [stepIndex, setStepIndex] = useState(0);
  const [fullscreen, setFullscreenState] = useState(isFullscreen());
  const [classOpen, setClassOpen] = useState(false);
  const restartPending = useRef(false);
  const steps = doc ? demoSteps(doc.workloads) : [];
  const held = heldStep.value;

  // `models=real`: the lanes show the real-models race (RealDemo has its own start and keys).
  const real = modelsMode(params) === 'real';
  // The worker holds runs only while the demo asks; leaving the demo turns it off.
  useEffect(() => setStepThrough(stepMode && !real), [stepMode, real]);
  useEffect(() => () => setStepThrough(false), []);

  const start = () => {
    if (real || !available || runState.value.kind === 'running') return;
    setStepIndex(0);
    void startRun({ preset: settings.preset, modelsOnly: true, custom: params, country: settings.country });
  };
  // One past the last step is the result panel: the story ends on the punchline.
  // Turned on over a finished race: its recap from the first phase.
  const toggleSteps = (on: boolean) => {
    setStepMode(on);
    if (on) setStepIndex(0);
  };
  const moveStep = (delta: number) => setStepIndex((i) => Math.max(0, Math.min(steps.length, i + delta)));

  // A restart asked for mid-race waits for the cancellation to settle, then starts afresh.
  useEffect(() => {
    if (!running && restartPending.current) {
      restartPending.current = false;
      start();
    }
  }, [running]);

  useEffect(() => {
    const onChange = () => setFullscreenState(isFullscreen());
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);

  const act = (a: DemoAction) => {
    // With the "your own device" dialog open, the keys are its own: Q or Esc close it, the rest waits.
    if (classOpen) {
      if (a === 'class-dialog' || a === 'leave-fullscreen') setClassOpen(false);
      return;
    }
    switch (a) {
      case 'class-dialog':
        setClassOpen(true);
        break;
      case 'start-stop':
        // In step-through mode Space goes on to the next phase (the Stop button still stops);
        // otherwise the lab cannot pause a timed measurement: stopping cancels the race cleanly.
        if (runState.value.kind !== 'running') start();
        else if (stepMode) nextStep();
        else cancelRun();
        break;
      case 'restart':
        if (runState.value.kind === 'running') {
          restartPending.current = true;
          cancelRun();
        } else start();
        break;
      case 'fullscreen':
        void setFullscreen(!isFullscreen());
        break;
      case 'leave-fullscreen':
        void setFullscreen(false);
        break;
      case 'language': {
        const next = lang.value === 'fr' ? 'en' : 'fr';
        lang.value = next;
        replaceAddress({ ...settings, lang: next });
        break;
      }
      case 'next-step':
        if (stepMode && runState.value.kind === 'running') nextStep();
        else if (stepMode) moveStep(1);
        break;
      case 'previous-step':
        if (stepMode) moveStep(-1);
        break;
      default: {
        const never: never = a;
        throw new Error(`unknown demo action ${String(never)}`);
      }
    }
  };
  const actRef = useRef(act);
  actRef.current = act;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const a = demoKeyAction(e);
      if (!a) return;
      // Space would scroll the page; the others have no default worth keeping here.
      if (a !== 'leave-fullscreen') e.preventDefault();
      actRef.current(a);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const href = hashWithMode(demoHref({ ...settings, lang: lang.value }), real ? 'real' : 'synthetic');
  return (
    <div class="demo" data-testid="demo">
      <div class="demo-top">
        <h1>{t('demo.title')}</h1>
        <div class="row demo-controls">
          {/* The real race has its own start, stop and no step mode (its replicas would wait for a "next" nobody can send). */}
          {real ? null : (
            <>
              <button class="primary" disabled={!available || running} onClick={start} data-testid="demo-start">
                {doc ? t('demo.again') : t('demo.start')}
              </button>
              <button class="danger" disabled={!running} onClick={cancelRun}>
                {t('demo.stop')}
              </button>
              <label class="toggle">
                <input type="checkbox" checked={stepMode} onChange={(e) => toggleSteps((e.target as HTMLInputElement).checked)} data-testid="step-mode" />
                {t('demo.stepMode')}
              </label>
            </>
          )}
          {fullscreenSupported() ? (
            <button onClick={() => void setFullscreen(!fullscreen)} aria-pressed={fullscreen} data-testid="fullscreen">
              {fullscreen ? t('demo.fullscreen.leave') : t('demo.fullscreen.enter')}
            </button>
          ) : null}
          <CopyLink href={href} />
          {/* Short on purpose: the controls must stay on one line at 1280 px, in French too; the key is on the button. */}
          <button onClick={() => setClassOpen(true)} aria-haspopup="dialog" title={t('classroom.button')} data-testid="class-open">
            QR <span class="sr-only">{t('classroom.button')}</span> (Q)
          </button>
        </div>
      </div>
      <p class="demo-task">{t('demo.task')}</p>
      {/* Chosen before the race: while the synthetic race runs or shows its result the switch gives
          its line back, so the ratio panel fits 1280×720 (R restarts; the address keeps models=). */}
      {!real && (running || doc) ? null : <ModelsSwitch disabled={running} />}
      {notes.length ? (
        <ul class="demo-notes small" role="status" data-testid="demo-notes">
          {notes.map((n) => (
            <li key={n.param}>{noteText(n)}</li>
          ))}
        </ul>
      ) : null}
      {!available ? <StatusCard /> : null}
      {real ? <RealDemo /> : null}
      <div class="lanes" hidden={real}>
        <Lane role="specialized" w={list.find((w) => w.role === 'specialized')} doc={doc} result={specialized} energy={energy?.perQuery.specialized} />
        <Lane role="general" w={list.find((w) => w.role === 'general')} doc={doc} result={general} energy={energy?.perQuery.general} />
      </div>
      {real ? null : stepMode && running ? (
        <LiveStep held={held} onNext={nextStep} />
      ) : stepMode && doc && stepIndex < steps.length ? (
        <StepThrough steps={steps} index={stepIndex} onMove={moveStep} />
      ) : general && specialized ? (
        <ResultPanel general={general} specialized={specialized} energy={energy} queries={settings.queries} />
      ) : null}
      {runState.value.kind === 'error' ? (
        <div class="card error" role="alert" data-testid="demo-error" data-error-name={runState.value.name}>
          <p>{runState.value.message}</p>
          <p class="small">{t(errorHintKey({ name: runState.value.name }))}</p>
        </div>
      ) : null}
      <p class="demo-keys small muted" data-testid="demo-keys">
        {t(stepMode ? 'classroom.keys.steps' : 'classroom.keys')}
      </p>
      {classOpen ? <ClassDialog settings={{ ...settings, lang: lang.value }} onClose={() => setClassOpen(false)} /> : null}
    </div>
  );
}
