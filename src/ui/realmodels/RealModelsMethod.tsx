/** The methodology page's section on the real-models race: what is measured and how it compares. */
import './strings.ts';
import { t } from '../../i18n/index.ts';

export function RealModelsMethod() {
  return (
    <section data-testid="methodology-real-models">
      <h2>{t('realmodels.method.h')}</h2>
      <p>{t('realmodels.method.what')}</p>
      <p>{t('realmodels.method.timing')}</p>
      <p>{t('realmodels.method.accuracy')}</p>
      <p>{t('realmodels.method.perCorrect')}</p>
      <p>{t('realmodels.method.synthetic')}</p>
      <p>{t('realmodels.method.download')}</p>
    </section>
  );
}
