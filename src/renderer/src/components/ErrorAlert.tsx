import type { ReactNode } from 'react';

/**
 * An error the user has to read: announced at once by screen readers (`role="alert"`), styled as an
 * error. Renders nothing when there is nothing to say (no message, or an empty one). `id` when a
 * field points at it (`aria-describedby`).
 */
export function ErrorAlert(props: { children?: ReactNode; id?: string }): React.JSX.Element | null {
  const { children, id } = props;
  if (children === undefined || children === null || children === false || children === '') return null;
  return (
    <p id={id} className="error" role="alert">
      {children}
    </p>
  );
}
