/**
 * The pair the race will run and what it costs to download, shown before anything is fetched:
 * each model's id (the default pair, or one typed), its variant, its files with their sizes
 * ("already downloaded" when cached), the total, where the files come from (the hub or a class
 * server's base URL), the cache of this browser, and "forget downloaded models".
 */
import { useState } from 'preact/hooks';
import { t, tp } from '../../i18n/index.ts';
import type { ModelSize } from '../../lab/model-download.ts';
import type { ModelTask } from '../../lab/model-files.ts';
import { formatBytes } from '../format.ts';
import { errorHintKey } from '../errors.ts';
import { baseEdited, pageHref } from './consent.ts';
import {
  CLASSIFIER_DTYPES, GENERATOR_DTYPES, ITEM_COUNTS, cacheError, cacheFiles, choice, choiceProblems, forgetModels, isLocalBase, race, scheduleSizes, settleSizes,
  sizes, writeChoiceToAddress, type ChoiceField, type RealChoice,
} from './state.ts';

/** A choice made (a variant picked, a field left or Enter pressed): kept in the address, sized now. */
function commit(patch: Partial<RealChoice>, resize = true): void {
  // A base the visitor typed from scratch is one they chose; an edit of a link's is not (consent.ts).
  if (patch.base !== undefined) baseEdited(patch.base);
  choice.value = { ...choice.value, ...patch };
  writeChoiceToAddress();
  if (resize) settleSizes();
}

/** A keystroke in an id or the base: no request until the value is valid and stays put (state.ts `scheduleSizes`). */
function typing(field: ChoiceField, value: string): void {
  if (choice.value[field] === value) return;
  if (field === 'base') baseEdited(value);
  choice.value = { ...choice.value, [field]: value };
  scheduleSizes();
}

/** The words for an invalid base: a user name or password before its host, a host name ending in a dot (model-files.ts `checkModelBase`), or no web address at all. */
function baseProblemKey(base: string): string {
  try {
    const url = new URL(base.trim(), pageHref());
    if (url.username !== '' || url.password !== '') return 'realmodels.choice.baseUserinfo';
    if (url.hostname.endsWith('.')) return 'realmodels.choice.baseTrailingDot';
  } catch {
    // Not a URL at all: the general words.
  }
  return 'realmodels.choice.baseInvalid';
}

function Field({ field, label, value, placeholder, problem }: { field: ChoiceField; label: string; value: string; placeholder?: string; problem: string | undefined }) {
  const id = `rm-${field}`;
  return (
    <div class="rm-field">
      <label for={id}>{label}</label>
      <input
        id={id}
        name={field}
        type="text"
        spellcheck={false}
        value={value}
        placeholder={placeholder}
        aria-invalid={problem ? 'true' : undefined}
        aria-describedby={problem ? `${id}-error` : undefined}
        onInput={(e) => typing(field, (e.target as HTMLInputElement).value)}
        onChange={(e) => commit({ [field]: (e.target as HTMLInputElement).value })}
        data-testid={id}
      />
      {problem ? (
        <p class="small message-error" id={`${id}-error`} data-testid={`${id}-error`}>
          {field === 'base' ? t(baseProblemKey(value)) : t('realmodels.choice.idInvalid', { id: value })}
        </p>
      ) : null}
    </div>
  );
}

const GENERATOR_DTYPE_KEYS: Record<RealChoice['generatorDtype'], string> = {
  q4f16: 'realmodels.dtype.q4f16',
  fp16: 'realmodels.dtype.fp16',
  q4: 'realmodels.dtype.q4',
  quantized: 'realmodels.dtype.quantized',
};

/** The usual counts, and the one the address asked for (`items=`) when it is not among them. */
function itemCounts(current: number): number[] {
  const counts: number[] = [...ITEM_COUNTS];
  return counts.includes(current) ? counts : [...counts, current].sort((a, b) => a - b);
}

export function SizeList({ task, size }: { task: ModelTask; size: ModelSize }) {
  return (
    <div class="rm-size" data-testid={`size-${task}`}>
      <ul class="small">
        {size.files.map((f) => (
          <li key={f.path}>
            <span class="mono">{f.path}</span> {formatBytes(f.bytes)}
            {f.cached ? <span class="badge ok"> {t('realmodels.size.cached')}</span> : null}
          </li>
        ))}
      </ul>
      <p class="small">
        {t('realmodels.size.total', { total: formatBytes(size.total) })}
        {size.toDownload === 0 ? ` · ${t('realmodels.size.allCached')}` : ` · ${t('realmodels.size.toDownload', { bytes: formatBytes(size.toDownload) })}`}
      </p>
    </div>
  );
}

