/**
 * What both real-models views (the `#/` panel and the demo) do on mounting: read the race's
 * address options and the choice it names (`base=`, the pair, the variants, `items=`), look for
 * the pair on this page's own server before asking any size (a class downloads from the
 * teacher's machine), keep the pupils' link and the app's live region up to date, and stop a race
 * nobody watches when the view goes (the worker runs one activity at a time: a forgotten race
 * would refuse every other run).
 */
import { effect } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { location } from '../router.ts';
import { baseFromLink, consentNeeded } from './consent.ts';
import { realPupilParams, realPupilPendingHost } from './link.ts';
import { liveText } from './live.ts';
import { realAnnouncement } from '../state.ts';
import { cancelRealRace, choice, choiceFromParams, detectLocalBase, pupilParams, race, raceOptions, settleSizes, type RaceOptions } from './state.ts';

export function useRaceView(): { country: string | null; opts: RaceOptions } {
  const params = location.value.params;
  const country = params.get('country');
  const opts = raceOptions(params);
  useEffect(() => {
    if (opts.items !== undefined && choice.value.items !== opts.items) choice.value = { ...choice.value, items: opts.items };
  }, [opts.items]);
  useEffect(() => {
    // A base in the address is the link's: editing it is not agreeing to its host (consent.ts).
    const linked = params.get('base');
    if (linked !== null) baseFromLink(linked);
    const asked = choiceFromParams(params, choice.value);
    if (JSON.stringify(asked) !== JSON.stringify(choice.value)) choice.value = asked;
    void (async () => {
      if (!params.get('base')) await detectLocalBase();
      settleSizes();
    })();
    const stopLive = effect(() => {
      realAnnouncement.value = liveText(race.value);
    });
    return () => {
      stopLive();
      realAnnouncement.value = '';
      if (race.value.kind === 'running') cancelRealRace();
    };
  }, []);
  useEffect(() => {
    const stop = effect(() => {
      realPupilParams.value = pupilParams(choice.value, opts);
      const pending = consentNeeded(choice.value.base);
      realPupilPendingHost.value = pending === null ? null : new URL(pending).host;
    });
    return () => {
      stop();
      realPupilParams.value = null;
      realPupilPendingHost.value = null;
    };
  }, [opts.maxNewTokens]);
  return { country, opts };
}
