import { codedOf, formatName } from '../hl7/datatypes';
import type { ContactRole, ExtractedEntry } from '../types';
import { factsOf } from './common';
import { attr, child, children, path, text } from '../xml/tree';
import type { XmlElement } from '../xml/tree';
import { optional } from './context';

/**
 * HL7 RoleClass of a related person → how the DMP shows the relationship. CI-SIS puts the personne de
 * confiance as an informant of class NOK and the person to notify as ECON.
 */
const RELATED_ROLES: Readonly<Record<string, [string, ContactRole]>> = {
  ECON: ['Personne à prévenir', 'notify'],
  NOK: ['Personne de confiance', 'trusted'],
  GUARD: ['Tuteur', 'legal'],
  CAREGIVER: ['Aidant', 'notify'],
  PRS: ['Proche', 'notify'],
  AGNT: ['Représentant', 'legal'],
};

/** HL7 PersonalRelationshipRoleType codes in French, whatever spelling the document uses (« Soeur »). */
const RELATIONSHIPS: Readonly<Record<string, string>> = {
  SIS: 'Sœur',
  BRO: 'Frère',
  MTH: 'Mère',
  FTH: 'Père',
  SPS: 'Conjoint(e)',
  HUSB: 'Époux',
  WIFE: 'Épouse',
  DAU: 'Fille',
  SON: 'Fils',
  CHILD: 'Enfant',
  PRN: 'Parent',
  FRND: 'Ami(e)',
  NBOR: 'Voisin(e)',
  GRMTH: 'Grand-mère',
  GRFTH: 'Grand-père',
  DOMPART: 'Partenaire',
  ONESELF: 'Le patient lui-même',
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
    contacts.push(
      contact('Représentant légal', 'legal', name, codedOf(child(guardian, 'code')), telecomOf(guardian)),
    );
  }
  for (const informant of children(doc, 'informant')) {
    const related = child(informant, 'relatedEntity');
    const assigned = child(informant, 'assignedEntity');
    if (related) {
      const code = codedOf(child(related, 'code'));
      const [role, kind] = RELATED_ROLES[attr(related, 'classCode') ?? ''] ?? ['Proche', 'notify'];
      const relationship = (code ? RELATIONSHIPS[code.code] : undefined) ?? code?.display;
      contacts.push(
        contact(
          relationship ? `${role} (${relationship})` : role,
          kind,
          formatName(path(related, 'relatedPerson', 'name')),
          code,
          telecomOf(related),
        ),
      );
    } else if (assigned) {
      contacts.push(
        contact(
          'Informateur',
          'other',
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
    const treating = fn?.code === 'PCP';
    const role = treating
      ? 'Médecin traitant'
      : (fn?.display ?? PARTICIPATION_LABELS[attr(participant, 'typeCode') ?? ''] ?? 'Participant');
    const name =
      formatName(path(entity, 'associatedPerson', 'name')) ??
      (text(path(entity, 'scopingOrganization', 'name')) || undefined);
    const kind: ContactRole = treating
      ? 'treating'
      : attr(entity, 'classCode') === 'ECON'
        ? 'notify'
        : 'other';
    contacts.push(contact(role, kind, name, fn ?? codedOf(child(entity, 'code')), telecomOf(entity)));
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
  kind: ContactRole,
  name: string | undefined,
  code: ReturnType<typeof codedOf>,
  telecom: string | undefined,
): ExtractedEntry {
  return {
    kind: 'contact',
    label: name ? `${role} : ${name}` : role,
    contactRole: kind,
    ...optional('code', code),
    ...optional('detail', telecom),
    ...optional(
      'facts',
      factsOf([
        ['Rôle', role],
        ['Nom', name],
        ['Téléphone', telecom],
      ]),
    ),
    templateIds: [],
  };
}
