/**
 * The dataset's measured power profiles: per adapter and sensor, how many results were estimated
 * with a power sensor's profile, and the medians of their idle power and ΔP, beside which the
 * catalog's classes can be read. One small read (GET /api/profiles/measured), shown only when the
 * dataset holds such results.
 */
import { useEffect, useState } from 'preact/hooks';
import { fmt, t } from '../../../i18n/index.ts';
import { SENSOR_COVERAGES, SENSOR_KINDS } from '../../../shared/power.ts';
import type { MeasuredProfileGroup, MeasuredProfilesListing } from '../../../shared/sensor-profile.ts';

/** A group this version can show (an older or newer server may answer something else). */
function isGroup(g: Partial<MeasuredProfileGroup> | null): g is MeasuredProfileGroup {
  return (
    typeof g === 'object' && g !== null && typeof g.vendor === 'string' && typeof g.architecture === 'string'
    && (SENSOR_KINDS as readonly unknown[]).includes(g.sensor) && (SENSOR_COVERAGES as readonly unknown[]).includes(g.coverage)
    && typeof g.count === 'number' && typeof g.medianIdleW === 'number' && typeof g.medianDeltaW === 'number'
  );
}

type Load = { kind: 'loading' } | { kind: 'ready'; groups: MeasuredProfileGroup[] } | { kind: 'error' };

async function fetchMeasured(): Promise<Load> {
  try {
    const res = await fetch('/api/profiles/measured', { headers: { accept: 'application/json' } });
    if (!res.ok) return { kind: 'error' };
    const body = (await res.json()) as MeasuredProfilesListing;
    return { kind: 'ready', groups: Array.isArray(body.groups) ? body.groups.filter(isGroup) : [] };
  } catch {
    return { kind: 'error' };
  }
}

export function MeasuredProfilesSection() {
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  useEffect(() => {
    let live = true;
    void fetchMeasured().then((l) => live && setLoad(l));
    return () => {
      live = false;
    };
  }, []);
  if (load.kind === 'loading') return null;
  return (
    <section class="card" aria-labelledby="measured-profiles-h" data-testid="dataset-measured-profiles">
      <h2 id="measured-profiles-h">{t('calibration.dataset.h')}</h2>
      {load.kind === 'error' ? <p class="small muted">{t('calibration.dataset.error')}</p> : null}
      {load.kind === 'ready' && load.groups.length === 0 ? <p class="small muted">{t('calibration.dataset.none')}</p> : null}
      {load.kind === 'ready' && load.groups.length > 0 ? (
        <>
          <p class="small">{t('calibration.dataset.intro')}</p>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('calibration.dataset.adapter')}</th>
                <th scope="col">{t('calibration.dataset.sensor')}</th>
                <th scope="col">{t('calibration.dataset.count')}</th>
                <th scope="col">{t('calibration.dataset.idle')}</th>
                <th scope="col">{t('calibration.dataset.delta')}</th>
              </tr>
            </thead>
            <tbody>
              {load.groups.map((g) => (
                <tr key={`${g.vendor}/${g.architecture}/${g.sensor}/${g.coverage}`}>
                  <td>{`${g.vendor || '?'} / ${g.architecture || '?'}`}</td>
                  <td>{`${g.sensor} (${g.coverage})`}</td>
                  <td>{g.count}</td>
                  <td>{fmt(g.medianIdleW, 3)}</td>
                  <td>{fmt(g.medianDeltaW, 3)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}
