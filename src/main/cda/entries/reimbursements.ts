import { codedOf, hl7TimeToIso } from '../hl7/datatypes';
import { readAssigned, readAuthor } from '../header';
import type { Coded, ExtractedEntry, ReimbursementKind } from '../types';
import { attr, child, children, path, templateIdsOf, text } from '../xml/tree';
import type { XmlElement } from '../xml/tree';
import type { EntryContext } from './context';
import { entryNarrative, labelOfCoded, optional, originalTextOf } from './context';
import { authorName, hasTemplate, joinDetail, periodOf, productOf, quantityText, related } from './common';
import { CNAM_MEDICINE_SYSTEMS, TEMPLATES } from './templates';
import { atcGroupLabel } from './labels';

/** Which reimbursed care an entry of the CNAM-HR document describes, from its templates. */
export function classifyReimbursement(act: XmlElement): ReimbursementKind {
  if (hasTemplate(act, TEMPLATES.immunization)) return 'vaccine';
  if (hasTemplate(act, TEMPLATES.medication)) return 'medicine';
  if (hasTemplate(act, TEMPLATES.medicalDevice)) return 'device';
  if (hasTemplate(act, TEMPLATES.encounter) || act.local === 'encounter') return 'stay';
  if (hasTemplate(act, TEMPLATES.procedure) || act.local === 'procedure') return 'act';
  return 'other';
}

export function readReimbursement(act: XmlElement, ctx: EntryContext): ExtractedEntry {
  const kind = classifyReimbursement(act);
  const base =
    kind === 'medicine' || kind === 'vaccine'
      ? readDispensed(act, ctx)
      : kind === 'device'
        ? readDevice(act, ctx)
        : kind === 'stay'
          ? readStay(act, ctx)
          : readAct(act, ctx);
  return {
    kind: 'reimbursement',
    reimbursementKind: kind,
    ...base,
    ...optional('sectionCode', ctx.sectionCode),
    templateIds: templateIdsOf(act),
  };
}

type Parts = Pick<
  ExtractedEntry,
  'label' | 'code' | 'detail' | 'startDate' | 'endDate' | 'author' | 'reimbursement'
>;

/** Medicines and vaccines: the CIP/UCD code, the dispensing date and pharmacy, the prescriber. */
function readDispensed(act: XmlElement, ctx: EntryContext): Parts {
  const product = productOf(act, ctx);
  const supply = related(act, 'REFR').find((r) => r.local === 'supply');
  const dispensedOn = hl7TimeToIso(attr(path(supply, 'performer', 'time'), 'value'));
  const pharmacy =
    text(path(supply, 'performer', 'assignedEntity', 'representedOrganization', 'name')) || undefined;
  const quantity = quantityText(child(supply, 'quantity'));
  const prescriber = supply ? readAuthor(child(supply, 'author'))?.name : undefined;
  const { startDate } = periodOf(act);
  return {
    label: product.name ?? entryNarrative(act, ctx) ?? 'Produit sans libellé',
    ...optional('code', cnamMedicineCode(product.codeEl) ?? codedOf(product.codeEl)),
    ...optional(
      'detail',
      joinDetail([
        quantity ? `quantité délivrée : ${quantity}` : undefined,
        pharmacy ? `délivré par ${pharmacy}` : undefined,
      ]),
    ),
    ...optional('startDate', dispensedOn ?? startDate),
    ...optional('author', prescriber ?? authorName(act)),
    reimbursement: {
      ...optional('quantity', quantity),
      ...optional('prescriber', prescriber ?? authorName(act)),
      ...optional('pharmacy', pharmacy),
      ...optional('therapeuticClass', therapeuticClassOf(product.codeEl)),
    },
  };
}

