/** Grid intensity: what is used and why, a searchable country list, and a custom value. */
import { useId, useMemo, useState } from 'preact/hooks';
import { fmt, lang, t } from '../../i18n/index.ts';
import { countryName, customGrid, gridIntensity, guessCountry, listGridCountries, type GridChoice } from '../../energy/index.ts';
import { gridSource } from './format.ts';

export function gridLabel(g: GridChoice, l: string): string {
  if (g.country === 'WORLD') return t('energy.grid.world');
  if (g.country === 'CUSTOM') return t('energy.grid.custom');
  return countryName(g.country, l);
}

export function GridPicker({ grid, zone, onChange }: { grid: GridChoice; zone: string | null; onChange: (g: GridChoice) => void }) {
  const l = lang.value;
  const id = useId();
  const [query, setQuery] = useState('');
  const [custom, setCustom] = useState('');
  const [invalid, setInvalid] = useState(false);
  const all = useMemo(() => listGridCountries().map((c) => ({ ...c, name: countryName(c.code, l) })), [l]);
  const q = query.trim().toLowerCase();
  const shown = q ? all.filter((c) => c.name.toLowerCase().includes(q) || c.code.toLowerCase().includes(q)) : all;
  const countries = shown.filter((c) => !c.aggregate).sort((a, b) => a.name.localeCompare(b.name, l));
  const aggregates = shown.filter((c) => c.aggregate);

  const applyCustom = (e: Event) => {
    e.preventDefault();
    const v = Number(custom.replace(',', '.'));
    try {
      onChange(customGrid(v));
      setInvalid(false);
    } catch {
      setInvalid(true);
    }
  };

  return (
    <section class="card energy-grid" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>{t('energy.grid.title')}</h3>
      <p data-testid="grid-current">
        {grid.origin === 'user'
          ? t('energy.grid.currentUser', { country: gridLabel(grid, l), g: fmt(grid.gPerKWh, 2) })
          : t('energy.grid.current', { country: gridLabel(grid, l), g: fmt(grid.gPerKWh, 2), year: grid.year ?? t('energy.grid.yearSpan') })}
      </p>
      {grid.origin === 'default' ? <p class="small warn-text">{t('energy.grid.unknownRange')}</p> : null}
      {zone && grid.origin === 'dataset' && guessCountry(zone) === grid.country ? <p class="small muted">{t('energy.grid.guessed', { zone })}</p> : null}
      <p class="small muted" data-testid="grid-source">{t('energy.grid.source', { source: gridSource(grid, l) })}</p>
      <div class="energy-field">
        <label for={`${id}-q`}>{t('energy.grid.search')}</label>
        <input id={`${id}-q`} type="search" value={query} onInput={(e) => setQuery((e.target as HTMLInputElement).value)} autocomplete="off" />
      </div>
      <div class="energy-field">
        <label for={`${id}-c`}>{t('energy.grid.pick')}</label>
        <select
          id={`${id}-c`}
          size={6}
          value={grid.country}
          onChange={(e) => onChange(gridIntensity((e.target as HTMLSelectElement).value))}
        >
          <option value="WORLD">{t('energy.grid.world')} — 473</option>
          {countries.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name} — {fmt(c.gPerKWh, 2)}
            </option>
          ))}
          {aggregates.length ? (
            <optgroup label={t('energy.grid.aggregates')}>
              {aggregates.map((c) => (
                <option key={c.code} value={c.code}>
                  {c.code} — {fmt(c.gPerKWh, 2)}
                </option>
              ))}
            </optgroup>
          ) : null}
        </select>
      </div>
      <form class="row" onSubmit={applyCustom}>
        <label for={`${id}-v`}>{t('energy.grid.customLabel')}</label>
        <input id={`${id}-v`} inputMode="decimal" size={6} value={custom} onInput={(e) => setCustom((e.target as HTMLInputElement).value)} aria-invalid={invalid} />
        <button type="submit">{t('energy.grid.apply')}</button>
      </form>
      {invalid ? <p class="small warn-text" role="alert">{t('energy.grid.invalid')}</p> : null}
    </section>
  );
}
