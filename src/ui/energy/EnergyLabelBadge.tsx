/**
 * The A–E energy label of one model's per-query energy, shown beside the figure (never instead
 * of it). The letter sits on a fixed colour scale, A green to E red, so the same letter always
 * looks the same whatever else is on the page; its accessible name spells out the class, the
 * label version and the joules the class covers, since colour alone carries nothing for a
 * screen-reader user.
 */
import { fmt, t } from '../../i18n/index.ts';
import { ENERGY_LABEL_BOUNDS_J, ENERGY_LABEL_CLASSES, type EnergyClass, type EnergyLabel } from '../../shared/energy-label.ts';

/**
 * Background and text colour of each class. Fixed, not theme tokens: a class must look the same
 * in light and dark themes. Each pair has a contrast ratio of at least 4.5:1 (WCAG AA for normal
 * text), which a unit test checks.
 */
export const LABEL_COLOURS: Record<EnergyClass, { bg: string; fg: string }> = {
  A: { bg: '#1a7f37', fg: '#ffffff' },
  B: { bg: '#8bc34a', fg: '#000000' },
  C: { bg: '#fbc02d', fg: '#000000' },
  D: { bg: '#ef6c00', fg: '#000000' },
  E: { bg: '#c62828', fg: '#ffffff' },
};

/** The joules a class covers, in the reader's language: "under 0.03 J", "0.03–0.3 J", "30 J or more". */
export function classRangeText(c: EnergyClass): string {
  const i = ENERGY_LABEL_CLASSES.indexOf(c);
  const low = i > 0 ? ENERGY_LABEL_BOUNDS_J[i - 1] : undefined;
  const high = i < ENERGY_LABEL_BOUNDS_J.length ? ENERGY_LABEL_BOUNDS_J[i] : undefined;
  if (low === undefined && high !== undefined) return t('energy.label.below', { bound: fmt(high, 2) });
  if (high === undefined && low !== undefined) return t('energy.label.above', { bound: fmt(low, 2) });
  return t('energy.label.between', { low: fmt(low, 2), high: fmt(high, 2) });
}

/** "Energy class B (label-v1): 0.03–0.3 J per query". */
export function labelName(label: EnergyLabel): string {
  return t('energy.label.name', { cls: label.class, version: label.version, range: classRangeText(label.class) });
}

export function EnergyLabelBadge({ label }: { label: EnergyLabel }) {
  const colours = LABEL_COLOURS[label.class];
  const name = labelName(label);
  const straddles = label.low !== label.high;
  return (
    <span class="energy-label" data-testid="energy-label" data-class={label.class}>
      <span
        class="energy-label-letter"
        role="img"
        aria-label={name}
        title={name}
        style={{ background: colours.bg, color: colours.fg }}
      >
        {label.class}
      </span>
      {straddles ? (
        <span class="small muted energy-label-straddle" data-testid="energy-label-straddle">
          {t('energy.label.straddle', { low: label.low, high: label.high })}
        </span>
      ) : null}
    </span>
  );
}
