import type { ReferenceIdentity } from '../../../../shared/contract';
import { formatMatricule } from '../../../../shared/identity/ins';
import { frenchDate, sexLabel } from '../patient/format';

/** The INS and the five reference traits of one identity, always all of them: a person is told apart by the five, never by a name. */
export function IdentityTraits({ identity }: { identity: ReferenceIdentity }): React.JSX.Element {
  return (
    <dl className="identity-traits">
      <dt>Nom de naissance</dt>
      <dd>{identity.birthName}</dd>
      <dt>Prénoms</dt>
      <dd>{identity.firstNames}</dd>
      <dt>Date de naissance</dt>
      <dd>{frenchDate(identity.birthDate)}</dd>
      <dt>Sexe</dt>
      <dd>{sexLabel[identity.sex]}</dd>
      <dt>Lieu de naissance (code INSEE)</dt>
      <dd>{identity.birthPlaceCode}</dd>
      <dt>Matricule INS</dt>
      <dd className="identity-traits__ins">{formatMatricule(identity.matricule)}</dd>
    </dl>
  );
}
