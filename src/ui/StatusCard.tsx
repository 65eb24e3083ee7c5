/** What the browser exposes about WebGPU, what is missing and what to do about it. */
import type { Capabilities } from '../lab/api.ts';
import { t } from '../i18n/index.ts';
import { formatBytes } from './format.ts';
import { hrefFor } from './router.ts';
import { capsState, loadCapabilities } from './state.ts';

const LIMITS_SHOWN = ['maxBufferSize', 'maxStorageBufferBindingSize', 'maxComputeWorkgroupStorageSize', 'maxComputeInvocationsPerWorkgroup'];


/**
 * `compact`: one line that opens on demand (a result is on screen and needs the room); a missing
 * WebGPU or a failed worker is always shown in full.
 */
export function StatusCard({ compact = false }: { compact?: boolean }) {
  const s = capsState.value;
  if (s.status === 'loading') {
    return (
      <section class="card" aria-busy="true" data-testid="webgpu-status">
        <h2>{t('status.title')}</h2>
        <p class="muted">{t('status.checking')}</p>
      </section>
    );
  }
  if (s.status === 'error') {
    return (
      <section class="card error" data-testid="webgpu-status" role="alert">
        <h2>{t('status.title')}</h2>
        <p>{t('status.workerFailed', { message: s.message })}</p>
        <button onClick={() => void loadCapabilities()}>{t('status.retry')}</button>
      </section>
    );
  }
  const caps = s.caps;
  if (!caps.available) {
    const advice = t(`status.advice.${caps.reason}`);
    return (
      <section class="card error" data-testid="webgpu-status" data-available="false" role="alert">
        <h2>{t('status.unavailable')}</h2>
        <p>{caps.message}</p>
        <p>{advice}</p>
        <ul class="small">
          <li>{t('status.browsers.chrome')}</li>
          <li>{t('status.browsers.firefox')}</li>
          <li>{t('status.browsers.safari')}</li>
          <li>{t('status.browsers.linux')}</li>
        </ul>
        <p class="small">
          <a href={hrefFor('methodology')}>{t('status.methodologyLink')}</a>
        </p>
        <button onClick={() => void loadCapabilities()}>{t('status.retry')}</button>
      </section>
    );
  }
  const a = caps.adapter;
  if (compact) {
    return (
      <details class="card status-compact" data-testid="webgpu-status" data-available="true">
        <summary>
          {t('status.available')} · <span data-testid="adapter-vendor">{a.vendor || t('status.notExposed')}</span> · {a.architecture || t('status.notExposed')}
        </summary>
        <AdapterDetails a={a} />
      </details>
    );
  }
  return (
    <section class="card" data-testid="webgpu-status" data-available="true">
      <h2>{t('status.available')}</h2>
      <AdapterDetails a={a} vendorTestId />
    </section>
  );
}

type Adapter = Extract<Capabilities, { available: true }>['adapter'];

function AdapterDetails({ a, vendorTestId = false }: { a: Adapter; vendorTestId?: boolean }) {
  const missing = ['timestamp-query', 'shader-f16', 'subgroups'].filter((f) => !a.features.includes(f));
  return (
    <>
      <dl class="status-grid">
        <dt>{t('status.vendor')}</dt>
        <dd data-testid={vendorTestId ? 'adapter-vendor' : undefined}>{a.vendor || t('status.notExposed')}</dd>
        <dt>{t('status.architecture')}</dt>
        <dd>{a.architecture || t('status.notExposed')}</dd>
        <dt>{t('status.features')}</dt>
        <dd>{a.features.length ? a.features.join(', ') : '—'}</dd>
        {a.subgroupMinSize ? (
          <>
            <dt>{t('status.subgroups')}</dt>
            <dd>
              {a.subgroupMinSize}–{a.subgroupMaxSize}
            </dd>
          </>
        ) : null}
        {LIMITS_SHOWN.map((k) => (
          <>
            <dt class="mono small">{k}</dt>
            <dd>{k.includes('Size') && !k.includes('Invocations') ? formatBytes(a.limits[k]) : String(a.limits[k] ?? '—')}</dd>
          </>
        ))}
      </dl>
      {a.isFallbackAdapter || a.architecture === 'swiftshader' ? <p class="badge warn">{t('status.software')}</p> : null}
      {missing.includes('timestamp-query') ? <p class="small warn-text">{t('status.noTimestamps')}</p> : null}
      {missing.length ? <p class="small muted">{t('status.missing', { features: missing.join(', ') })}</p> : null}
    </>
  );
}
