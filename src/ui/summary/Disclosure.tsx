/**
 * One section of a finished run that opens on demand: a heading whose button says whether it is
 * open (`aria-expanded`) and controls the body. The body stays in the page while closed (hidden),
 * so its charts keep their state and a link that opens it shows it at once.
 */
import type { ComponentChildren } from 'preact';
import { t } from '../../i18n/index.ts';
import type { SectionId } from './sections.ts';

export function Disclosure({ id, open, onToggle, children }: { id: SectionId; open: boolean; onToggle: (id: SectionId, open: boolean) => void; children: ComponentChildren }) {
  const body = `section-${id}`;
  return (
    <section class="disclosure" data-testid={body} data-open={open ? 'true' : 'false'} aria-labelledby={`${body}-h`}>
      <h2 class="disclosure-h" id={`${body}-h`}>
        <button type="button" class="disclosure-toggle" aria-expanded={open} aria-controls={body} onClick={() => onToggle(id, !open)} data-testid={`toggle-${id}`}>
          {t(`guide.section.${id}`)}
        </button>
      </h2>
      <div id={body} class="disclosure-body" hidden={!open}>
        {children}
      </div>
    </section>
  );
}
