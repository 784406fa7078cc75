import { Dialog } from './Dialog';
import { FormActions } from './FormActions';

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
      <FormActions onCancel={props.onClose}>
        <button type="button" className="danger" onClick={props.onConfirm}>
          {props.confirmLabel ?? 'Confirmer'}
        </button>
      </FormActions>
    </Dialog>
  );
}
