/**
 * Building an EnergyContext from what the run knows: the adapter info, battery presence and
 * the visitor's time zone (or an explicit country).
 */
import { selectProfile, type AdapterIdentity } from './profiles.ts';
import { gridIntensity, guessCountry, type GridChoice } from './grid.ts';
import { embodiedFor } from './embodied.ts';
import type { EnergyContext } from './model.ts';

export interface ContextOptions {
  hasBattery: boolean | null;
  /** ISO-3 country chosen by the user; wins over the time zone. */
  country?: string | null;
  /** IANA time zone used to guess the country when none is given. */
  timeZone?: string | null;
}

/** The automatic context: profile from the adapter, grid from the country or time zone. */
export function defaultEnergyContext(adapter: AdapterIdentity, opts: ContextOptions): EnergyContext {
  const { profile } = selectProfile(adapter, { hasBattery: opts.hasBattery });
  const country = opts.country ?? (opts.timeZone ? guessCountry(opts.timeZone) : null);
  const grid: GridChoice = gridIntensity(country);
  return { profile, grid, embodied: embodiedFor(profile.embodiedClasses) };
}
