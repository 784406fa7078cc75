import type { ReferenceIdentity } from '../../../../shared/contract';
import { IdentityTraits } from './IdentityTraits';

/**
 * Several identities match: shown side by side with all five traits, for a human choice. Nothing
 * is chosen by default and no name match picks one.
 */
export function IdentityCandidates(props: {
  candidates: ReferenceIdentity[];
  onChoose(index: number): void;
  busy?: boolean;
  chosen?: number | null;
}): React.JSX.Element {
  return (
    <div className="identity-candidates" role="group" aria-label="Identités possibles">
      {props.candidates.map((candidate, index) => (
        <article
          key={`${candidate.matricule}@${candidate.oid}`}
          className="identity-candidate"
          aria-label={`Identité ${index + 1}`}
        >
          <h3>Identité {index + 1}</h3>
          <IdentityTraits identity={candidate} />
          <button
            type="button"
            disabled={props.busy}
            aria-pressed={props.chosen === index ? true : undefined}
            onClick={() => props.onChoose(index)}
          >
            Choisir cette identité
          </button>
        </article>
      ))}
    </div>
  );
}