function SizeState() {
  const s = sizes.value;
  switch (s.kind) {
    case 'idle':
      return null;
    case 'loading':
      return <p class="small muted" aria-busy="true">{t('realmodels.size.loading')}</p>;
    case 'ready':
      return null;
    case 'error':
      return (
        <div class="small message-error" role="alert" data-testid="size-error" data-error-name={s.failure.name ?? ''}>
          <p>{t('realmodels.size.failed', { message: s.failure.message })}</p>
          <p>{t(errorHintKey(s.failure))}</p>
        </div>
      );
    default: {
      const never: never = s;
      return never;
    }
  }
}

function Cache() {
  const [confirming, setConfirming] = useState(false);
  const files = cacheFiles.value;
  const bytes = files?.reduce((a, f) => a + f.bytes, 0) ?? null;
  const busy = race.value.kind === 'running';
  return (
    <div class="rm-cache" data-testid="rm-cache">
      <p class="small">
        {files === null
          ? t('realmodels.cache.unknown')
          : files.length === 0
            ? t('realmodels.cache.empty')
            : tp('realmodels.cache.size', files.length, { bytes: formatBytes(bytes) })}
      </p>
      {cacheError.value ? <p class="small message-error">{cacheError.value.message}</p> : null}
      {confirming ? (
        <div class="row" role="group" aria-label={t('realmodels.cache.forget')}>
          <span class="small">{t('realmodels.cache.confirm')}</span>
          <button
            type="button"
            class="danger"
            // A race started after "forget" was clicked: forgetting now would pull the files from under its downloads.
            disabled={busy}
            onClick={() => {
              setConfirming(false);
              void forgetModels();
            }}
            data-testid="forget-yes"
          >
            {t('realmodels.cache.yes')}
          </button>
          <button type="button" onClick={() => setConfirming(false)} data-testid="forget-no">
            {t('realmodels.cache.no')}
          </button>
        </div>
      ) : (
        <button type="button" disabled={busy || !files || files.length === 0} onClick={() => setConfirming(true)} data-testid="forget">
          {t('realmodels.cache.forget')}
        </button>
      )}
    </div>
  );
}

export function ModelPanel() {
  const c = choice.value;
  const problems = choiceProblems(c);
  const running = race.value.kind === 'running';
  const s = sizes.value;
  return (
    <section class="card rm-models" aria-labelledby="rm-models-h" data-testid="rm-models">
      <h2 id="rm-models-h" tabIndex={-1}>{t('realmodels.choice.title')}</h2>
      <p class="small">{t('realmodels.choice.intro')}</p>
      <fieldset disabled={running} class="rm-choice">
        <div class="rm-model role-specialized">
          <h3>{t('results.role.specialized')}</h3>
          <Field field="classifierId" label={t('realmodels.choice.id')} value={c.classifierId} problem={problems.classifierId} />
          <label>
            {t('realmodels.choice.dtype')}{' '}
            <select value={c.classifierDtype} onChange={(e) => commit({ classifierDtype: (e.target as HTMLSelectElement).value as RealChoice['classifierDtype'] })} data-testid="rm-classifier-dtype">
              {CLASSIFIER_DTYPES.map((d) => (
                <option key={d} value={d}>
                  {d === 'fp32' ? t('realmodels.dtype.fp32') : t('realmodels.dtype.quantized')}
                </option>
              ))}
            </select>
          </label>
          {s.kind === 'ready' ? <SizeList task="classifier" size={s.classifier} /> : null}
        </div>
        <div class="rm-model role-general">
          <h3>{t('results.role.general')}</h3>
          <Field field="generatorId" label={t('realmodels.choice.id')} value={c.generatorId} problem={problems.generatorId} />
          <label>
            {t('realmodels.choice.dtype')}{' '}
            <select value={c.generatorDtype} onChange={(e) => commit({ generatorDtype: (e.target as HTMLSelectElement).value as RealChoice['generatorDtype'] })} data-testid="rm-generator-dtype">
              {GENERATOR_DTYPES.map((d) => (
                <option key={d} value={d}>
                  {t(GENERATOR_DTYPE_KEYS[d])}
                </option>
              ))}
            </select>
          </label>
          <p class="small muted">{t('realmodels.dtype.halfNote')}</p>
          {s.kind === 'ready' ? <SizeList task="generator" size={s.generator} /> : null}
        </div>
        <Field field="base" label={t('realmodels.choice.base')} value={c.base} placeholder={t('realmodels.choice.basePlaceholder')} problem={problems.base} />
        {isLocalBase(c.base) && s.kind !== 'error' ? (
          <p class="small" data-testid="rm-served-here">
            {t('realmodels.choice.servedHere')}
          </p>
        ) : null}
        <label>
          {t('realmodels.choice.items')}{' '}
          <select value={String(c.items)} onChange={(e) => commit({ items: Number((e.target as HTMLSelectElement).value) }, false)} data-testid="rm-items">
            {itemCounts(c.items).map((n) => (
              <option key={n} value={String(n)}>
                {n}
              </option>
            ))}
          </select>
        </label>
      </fieldset>
      <SizeState />
      <Cache />
    </section>
  );
}
