/**
 * Power profile: what is used and why, with four overrides: the profile a power sensor measured
 * on this adapter (kept in this browser, with a "forget" control), another catalog class, a
 * wall-meter reading, or a battery-drain calibration (coarse, cancellable, absent gracefully).
 */
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { fmt, lang, t } from '../../i18n/index.ts';
import {
  BatteryChargingError,
  CalibrationCancelledError,
  CalibrationInconclusiveError,
  POWER_PROFILES,
  profileFromBattery,
  profileFromCatalog,
  profileFromMeasuredWatts,
  profileFromSensor,
  runBatteryCalibration,
  type CalibrationPhase,
  type ProfileChoice,
} from '../../energy/index.ts';
import { runGpuLoad } from '../../lab/gpu-load.ts';
import { errorName } from '../../shared/errors.ts';
import { profileLabel as sharedProfileLabel, profileReason as sharedProfileReason } from '../../shared/catalog-text.ts';
import type { AdapterSummary } from '../../shared/result.ts';
import { profileLabel, profileReason } from './format.ts';
import { forgetSensorProfile, loadSensorProfile } from './sensor-store.ts';

function hasBatteryApi(): boolean {
  return typeof navigator !== 'undefined' && typeof (navigator as { getBattery?: unknown }).getBattery === 'function';
}

const SENSOR_OPTION = 'sensor';

