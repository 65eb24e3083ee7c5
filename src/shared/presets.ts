/**
 * The suite preset names: the one list the schema, the engine, the lab plan, the UI and the
 * CLIs all read, so a new preset cannot be accepted by one and refused by another.
 */
export const PRESET_NAMES = ['ci', 'quick', 'paper', 'custom'] as const;

export type PresetName = (typeof PRESET_NAMES)[number];

export function isPresetName(s: string | null | undefined): s is PresetName {
  return typeof s === 'string' && (PRESET_NAMES as readonly string[]).includes(s);
}
