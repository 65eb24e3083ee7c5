/** The model's inputs, and a field for each dynamic dimension (batch, sequence, …). */
import { useMemo } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { dimValues, dynamicDims, shapesForDims, status, type OnnxGraphInfo } from '../../lab/onnx-session.ts';

export function DimsForm({ info }: { info: OnnxGraphInfo }) {
  const fields = useMemo(() => dynamicDims(info.inputs), [info]);
  let shapes: Record<string, number[]> = {};
  try {
    shapes = shapesForDims(info.inputs, dimValues.value);
  } catch {
    // An expression dim that cannot be computed: the run reports it.
  }
  const running = status.value.kind === 'running';
  return (
    <>
      <h3>{t('model.onnx.inputs')}</h3>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th>{t('model.onnx.input.name')}</th>
              <th>{t('model.onnx.input.type')}</th>
              <th>{t('model.onnx.input.declared')}</th>
              <th>{t('model.onnx.input.shape')}</th>
            </tr>
          </thead>
          <tbody>
            {info.inputs.map((inp) => (
              <tr key={inp.name}>
                <td class="mono">{inp.name}</td>
                <td class="mono">{inp.type}</td>
                <td class="mono">{inp.dims ? `[${inp.dims.map((d) => d ?? '?').join(', ')}]` : t('model.onnx.input.noShape')}</td>
                <td class="mono">{shapes[inp.name] ? `[${shapes[inp.name]!.join(', ')}]` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {fields.length ? (
        <fieldset class="onnx-dims" disabled={running}>
          <legend>{t('model.onnx.dynamicDims')}</legend>
          {fields.map((f) => (
            <label key={f.key}>
              <span class="mono">{f.label}</span>
              <input
                type="number"
                min={0}
                step={1}
                value={dimValues.value[f.key] ?? f.default}
                onInput={(e) => {
                  const v = Number((e.currentTarget).value);
                  if (Number.isInteger(v) && v >= 0) dimValues.value = { ...dimValues.value, [f.key]: v };
                }}
              />
            </label>
          ))}
        </fieldset>
      ) : (
        <p class="small muted">{t('model.onnx.staticShapes')}</p>
      )}
    </>
  );
}
