/** Where the model comes from: a file (picked or dropped) or a URL, with download progress. */
import { t } from '../../i18n/index.ts';
import { loadFile, loadUrl, source, status, stopDownload, url, type OnnxGraphInfo } from '../../lab/onnx-session.ts';
import { formatBytes } from '../format.ts';
import { problemMessage } from './format.ts';

export function SourceCard() {
  const s = source.value;
  const busy = s.kind === 'downloading' || status.value.kind === 'running';
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    const file = e.dataTransfer?.files[0];
    if (file && !busy) void loadFile(file);
  };
  return (
    <section class="card onnx-source" aria-labelledby="onnx-source-h">
      <h2 id="onnx-source-h">{t('model.onnx.source')}</h2>
      <div class="onnx-drop" onDragOver={(e) => e.preventDefault()} onDrop={onDrop} data-testid="onnx-drop">
        <label>
          {t('model.onnx.file')}
          <input
            type="file"
            accept=".onnx,application/octet-stream"
            disabled={busy}
            data-testid="onnx-file"
            onChange={(e) => {
              const f = (e.currentTarget).files?.[0];
              if (f) void loadFile(f);
            }}
          />
        </label>
        <span class="small muted">{t('model.onnx.dropHint')}</span>
      </div>
      <form
        class="row onnx-url"
        onSubmit={(e) => {
          e.preventDefault();
          if (url.value.trim()) void loadUrl(url.value.trim());
        }}
      >
        <label class="grow">
          {t('model.onnx.url')}
          <input
            type="url"
            value={url.value}
            placeholder="https://huggingface.co/…/resolve/main/model.onnx"
            onInput={(e) => (url.value = (e.currentTarget).value)}
            disabled={busy}
            data-testid="onnx-url"
          />
        </label>
        <button type="submit" disabled={busy || !url.value.trim()}>
          {t('model.onnx.fetch')}
        </button>
        {s.kind === 'downloading' && s.cancellable ? (
          <button type="button" class="danger" onClick={stopDownload}>
            {t('model.onnx.stopDownload')}
          </button>
        ) : null}
      </form>
      <div aria-live="polite">
        {s.kind === 'downloading' ? (
          <div>
            <span class="small">{t('model.onnx.downloading', { label: s.label, received: formatBytes(s.received), total: s.total ? formatBytes(s.total) : '?' })}</span>
            <progress max={s.total ?? undefined} value={s.total ? s.received : undefined} aria-label={t('model.onnx.downloadProgress')} />
          </div>
        ) : null}
      </div>
      {s.kind === 'error' ? (
        <p class="errors" role="alert" data-testid="onnx-source-error">
          {problemMessage(s.problem)}
        </p>
      ) : null}
      {s.kind === 'ready' ? <ModelInfo label={s.label} size={s.bytes.length} info={s.info} /> : null}
    </section>
  );
}

function ModelInfo({ label, size, info }: { label: string; size: number; info: OnnxGraphInfo }) {
  const topOps = Object.entries(info.ops)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([op, n]) => `${op} ×${n}`)
    .join(', ');
  return (
    <dl class="status-grid" data-testid="onnx-info">
      <dt>{t('model.onnx.info.name')}</dt>
      <dd class="mono">{info.graphName || label}</dd>
      <dt>{t('model.onnx.info.size')}</dt>
      <dd>{t('model.onnx.info.sizeValue', { size: formatBytes(size), weights: formatBytes(info.initializerBytes) })}</dd>
      <dt>{t('model.onnx.info.format')}</dt>
      <dd>{t('model.onnx.info.formatValue', { ir: info.irVersion, opset: info.opset ?? '?', producer: info.producer || '?' })}</dd>
      <dt>{t('model.onnx.info.nodes')}</dt>
      <dd>
        {info.nodes} <span class="small muted">({topOps})</span>
      </dd>
    </dl>
  );
}
