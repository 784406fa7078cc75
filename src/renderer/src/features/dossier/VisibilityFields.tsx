import { useId } from 'react';
import type { Visibility } from '../../../../shared/contract';
import { visibilityChoices } from './visibility-choices';

/** The three DMP visibility flags as checkboxes; the main process enforces which combinations are allowed. */
export function VisibilityFields(props: {
  value: Visibility;
  onChange(value: Visibility): void;
}): React.JSX.Element {
  const id = useId();
  return (
    <fieldset>
      <legend>Visibilité</legend>
      {visibilityChoices.map((choice) => (
        <div key={choice.key} className="check-with-hint">
          <label className="inline-check">
            <input
              type="checkbox"
              checked={props.value[choice.key]}
              onChange={(e) => props.onChange({ ...props.value, [choice.key]: e.target.checked })}
              aria-describedby={`${id}-${choice.key}-hint`}
            />
            {choice.label}
          </label>
          <span id={`${id}-${choice.key}-hint`} className="hint">
            {choice.hint}
          </span>
        </div>
      ))}
    </fieldset>
  );
}
