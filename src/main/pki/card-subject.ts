import { Name, type JsonName } from './x509';
import { attributeOids, cardHolderProblem, cardKinds, type CardHolder, type CardKind } from './profile';

/**
 * Subject of a card authentication certificate (PROJECT layout modelled on IGC-Santé, docs/cards.md §9):
 *
 *   C=FR, OU=<CPS|CPE|CPF>, serialNumber=<IDNPS>, SN=<nom>, G=<prénom>, [T=<code TRE_G15>], CN=<IDNPS>/<n° de carte>
 *
 * The national id sits in `serialNumber` (X.520's attribute for an identifier of the subject), as
 * IDNPS: the type digit (8 RPPS, 0 ADELI) followed by the identifier.
 */
export function cardSubject(holder: CardHolder, cardSerial: string): JsonName {
  const problem = cardHolderProblem(holder);
  if (problem !== undefined) throw new Error(`Card holder refused: ${problem}`);
  const rdns: JsonName = [
    { [attributeOids.country]: ['FR'] },
    { [attributeOids.organizationalUnit]: [holder.kind.toUpperCase()] },
    { [attributeOids.serialNumber]: [holder.nationalId] },
    { [attributeOids.surname]: [holder.lastName] },
    { [attributeOids.givenName]: [holder.firstName] },
  ];
  if (holder.professionCode !== '') rdns.push({ [attributeOids.title]: [holder.professionCode] });
  rdns.push({ [attributeOids.commonName]: [`${holder.nationalId}/${cardSerial}`] });
  return rdns;
}

/** The holder a card certificate's subject names, or why it names none (English, for the log). */
export function readCardSubject(subject: Name): { holder: CardHolder } | { problem: string } {
  const one = (oid: string): string | undefined => {
    const values = subject.getField(oid);
    return values.length === 1 ? values[0] : undefined;
  };
  const kind = one(attributeOids.organizationalUnit)?.toLowerCase();
  if (kind === undefined || !cardKinds.includes(kind as CardKind))
    return { problem: 'no card kind in subject' };
  const holder: CardHolder = {
    kind: kind as CardKind,
    nationalId: one(attributeOids.serialNumber) ?? '',
    lastName: one(attributeOids.surname) ?? '',
    firstName: one(attributeOids.givenName) ?? '',
    professionCode: one(attributeOids.title) ?? '',
  };
  const problem = cardHolderProblem(holder);
  return problem === undefined ? { holder } : { problem };
}
