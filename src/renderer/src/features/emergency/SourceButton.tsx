import type { ClinicalEntry } from '../../../../shared/contract';
import { useStore } from '../../state/store';
import { frenchDate } from '../patient/format';

/** « Source »: opens the document the line comes from, in the documents tab, with the line marked. */
export function SourceButton({ entry, label }: { entry: ClinicalEntry; label: string }): React.JSX.Element {
  const openSource = useStore((s) => s.openSource);
  const p = entry.provenance;
  const origin = [p.documentTitle, p.author, p.date ? frenchDate(p.date) : undefined]
    .filter(Boolean)
    .join(' · ');
  return (
    <button
      type="button"
      className="link provenance no-print"
      title={origin}
      onClick={() =>
        openSource({ documentId: p.documentId, documentTitle: p.documentTitle, entryLabel: entry.label })
      }
    >
      Source
      <span className="sr-only">
        {' '}
        de « {label} » : {origin}
      </span>
    </button>
  );
}
