import { useEffect, useId, useRef } from 'react';
import { focusableWithin } from './focusable';

/**
 * A modal dialog: focus moves in on open, Tab cycles inside, Escape closes, and focus returns to
 * whatever opened it. Rendered in place (no portal) so it stays inside the app's single root.
 */
export function Dialog(props: {
  title: string;
  onClose(): void;
  children: React.ReactNode;
  tone?: 'alert';
  /** Element to focus first; defaults to the first focusable element. */
  initialFocus?: React.RefObject<HTMLElement | null>;
}): React.JSX.Element {
  const { onClose, initialFocus } = props;
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const root = ref.current;
    if (root) (initialFocus?.current ?? focusableWithin(root)[0] ?? root).focus();
    return () => opener?.focus();
  }, [initialFocus]);

  const onKeyDown = (event: React.KeyboardEvent<HTMLDivElement>): void => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      onClose();
      return;
    }
    if (event.key !== 'Tab' || !ref.current) return;
    const items = focusableWithin(ref.current);
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) {
      event.preventDefault();
      return;
    }
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <div className="dialog-backdrop">
      <div
        ref={ref}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        className={`dialog${props.tone ? ` dialog--${props.tone}` : ''}`}
        onKeyDown={onKeyDown}
      >
        <h2 id={titleId}>{props.title}</h2>
        {props.children}
      </div>
    </div>
  );
}
