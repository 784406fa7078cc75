import type { DocumentMeta } from '../../../../shared/contract';
import { documentBadges } from './labels';

export function DocumentBadges({ meta }: { meta: DocumentMeta }): React.JSX.Element {
  const badges = documentBadges(meta);
  if (badges.length === 0) return <span className="muted">Visible par tous</span>;
  return (
    <ul className="badges" aria-label="Visibilité et statut">
      {badges.map((b) => (
        <li key={b.label} className={`badge badge--${b.tone}`}>
          {b.label}
        </li>
      ))}
    </ul>
  );
}
