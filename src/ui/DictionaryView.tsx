/**
 * The data dictionary of the open dataset (`#/dictionary`): every published field, its type,
 * unit, allowed values, how it is obtained and what it means, in the page's language. The same
 * table is written to docs/DATA_DICTIONARY.md (src/shared/data-dictionary.ts).
 */
import { lang, t } from '../i18n/index.ts';
import { DATA_DICTIONARY, RENDERED_TEXTS, type Obtained } from '../shared/data-dictionary.ts';

function obtainedText(o: Obtained): string {
  switch (o) {
    case 'measured':
      return t('results.dictionary.measured');
    case 'sourced':
      return t('results.dictionary.sourced');
    case 'modeled':
      return t('results.dictionary.modeled');
    case 'identifier':
      return t('results.dictionary.identifier');
    default: {
      const never: never = o;
      return String(never);
    }
  }
}

export function DictionaryView() {
  const l = lang.value;
  return (
    <section class="card" data-testid="dictionary">
      <h2>{t('results.dictionary.title')}</h2>
      <p>{t('results.dictionary.intro')}</p>
      <p class="small muted">{t('results.dictionary.obtainedHelp')}</p>
      <div class="table-wrap">
        <table class="dictionary">
          <thead>
            <tr>
              <th scope="col">{t('results.dictionary.path')}</th>
              <th scope="col">{t('results.dictionary.type')}</th>
              <th scope="col">{t('results.dictionary.unit')}</th>
              <th scope="col">{t('results.dictionary.allowed')}</th>
              <th scope="col">{t('results.dictionary.obtained')}</th>
              <th scope="col">{t('results.dictionary.meaning')}</th>
            </tr>
          </thead>
          <tbody>
            {DATA_DICTIONARY.map((f) => (
              <tr key={f.path}>
                <th scope="row"><code>{f.path}</code></th>
                <td>{f.nullable ? t('results.dictionary.orNull', { type: f.type }) : f.type}</td>
                <td>{f.unit ?? ''}</td>
                <td class="small">{f.allowed ?? ''}</td>
                <td>{obtainedText(f.obtained)}</td>
                <td>{f.meaning[l]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>{t('results.dictionary.textsTitle')}</h3>
      <p>{t('results.dictionary.textsIntro')}</p>
      <ul>
        {RENDERED_TEXTS.map((x) => (
          <li key={x.path}><code>{x.path}</code>: {x.meaning[l]}</li>
        ))}
      </ul>
    </section>
  );
}