/** CNAM therapeutic group (ATC, 3 characters) of a dispensed medicine, in sentence case. */
const CNAM_ATC_SYSTEM = '1.2.250.1.215.200.1.2.1';
function therapeuticClassOf(codeEl: XmlElement | undefined): string | undefined {
  const atc = codedOf(
    children(codeEl, 'translation').find(
      (t) => attr(t, 'codeSystem') === CNAM_ATC_SYSTEM || attr(t, 'codeSystem') === '2.16.840.1.113883.6.73',
    ),
  );
  if (!atc) return undefined;
  const label = atc.display ?? atcGroupLabel(atc.code);
  return label ? label.charAt(0).toUpperCase() + label.slice(1).toLowerCase() : undefined;
}

function cnamMedicineCode(codeEl: XmlElement | undefined): Coded | undefined {
  const translation = children(codeEl, 'translation').find((t) =>
    CNAM_MEDICINE_SYSTEMS.includes(attr(t, 'codeSystem') ?? ''),
  );
  return codedOf(translation);
}

/** Medical devices (LPP): the device code sits on the DEV participant. */
function readDevice(act: XmlElement, ctx: EntryContext): Parts {
  const deviceCode = path(act, 'participant', 'participantRole', 'playingDevice', 'code');
  const supplier =
    text(path(act, 'performer', 'assignedEntity', 'representedOrganization', 'name')) || undefined;
  const deliveredOn = hl7TimeToIso(attr(path(act, 'performer', 'time'), 'value'));
  const quantity = quantityText(child(act, 'quantity'));
  const { startDate, endDate } = periodOf(act);
  return {
    label:
      codedOf(deviceCode)?.display ??
      originalTextOf(deviceCode, ctx) ??
      entryNarrative(act, ctx) ??
      'Dispositif sans libellé',
    ...optional('code', codedOf(deviceCode)),
    ...optional(
      'detail',
      joinDetail([
        quantity ? `quantité délivrée : ${quantity}` : undefined,
        supplier ? `délivré par ${supplier}` : undefined,
      ]),
    ),
    ...optional('startDate', deliveredOn ?? startDate),
    ...optional('endDate', endDate),
    ...optional('author', authorName(act)),
    reimbursement: {
      ...optional('quantity', quantity),
      ...optional('pharmacy', supplier),
      ...optional('prescriber', authorName(act)),
    },
  };
}

/** Hospital stays: the GHS/DDP code is the qualifier of the encounter code. */
function readStay(act: XmlElement, ctx: EntryContext): Parts {
  const codeEl = child(act, 'code');
  const stayCode = codedOf(path(codeEl, 'qualifier', 'value'));
  const place =
    text(path(act, 'performer', 'assignedEntity', 'representedOrganization', 'name')) || undefined;
  const { startDate, endDate } = periodOf(act);
  return {
    label: stayCode?.display ?? labelOfCoded(codeEl, ctx) ?? entryNarrative(act, ctx) ?? 'Séjour',
    ...optional('code', stayCode ?? codedOf(codeEl)),
    ...optional('detail', joinDetail([codedOf(codeEl)?.display, place ? `lieu : ${place}` : undefined])),
    ...optional('startDate', startDate),
    ...optional('endDate', endDate),
    reimbursement: { ...optional('pharmacy', place) },
  };
}

/** Medical and dental acts (CCAM/NGAP) with their performer. */
function readAct(act: XmlElement, ctx: EntryContext): Parts {
  const codeEl = child(act, 'code');
  const performer = readAssigned(path(act, 'performer', 'assignedEntity'));
  const { startDate, endDate } = periodOf(act);
  return {
    label: labelOfCoded(codeEl, ctx) ?? entryNarrative(act, ctx) ?? 'Acte',
    ...optional('code', codedOf(codeEl)),
    ...optional('detail', joinDetail([performer?.profession?.display, performer?.organization])),
    ...optional('startDate', startDate),
    ...optional('endDate', endDate),
    ...optional('author', performer?.name ?? authorName(act)),
    reimbursement: {
      ...optional('performer', performer?.name ?? performer?.organization),
      ...optional('prescriber', authorName(act)),
    },
  };
}
