/**
 * The switch between the synthetic race and the real models: a radio group (arrow keys move
 * between the two, as for any radio group), written to the address.
 */
import { t } from '../../i18n/index.ts';
import { location } from '../router.ts';
import { MODELS_MODES, modelsMode, setModelsMode } from './mode.ts';
import './switch.css';

export function ModelsSwitch({ disabled = false }: { disabled?: boolean }) {
  const mode = modelsMode(location.value.params);
  return (
    <fieldset class="models-switch" data-testid="models-switch">
      <legend>{t('realmodels.switch.legend')}</legend>
      {MODELS_MODES.map((m) => (
        <label key={m}>
          <input
            type="radio"
            name="models-mode"
            value={m}
            checked={mode === m}
            disabled={disabled}
            onChange={() => setModelsMode(m)}
            data-testid={`models-${m}`}
          />
          {m === 'real' ? t('realmodels.switch.real') : t('realmodels.switch.synthetic')}
        </label>
      ))}
    </fieldset>
  );
}
