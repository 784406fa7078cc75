import { useId } from 'react';
import type { DocumentFilter } from '../../state/store';
import { categoryLabels } from './labels';

/** Every change applies at once: the list reloads with the filter the main process understands. */
export function DocumentFilters(props: {
  filter: DocumentFilter;
  onChange(filter: DocumentFilter): void;
}): React.JSX.Element {
  const id = useId();
  const { filter, onChange } = props;
  return (
    <form className="filters" aria-label="Filtres des documents" onSubmit={(e) => e.preventDefault()}>
      <div className="form__field">
        <label htmlFor={`${id}-cat`}>Catégorie</label>
        <select
          id={`${id}-cat`}
          value={filter.category ?? ''}
          onChange={(e) => onChange({ ...filter, category: e.target.value || undefined })}
        >
          <option value="">Toutes</option>
          {Object.entries(categoryLabels).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div className="form__field">
        <label htmlFor={`${id}-from`}>Du</label>
        <input
          id={`${id}-from`}
          type="date"
          value={filter.from ?? ''}
          onChange={(e) => onChange({ ...filter, from: e.target.value || undefined })}
        />
      </div>
      <div className="form__field">
        <label htmlFor={`${id}-to`}>Au</label>
        <input
          id={`${id}-to`}
          type="date"
          value={filter.to ?? ''}
          onChange={(e) => onChange({ ...filter, to: e.target.value || undefined })}
        />
      </div>
      <label className="inline-check">
        <input
          type="checkbox"
          checked={filter.includeArchived ?? false}
          onChange={(e) => onChange({ ...filter, includeArchived: e.target.checked || undefined })}
        />
        Inclure les archivés
      </label>
    </form>
  );
}