export function ProfilePicker({ auto, current, onChange, adapter }: {
  auto: ProfileChoice;
  current: ProfileChoice;
  onChange: (p: ProfileChoice | null) => void;
  /** The document's adapter: its sensor profile kept in this browser is offered. */
  adapter?: Pick<AdapterSummary, 'vendor' | 'architecture' | 'isFallbackAdapter'>;
}) {
  const id = useId();
  const l = lang.value;
  const [loadW, setLoadW] = useState('');
  const [idleW, setIdleW] = useState('');
  const [invalid, setInvalid] = useState(false);
  const [kept, setKept] = useState(() => (adapter ? loadSensorProfile(adapter) : null));
  const selected = current.source === 'sensor' ? SENSOR_OPTION : current.source === 'catalog' && current.id !== auto.id ? current.id : '';
  const isSensor = current.source === 'sensor';
  const forget = () => {
    if (!adapter) return;
    forgetSensorProfile(adapter);
    setKept(null);
    if (isSensor) onChange(null);
  };

  const applyMeasured = (e: Event) => {
    e.preventDefault();
    try {
      const idle = idleW.trim() === '' ? null : Number(idleW.replace(',', '.'));
      const p = profileFromMeasuredWatts({ loadDeltaWallW: Number(loadW.replace(',', '.')), idleWallW: idle });
      onChange({ ...p, embodiedClasses: auto.embodiedClasses });
      setInvalid(false);
    } catch {
      setInvalid(true);
    }
  };

  return (
    <section class="card energy-profile" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>{t('energy.profile.title')}</h3>
      <p data-testid="profile-current">
        {t('energy.profile.current', { label: profileLabel(current, l), low: fmt(current.deltaW.low, 2), high: fmt(current.deltaW.high, 2), typ: fmt(current.deltaW.typ, 2) })}
      </p>
      <p class="small">{t('energy.profile.reason', { reason: isSensor ? sharedProfileReason(current, adapter ?? { vendor: '', architecture: '' }, l) : profileReason(current, l) })}</p>
      {isSensor ? <p class="small" data-testid="profile-sensor-note">{t('calibration.picker.note')}</p> : null}
      <p class="small">
        {t('energy.profile.confidence', { level: t(`energy.confidence.${current.confidence}`) })}
        {current.flags.includes('coarse') ? <span class="badge warn">{t('energy.flag.coarse')}</span> : null}
      </p>
      <details>
        <summary class="small">{t('energy.profile.sources')}</summary>
        <ul class="small energy-sources">
          {current.sources.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ul>
      </details>
      <div class="energy-field">
        <label for={`${id}-cls`}>{t('energy.profile.choose')}</label>
        <select
          id={`${id}-cls`}
          value={selected}
          onChange={(e) => {
            const v = (e.target as HTMLSelectElement).value;
            onChange(v === SENSOR_OPTION && kept ? profileFromSensor(kept, auto.embodiedClasses) : v && v !== SENSOR_OPTION ? profileFromCatalog(v) : null);
          }}
        >
          <option value="">{t('energy.profile.automatic')} — {profileLabel(auto, l)}</option>
          {kept || isSensor ? (
            <option value={SENSOR_OPTION}>
              {sharedProfileLabel(kept ? { id: 'sensor-measured', source: 'sensor', sensor: { kind: kept.sensor.kind, coverage: kept.sensor.coverage, samples: kept.samples, date: kept.date, adapter: kept.adapter } } : current, l)}
            </option>
          ) : null}
          {POWER_PROFILES.profiles.map((p) => (
            <option key={p.id} value={p.id}>
              {profileLabel(p, l)}: {fmt(p.deltaW.low, 2)}–{fmt(p.deltaW.high, 2)} W
            </option>
          ))}
        </select>
        {kept ? (
          <button type="button" class="small" data-testid="profile-sensor-forget" onClick={forget}>
            {t('calibration.picker.forget')}
          </button>
        ) : null}
      </div>
      <form class="energy-measured" onSubmit={applyMeasured}>
        <fieldset>
          <legend>{t('energy.profile.measuredTitle')}</legend>
          <div class="energy-field">
            <label for={`${id}-load`}>{t('energy.profile.loadW')}</label>
            <input id={`${id}-load`} inputMode="decimal" size={6} value={loadW} onInput={(e) => setLoadW((e.target as HTMLInputElement).value)} aria-invalid={invalid} />
          </div>
          <div class="energy-field">
            <label for={`${id}-idle`}>{t('energy.profile.idleW')}</label>
            <input id={`${id}-idle`} inputMode="decimal" size={6} value={idleW} onInput={(e) => setIdleW((e.target as HTMLInputElement).value)} />
          </div>
          <button type="submit">{t('energy.profile.apply')}</button>
          {invalid ? <p class="small warn-text" role="alert">{t('energy.profile.invalid')}</p> : null}
        </fieldset>
      </form>
      <BatteryCalibrationBox embodiedClasses={auto.embodiedClasses} onCalibrated={onChange} />
    </section>
  );
}

type CalState =
  | { kind: 'ready' }
  | { kind: 'running'; phase: CalibrationPhase; elapsedS: number; totalS: number; level: number }
  | { kind: 'done'; idleW: number; low: number; high: number }
  | { kind: 'error'; message: string };

function BatteryCalibrationBox({ embodiedClasses, onCalibrated }: { embodiedClasses: string[]; onCalibrated: (p: ProfileChoice) => void }) {
  const id = useId();
  const [state, setState] = useState<CalState>({ kind: 'ready' });
  const [capacity, setCapacity] = useState('50');
  const [capacityKnown, setCapacityKnown] = useState(false);
  const [minutes, setMinutes] = useState('5');
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  if (!hasBatteryApi()) {
    return (
      <section class="energy-battery" aria-labelledby={`${id}-h`}>
        <h4 id={`${id}-h`}>{t('energy.battery.title')}</h4>
        <p class="small muted" data-testid="battery-unavailable">{t('energy.battery.unavailable')}</p>
      </section>
    );
  }

  const start = async () => {
    if (typeof navigator === 'undefined' || !navigator.gpu) {
      setState({ kind: 'error', message: t('energy.battery.noGpu') });
      return;
    }
    const ac = new AbortController();
    abort.current = ac;
    const phaseMs = Math.max(1, Number(minutes)) * 60_000;
    setState({ kind: 'running', phase: 'idle', elapsedS: 0, totalS: phaseMs / 1000, level: NaN });
    try {
      const cal = await runBatteryCalibration({
        runLoad: runGpuLoad,
        idleMs: phaseMs,
        loadMs: phaseMs,
        capacityWh: Number(capacity.replace(',', '.')),
        capacityKnown,
        signal: ac.signal,
        onProgress: (p) => setState({ kind: 'running', phase: p.phase, elapsedS: Math.round(p.elapsedMs / 1000), totalS: Math.round(p.totalMs / 1000), level: p.level }),
      });
      const profile = profileFromBattery(cal, { embodiedClasses });
      setState({ kind: 'done', idleW: cal.idleW.typ, low: cal.deltaW.low, high: cal.deltaW.high });
      onCalibrated(profile);
    } catch (e) {
      // The calibration's own errors are thrown on this page (classes); the GPU load's come
      // from the worker, where only the name survives.
      const message =
        e instanceof CalibrationCancelledError
          ? t('energy.battery.cancelled')
          : e instanceof BatteryChargingError
            ? t('energy.battery.charging')
            : e instanceof CalibrationInconclusiveError
              ? t('energy.battery.inconclusive')
              : errorName(e) === 'GpuLoadUnavailableError'
                ? t('energy.battery.noGpu')
                : t('energy.battery.failed', { message: (e as Error).message });
      setState({ kind: 'error', message });
    } finally {
      abort.current = null;
    }
  };

  const running = state.kind === 'running';
  return (
    <section class="energy-battery" aria-labelledby={`${id}-h`}>
      <h4 id={`${id}-h`}>{t('energy.battery.title')}</h4>
      <p class="small">{t('energy.battery.explain')}</p>
      <div class="row">
        <label>
          {t('energy.battery.capacity')}
          <input inputMode="decimal" size={4} value={capacity} disabled={running} onInput={(e) => setCapacity((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          <input type="checkbox" checked={capacityKnown} disabled={running} onChange={(e) => setCapacityKnown((e.target as HTMLInputElement).checked)} />
          {t('energy.battery.capacityKnown')}
        </label>
        <label>
          {t('energy.battery.minutes')}
          <select value={minutes} disabled={running} onChange={(e) => setMinutes((e.target as HTMLSelectElement).value)}>
            {['2', '5', '10'].map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div class="row">
        <button type="button" class="primary" disabled={running} onClick={() => void start()}>
          {t('energy.battery.start')}
        </button>
        <button type="button" disabled={!running} onClick={() => abort.current?.abort()}>
          {t('energy.battery.cancel')}
        </button>
      </div>
      <div aria-live="polite" class="small">
        {state.kind === 'running' ? (
          <>
            <p>
              {t(state.phase === 'idle' ? 'energy.battery.idle' : 'energy.battery.load', {
                elapsed: state.elapsedS,
                total: state.totalS,
                level: Number.isFinite(state.level) ? Math.round(state.level * 100) : '—',
              })}
            </p>
            <progress max={state.totalS * 2} value={(state.phase === 'load' ? state.totalS : 0) + state.elapsedS} />
          </>
        ) : null}
        {state.kind === 'done' ? <p>{t('energy.battery.done', { idle: fmt(state.idleW, 2), low: fmt(state.low, 2), high: fmt(state.high, 2) })}</p> : null}
        {state.kind === 'error' ? <p class="warn-text">{state.message}</p> : null}
      </div>
    </section>
  );
}
