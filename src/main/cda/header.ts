import { isInsOid } from '../../shared/identity/ins';
import { CdaError } from './errors';
import { codedOf, formatName, hl7DateToIso, hl7TimeToIso } from './hl7/datatypes';
import type { CdaAuthor, CdaHeader, CdaPatient } from './types';
import { attr, child, children, path, templateIdsOf, text } from './xml/tree';
import type { XmlElement } from './xml/tree';

export function readHeader(doc: XmlElement): CdaHeader {
  const idEl = child(doc, 'id');
  const root = attr(idEl, 'root');
  if (!root)
    throw new CdaError('not-cda', 'identifiant du document absent.', 'ClinicalDocument/id/@root missing');
  const extension = attr(idEl, 'extension');
  const codeEl = child(doc, 'code');
  const type = codedOf(codeEl);
  if (!type)
    throw new CdaError('not-cda', 'type de document (code LOINC) absent.', 'ClinicalDocument/code missing');

  const setIdEl = child(doc, 'setId');
  const setRoot = attr(setIdEl, 'root');
  const setExt = attr(setIdEl, 'extension');
  const version = Number.parseInt(attr(child(doc, 'versionNumber'), 'value') ?? '', 10);
  const effectiveTime = hl7TimeToIso(attr(child(doc, 'effectiveTime'), 'value'));
  const confidentiality = attr(child(doc, 'confidentialityCode'), 'code');
  const author = readAuthor(child(doc, 'author'));

  return {
    documentId: extension ? `${root}^${extension}` : root,
    ...(setRoot ? { setId: setExt ? `${setRoot}^${setExt}` : setRoot } : {}),
    ...(Number.isFinite(version) ? { versionNumber: version } : {}),
    title: text(child(doc, 'title')) || type.display || type.code,
    type,
    ...(effectiveTime ? { effectiveTime } : {}),
    ...(confidentiality ? { confidentiality } : {}),
    templateIds: templateIdsOf(doc),
    patient: readPatient(doc),
    ...(author ? { author } : {}),
  };
}

function readPatient(doc: XmlElement): CdaPatient {
  const role = path(doc, 'recordTarget', 'patientRole');
  if (!role)
    throw new CdaError('not-cda', 'patient (recordTarget) absent.', 'recordTarget/patientRole missing');
  const ids = children(role, 'id').flatMap((id) => {
    const root = attr(id, 'root');
    const extension = attr(id, 'extension');
    return root && extension ? [{ root, extension }] : [];
  });
  if (!ids.some((id) => isInsOid(id.root))) {
    throw new CdaError(
      'missing-ins',
      "INS du patient absent de l'en-tête : le document ne peut pas être rattaché à un dossier.",
      `no patientRole/id with an INS root among ${ids.length} ids`,
    );
  }
  const patient = child(role, 'patient');
  const name = child(patient, 'name');
  const families = children(name, 'family');
  const givens = children(name, 'given');
  const birthFamily = families.find((f) => attr(f, 'qualifier') === 'BR') ?? families[0];
  const usedFamily = families.find((f) => attr(f, 'qualifier') === 'CL');
  // "Prénoms" is the unqualified given (the whole list); the BR/CL ones are the first name and used first name.
  const firstNames = givens.find((g) => attr(g, 'qualifier') === undefined) ?? givens[0];
  const sex = attr(child(patient, 'administrativeGenderCode'), 'code');
  const birthDate = hl7DateToIso(attr(child(patient, 'birthTime'), 'value'));
  const birthPlaceCode = text(path(patient, 'birthplace', 'place', 'addr', 'county')) || undefined;
  return {
    ids,
    ...(birthFamily && text(birthFamily) ? { birthName: text(birthFamily) } : {}),
    ...(usedFamily && text(usedFamily) ? { usedName: text(usedFamily) } : {}),
    ...(firstNames && text(firstNames) ? { firstNames: text(firstNames) } : {}),
    ...(sex === 'M' || sex === 'F' || sex === 'U' ? { sex } : {}),
    ...(birthDate ? { birthDate } : {}),
    ...(birthPlaceCode ? { birthPlaceCode } : {}),
  };
}

/** Author of the document or of an entry (same `assignedAuthor` shape). */
export function readAuthor(author: XmlElement | undefined): CdaAuthor | undefined {
  return readAssigned(child(author, 'assignedAuthor'), child(author, 'time'));
}

/** A professional as `assignedAuthor` or `assignedEntity` (performers share the shape). */
export function readAssigned(assigned: XmlElement | undefined, timeEl?: XmlElement): CdaAuthor | undefined {
  if (!assigned) return undefined;
  const name = formatName(path(assigned, 'assignedPerson', 'name'));
  const profession = codedOf(child(assigned, 'code'));
  const nationalId = children(assigned, 'id')
    .map((id) => attr(id, 'extension'))
    .find((e) => e !== undefined && e !== '');
  const organization = text(path(assigned, 'representedOrganization', 'name')) || undefined;
  const time = hl7TimeToIso(attr(timeEl, 'value'));
  const device = text(path(assigned, 'assignedAuthoringDevice', 'softwareName')) || undefined;
  const shownName = name ?? device;
  return {
    ...(shownName ? { name: shownName } : {}),
    ...(profession ? { profession } : {}),
    ...(nationalId ? { nationalId } : {}),
    ...(organization ? { organization } : {}),
    ...(time ? { time } : {}),
  };
}
