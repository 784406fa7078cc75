import { Dialog } from './Dialog';

/** A yes/no question before an action that changes what others see of the record. */
export function ConfirmDialog(props: {
  title: string;
  text: string;
  confirmLabel?: string;
  onConfirm(): void;
  onClose(): void;
}): React.JSX.Element {
  return (
    <Dialog title={props.title} onClose={props.onClose}>
      <p className="dialog__explanation">{props.text}</p>
      <div className="form__actions">
        <button type="button" className="secondary" onClick={props.onClose}>
          Annuler
        </button>
        <button type="button" className="danger" onClick={props.onConfirm}>
          {props.confirmLabel ?? 'Confirmer'}
        </button>
      </div>
    </Dialog>
  );
}
