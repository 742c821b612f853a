import { useEffect, useId, useRef, type ReactNode } from 'react';
import { ApiError, errorText } from '../api';

export function ErrorMessage({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  return (
    <div className="message error" role="alert">
      {title && <strong>{title}: </strong>}
      {errorText(error)}
    </div>
  );
}

export function Loading({ what }: { what?: string }) {
  return (
    <p className="muted" role="status">
      Loading{what ? ` ${what}` : ''}…
    </p>
  );
}

export function Badge({ kind, children, title }: { kind: 'ok' | 'off' | 'warn' | 'error' | 'info'; children: ReactNode; title?: string }) {
  return (
    <span className={`badge badge-${kind}`} title={title}>
      {children}
    </span>
  );
}

/** A modal dialog: focus moves into it, Escape closes it, the page behind is inert. */
export function Dialog({ title, onClose, children, actions }: { title: string; onClose(): void; children: ReactNode; actions?: ReactNode }) {
  const id = useId();
  const ref = useRef<HTMLDivElement>(null);
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    // Focus moves in once, when the dialog opens; it returns to where it was when it closes.
    const before = document.activeElement as HTMLElement | null;
    ref.current?.querySelector<HTMLElement>('input, select, textarea, button:not([data-close])')?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && close.current();
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      before?.focus?.();
    };
  }, []);
  return (
    <div className="backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby={id} ref={ref}>
        <header className="dialog-head">
          <h2 id={id}>{title}</h2>
          <button type="button" className="icon" aria-label="Close" data-close onClick={onClose}>
            ×
          </button>
        </header>
        <div className="dialog-body">{children}</div>
        {actions && <footer className="dialog-actions">{actions}</footer>}
      </div>
    </div>
  );
}

/** Previous / next for cursor-paged lists; `page` counts from 1. */
export function Pager({ page, hasNext, onPrev, onNext, label = 'Pages', total }: { page: number; hasNext: boolean; onPrev(): void; onNext(): void; label?: string; total?: number }) {
  if (page === 1 && !hasNext) return total !== undefined ? <p className="muted">{total} in all</p> : null;
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" onClick={onPrev} disabled={page <= 1}>
        Previous page
      </button>
      <span>
        Page {page}
        {total !== undefined && ` · ${total} in all`}
      </span>
      <button type="button" onClick={onNext} disabled={!hasNext}>
        Next page
      </button>
    </nav>
  );
}

/** Client-side paging of an array already loaded. */
export function usePageOf<T>(items: T[], page: number, size: number) {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const p = Math.min(page, pages);
  return { rows: items.slice((p - 1) * size, p * size), page: p, hasNext: p < pages, pages };
}

export function Field({ label, children, hint, error }: { label: string; children: (id: string) => ReactNode; hint?: ReactNode; error?: string | null }) {
  const id = useId();
  return (
    <div className={`field${error ? ' field-error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children(id)}
      {hint && <div className="hint">{hint}</div>}
      {error && <div className="hint error-text">{error}</div>}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}

/** The per-field problems of a validation error, when there are several. */
export function ErrorDetails({ error }: { error: unknown }) {
  if (!(error instanceof ApiError) || !error.body?.errors || error.body.errors.length < 2) return null;
  return (
    <ul>
      {error.body.errors.map((e, i) => (
        <li key={i}>{e.message}</li>
      ))}
    </ul>
  );
}

