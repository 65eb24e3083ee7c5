/**
 * The `custom` preset as a form. It edits the address (the single source of truth, so a custom
 * run is a shareable link) and shows every invalid field at once, as the parser reports them.
 * The parse result comes from the run view, which also needs it to keep Run disabled. Inputs are
 * text (with a numeric keyboard), not type=number: a number input would blank an invalid value
 * from the address, hiding the very thing the visitor must fix.
 */
import { t } from '../i18n/index.ts';
import type { CustomParseResult } from '../engine/models/presets.ts';
import { modelPresetNames } from '../lab/custom.ts';
import { location } from './router.ts';

const FIELDS = ['layers', 'hidden', 'heads', 'kvHeads', 'ffn', 'vocab'] as const;
const TOKENS: { key: string; role: 's' | 'g' }[] = [
  { key: 'inputTokens', role: 's' },
  { key: 'promptTokens', role: 'g' },
  { key: 'outputTokens', role: 'g' },
];

/** A field of the preset in force, as placeholder text ('' when it has no such number). */
function placeholder(source: object | undefined, key: string): string {
  if (!source || !(key in source)) return '';
  const v: unknown = (source as Record<string, unknown>)[key];
  return typeof v === 'number' || typeof v === 'string' ? String(v) : '';
}

/** Id of the error list, for `aria-describedby` on controls that the errors block. */
export const CUSTOM_ERRORS_ID = 'custom-errors';

function setParam(key: string, value: string): void {
  const params = new URLSearchParams(location.value.params);
  if (value === '') params.delete(key);
  else params.set(key, value);
  params.set('preset', 'custom');
  window.location.hash = `#/?${params.toString()}`;
}

export function CustomForm({ parsed }: { parsed: CustomParseResult }) {
  const params = location.value.params;
  const errorFor = (field: string) => (parsed.ok ? undefined : parsed.errors.find((e) => e.field === field));
  const suite = parsed.ok ? parsed.value : null;

  const roleBlock = (role: 'specialized' | 'general', prefix: 's' | 'g') => {
    const family = role === 'specialized' ? 'encoder' : 'decoder';
    const model = suite?.[role].model;
    const baseErr = errorFor(role);
    return (
      <fieldset class="custom-role">
        <legend>{t(`results.role.${role}`)}</legend>
        <label class={baseErr ? 'invalid' : ''}>
          {t('custom.base')}
          <select
            name={role}
            value={params.get(role) ?? ''}
            aria-invalid={baseErr ? 'true' : undefined}
            onChange={(e) => setParam(role, (e.target as HTMLSelectElement).value)}
          >
            <option value="">{t('custom.default')}</option>
            {modelPresetNames(family).map((n) => (
              <option value={n} key={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        {FIELDS.map((f) => {
          const key = `${prefix}.${f}`;
          const err = errorFor(key);
          return (
            <label key={key} class={err ? 'invalid' : ''}>
              <span class="mono small">{f}</span>
              <input
                type="text"
                name={key}
                inputMode="numeric"
                value={params.get(key) ?? ''}
                placeholder={placeholder(model, f)}
                aria-invalid={err ? 'true' : undefined}
                onChange={(e) => setParam(key, (e.target as HTMLInputElement).value)}
              />
            </label>
          );
        })}
        {TOKENS.filter((x) => x.role === prefix).map(({ key }) => {
          const err = errorFor(key);
          const current = role === 'specialized' ? suite?.specialized : suite?.general;
          return (
            <label key={key} class={err ? 'invalid' : ''}>
              <span class="mono small">{key}</span>
              <input
                type="text"
                name={key}
                inputMode="numeric"
                value={params.get(key) ?? ''}
                placeholder={placeholder(current, key)}
                aria-invalid={err ? 'true' : undefined}
                onChange={(e) => setParam(key, (e.target as HTMLInputElement).value)}
              />
            </label>
          );
        })}
      </fieldset>
    );
  };

  return (
    <div class="custom-form" data-testid="custom-form">
      <div class="grid-2">
        {roleBlock('specialized', 's')}
        {roleBlock('general', 'g')}
      </div>
      {!parsed.ok ? (
        <ul class="errors" role="alert" id={CUSTOM_ERRORS_ID}>
          {parsed.errors.map((e) => (
            <li key={e.field}>{t(e.key, e.params) === e.key ? e.message : `${e.field}: ${t(e.key, e.params)}`}</li>
          ))}
        </ul>
      ) : (
        <p class="small muted">{t('custom.valid')}</p>
      )}
    </div>
  );
}
