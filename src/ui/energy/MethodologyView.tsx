/**
 * The methodology page (#/methodology), French and English: what is measured, what is
 * estimated, every formula, every data source with licence and year, known limits, calibration.
 * Numbers in the formulas come from data/constants.json so the page cannot drift from the model.
 */
import { lang, t } from '../../i18n/index.ts';
import constants from '../../../data/constants.json';
import { FORMULAS_VERSION } from '../../energy/index.ts';
import { MIN_BATCH_MS, MIN_WALL_BATCH_MS } from '../../shared/batch-targets.ts';
import { ENERGY_LABEL_CLASSES, ENERGY_LABEL_VERSION } from '../../shared/energy-label.ts';
import { MAX_SENSOR_DELTA_W, MAX_SENSOR_IDLE_W, SENSOR_SPREAD } from '../../shared/sensor-profile.ts';
import { EnergyLabelBadge, classRangeText } from './EnergyLabelBadge.tsx';
import './energy.css';
import { RealModelsMethod } from '../realmodels/RealModelsMethod.tsx';

interface SourceRow { name: string; url: string; useKey: string; licence: string; year: string }

const SOURCES: SourceRow[] = [
  { name: 'Frugal AI Lab power profiles (data/power-profiles.json): NVIDIA, AMD, Intel specifications; AnandTech, Eclectic Light measurements', url: 'https://www.anandtech.com/show/17024/apple-m1-max-performance-review', useKey: 'energy.method.src.profiles', licence: 'CC BY 4.0 (own curation; cited facts)', year: '2017–2025' },
  { name: 'Ember, via @tgwf/co2 0.19.0 (Green Web Foundation)', url: 'https://ember-energy.org/data/', useKey: 'energy.method.src.ember', licence: 'Ember data CC BY 4.0 (co2.js README: CC BY-SA 4.0); co2.js Apache-2.0', year: `${constants.grid.dataYearsSpan.from}–${constants.grid.dataYearsSpan.to} (${constants.grid.datasetRefreshed})` },
  { name: 'IANA tzdb zone1970.tab', url: 'https://www.iana.org/time-zones', useKey: 'energy.method.src.tzdb', licence: 'Public domain', year: '2025' },
  { name: 'ADEME Base IMPACTS, via Boavizta (figures cited)', url: 'https://github.com/Boavizta/boaviztapi', useKey: 'energy.method.src.embodied', licence: 'Figures cited; Boavizta code AGPL-3.0 not copied', year: '—' },
  { name: 'Apple Product Environmental Report, MacBook Pro 14-inch (2021)', url: 'https://www.apple.com/environment/', useKey: 'energy.method.src.apple', licence: 'Figures cited', year: '2021' },
  { name: 'Luccioni, Jernite & Strubell, Power Hungry Processing, FAccT 2024', url: 'https://arxiv.org/abs/2311.16863', useKey: 'energy.method.src.php', licence: 'CC BY 4.0 (arXiv version)', year: '2024' },
  { name: 'US EPA equivalencies; US DOE; UK DESNZ conversion factors', url: 'https://www.epa.gov/energy/greenhouse-gas-equivalencies-calculator-calculations-and-references', useKey: 'energy.method.src.equiv', licence: 'Public domain (US); Open Government Licence v3.0 (UK)', year: '2024' },
];

const A = constants.assumptions;
const FORMULAS = `E_marg [J]  = (ΔP_gpu · k · t_busy + ΔP_host · t_wall) / η
E_attr [J]  = E_marg + P_idle · t_wall / η
E [Wh]      = E [J] / 3600          per 1,000 queries: 1000 · E [J] / 3600
CO2_op [g]  = E_marg [J] / 3.6e6 · CI [gCO2e/kWh]
CO2_emb [g] = kgCO2e · 1000 · t_wall / (lifetime_years · 3.156e7)   (÷ use ratio 0.3 for the upper bound)
ratio       = E_marg(general) / E_marg(specialized)   (same ΔP_gpu, ΔP_host, η draws)

ΔP_host ~ Tri(${A.hostW.low}, ${A.hostW.typ}, ${A.hostW.high}) W    η ~ U(${A.eta.low}, ${A.eta.high})    k ~ U(${1 - A.boundSpread.value}, ${1 + A.boundSpread.value})
P_idle  ~ Tri(idle_low, profile.idleW, idle_high) W
CI: ${constants.grid.worldDefaultGPerKWh} gCO2e/kWh world default (range ${constants.grid.unknownRangeGPerKWh.low}–${constants.grid.unknownRangeGPerKWh.high}), ±${constants.grid.knownRelativeError * 100} % for a known country`;

