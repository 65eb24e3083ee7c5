/**
 * What both real-models views (the `#/` panel and the demo) do on mounting: read the race's
 * address options, apply `items=` to the choice, read the sizes once, and stop a race nobody
 * watches when the view goes (the worker runs one activity at a time: a forgotten race would
 * refuse every other run).
 */
import { useEffect } from 'preact/hooks';
import { location } from '../router.ts';
import { cancelRealRace, choice, race, raceOptions, refreshSizes, sizes, type RaceOptions } from './state.ts';

export function useRaceView(): { country: string | null; opts: RaceOptions } {
  const params = location.value.params;
  const country = params.get('country');
  const opts = raceOptions(params);
  useEffect(() => {
    if (opts.items !== undefined && choice.value.items !== opts.items) choice.value = { ...choice.value, items: opts.items };
  }, [opts.items]);
  useEffect(() => {
    if (sizes.value.kind === 'idle') void refreshSizes();
    return () => {
      if (race.value.kind === 'running') cancelRealRace();
    };
  }, []);
  return { country, opts };
}
