import type { ReactNode } from 'react';

/** A form's or a dialog's buttons: « Annuler » first (it never submits), then the caller's own. */
export function FormActions(props: { onCancel(): void; children: ReactNode }): React.JSX.Element {
  return (
    <div className="form__actions">
      <button type="button" className="secondary" onClick={props.onCancel}>
        Annuler
      </button>
      {props.children}
    </div>
  );
}