export function MethodologyView() {
  // Subscribe to the language signal so the page re-renders when it changes.
  void lang.value;
  return (
    <article class="card methodology" data-testid="methodology">
      <h1>{t('energy.method.title')}</h1>
      <p>{t('energy.method.intro')}</p>

      <section>
        <h2>{t('energy.method.measured.h')}</h2>
        <p>{t('energy.method.measured.body')}</p>
      </section>

      <section>
        <h2>{t('energy.method.estimated.h')}</h2>
        <p>{t('energy.method.estimated.body')}</p>
      </section>

      <section>
        <h2>{t('energy.method.formulas.h')}</h2>
        <p>{t('energy.method.formulas.intro')}</p>
        <pre aria-label={t('energy.method.formulas.h')}>{FORMULAS}</pre>
        <p>{t('energy.method.formulas.legend')}</p>
        <p data-testid="methodology-idle">{t('energy.method.idle')}</p>
        <p>{t('energy.method.marginal')}</p>
        <p class="small muted">{FORMULAS_VERSION}</p>
      </section>

      <section>
        <h2>{t('energy.method.uncertainty.h')}</h2>
        <p>{t('energy.method.uncertainty.body')}</p>
        <p>{t('energy.method.recompute')}</p>
      </section>

      <section data-testid="methodology-provenance">
        <h2>{t('energy.method.provenance.h')}</h2>
        <p>{t('energy.method.provenance.body')}</p>
        <p>{t('energy.method.provenance.check')}</p>
      </section>

      <section data-testid="methodology-label">
        <h2>{t('energy.method.label.h')}</h2>
        <p>{t('energy.method.label.intro')}</p>
        <div class="table-wrap">
          <table class="energy-label-bounds">
            <caption class="small muted">{t('energy.method.label.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('energy.method.label.class')}</th>
                <th scope="col">{t('energy.method.label.range')}</th>
              </tr>
            </thead>
            <tbody>
              {ENERGY_LABEL_CLASSES.map((c) => (
                <tr key={c} data-class={c}>
                  <th scope="row">
                    <EnergyLabelBadge label={{ version: ENERGY_LABEL_VERSION, class: c, low: c, high: c }} />
                  </th>
                  <td class="num">{classRangeText(c)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p>{t('energy.method.label.why')}</p>
        <p>{t('energy.method.label.version')}</p>
      </section>

      <section>
        <h2>{t('energy.method.sources.h')}</h2>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('energy.method.sources.name')}</th>
                <th scope="col">{t('energy.method.sources.use')}</th>
                <th scope="col">{t('energy.method.sources.licence')}</th>
                <th scope="col">{t('energy.method.sources.year')}</th>
              </tr>
            </thead>
            <tbody>
              {SOURCES.map((s) => (
                <tr key={s.useKey}>
                  <td>
                    <a href={s.url} target="_blank" rel="noopener noreferrer">
                      {s.name}
                    </a>
                  </td>
                  <td>{t(s.useKey)}</td>
                  <td class="small">{s.licence}</td>
                  <td class="small">{s.year}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section>
        <h2>{t('energy.method.limits.h')}</h2>
        <ul>
          {['quantization', 'profile', 'synthetic', 'grid', 'embodied', 'battery'].map((k) => (
            <li key={k}>{t(`energy.method.limit.${k}`, { minMs: MIN_BATCH_MS, wallMs: MIN_WALL_BATCH_MS })}</li>
          ))}
        </ul>
      </section>

      <section>
        <h2>{t('energy.method.calibrate.h')}</h2>
        <p>{t('energy.method.calibrate.meter')}</p>
        <p>{t('energy.method.calibrate.battery')}</p>
        <p>{t('energy.method.calibrate.maintainers')}</p>
      </section>

      <section data-testid="methodology-measured-profiles">
        <h2>{t('calibration.method.h')}</h2>
        <p>{t('calibration.method.body', { spread: SENSOR_SPREAD * 100, idleMax: MAX_SENSOR_IDLE_W, deltaMax: MAX_SENSOR_DELTA_W })}</p>
        <p>{t('calibration.method.limits')}</p>
      </section>

      <RealModelsMethod />
    </article>
  );
}
