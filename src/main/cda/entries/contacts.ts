import { codedOf, formatName } from '../hl7/datatypes';
import type { ExtractedEntry } from '../types';
import { attr, child, children, path, text } from '../xml/tree';
import type { XmlElement } from '../xml/tree';
import { optional } from './context';

/** HL7 RoleClass of a related person → how the DMP shows the relationship. */
const RELATED_ROLES: Readonly<Record<string, string>> = {
  ECON: 'Personne à prévenir en cas d’urgence',
  NOK: 'Proche',
  GUARD: 'Tuteur',
  CAREGIVER: 'Aidant',
  PRS: 'Proche',
  AGNT: 'Représentant',
};

const PARTICIPATION_LABELS: Readonly<Record<string, string>> = {
  INF: 'Informateur',
  REF: 'Prescripteur',
  PRF: 'Exécutant',
  IND: 'Personne impliquée',
  CALLBCK: 'Contact pour rappel',
};

/**
 * Contacts declared in the header (VSM, DLU…): the patient's guardian, informants (personne de confiance,
 * personne à prévenir) and participants such as the médecin traitant.
 */
export function readHeaderContacts(doc: XmlElement): ExtractedEntry[] {
  const contacts: ExtractedEntry[] = [];
  const guardian = path(doc, 'recordTarget', 'patientRole', 'patient', 'guardian');
  if (guardian) {
    const name =
      formatName(path(guardian, 'guardianPerson', 'name')) ??
      (text(path(guardian, 'guardianOrganization', 'name')) || undefined);
    contacts.push(contact('Représentant légal', name, codedOf(child(guardian, 'code')), telecomOf(guardian)));
  }
  for (const informant of children(doc, 'informant')) {
    const related = child(informant, 'relatedEntity');
    const assigned = child(informant, 'assignedEntity');
    if (related) {
      const code = codedOf(child(related, 'code'));
      const role = RELATED_ROLES[attr(related, 'classCode') ?? ''] ?? 'Proche';
      contacts.push(
        contact(
          code?.display ? `${role} (${code.display})` : role,
          formatName(path(related, 'relatedPerson', 'name')),
          code,
          telecomOf(related),
        ),
      );
    } else if (assigned) {
      contacts.push(
        contact(
          'Informateur',
          formatName(path(assigned, 'assignedPerson', 'name')) ??
            (text(path(assigned, 'representedOrganization', 'name')) || undefined),
          codedOf(child(assigned, 'code')),
          telecomOf(assigned),
        ),
      );
    }
  }
  for (const participant of children(doc, 'participant')) {
    const entity = child(participant, 'associatedEntity');
    if (!entity) continue;
    const fn = codedOf(child(participant, 'functionCode'));
    const role = fn?.display ?? PARTICIPATION_LABELS[attr(participant, 'typeCode') ?? ''] ?? 'Participant';
    const name =
      formatName(path(entity, 'associatedPerson', 'name')) ??
      (text(path(entity, 'scopingOrganization', 'name')) || undefined);
    contacts.push(contact(role, name, fn ?? codedOf(child(entity, 'code')), telecomOf(entity)));
  }
  return contacts;
}

function telecomOf(el: XmlElement): string | undefined {
  const values = children(el, 'telecom')
    .map((t) => attr(t, 'value'))
    .filter((v): v is string => v !== undefined)
    .map((v) => v.replace(/^(tel|mailto|fax):/, ''));
  return values.length > 0 ? values.join(', ') : undefined;
}

function contact(
  role: string,
  name: string | undefined,
  code: ReturnType<typeof codedOf>,
  telecom: string | undefined,
): ExtractedEntry {
  return {
    kind: 'contact',
    label: name ? `${role} : ${name}` : role,
    ...optional('code', code),
    ...optional('detail', telecom),
    templateIds: [],
  };
}
