import type { Provenance } from '../../../../shared/contract';
import { useStore } from '../../state/store';
import { frenchDate } from '../patient/format';

/**
 * « Source »: opens the document a line comes from, in the documents tab, at the entry (its narrative
 * anchor, else its label, marked). A line merged from several documents has one button per document.
 */
export function SourceButtons(props: {
  label: string;
  sources: Provenance[];
  entryLabel?: string;
}): React.JSX.Element {
  const openSource = useStore((s) => s.openSource);
  const { label, sources } = props;
  return (
    <>
      {sources.map((p, i) => {
        const origin = [p.documentTitle, p.author, p.date ? frenchDate(p.date) : undefined]
          .filter(Boolean)
          .join(' · ');
        return (
          <button
            key={`${p.documentId}-${p.entryId ?? i}`}
            type="button"
            className="link provenance no-print"
            title={origin}
            onClick={() =>
              openSource({
                documentId: p.documentId,
                documentTitle: p.documentTitle,
                entryLabel: props.entryLabel ?? label,
                ...(p.anchor ? { anchor: p.anchor } : {}),
              })
            }
          >
            {sources.length > 1 ? `Source ${i + 1}` : 'Source'}
            <span className="sr-only">
              {' '}
              de « {label} » : {origin}
            </span>
          </button>
        );
      })}
    </>
  );
}
