import type { AccessMode, Professional } from '../../shared/contract';
import type { AuditEvent } from '../audit/audit-entry';
import { situationIsCentre15Regulation, type Actor } from '../domain/access-policy';

/** A professional working through the UI, authenticated by card and PIN. */
export interface DmpActor {
  professional: Professional;
  mode: AccessMode;
  reason?: string;
}

/** An automated caller on this machine (CLI run by hospital IT, import of a sending system). */
export interface SystemActor {
  system: string;
  /** How it reached this workstation (e.g. the command line), said in the audit's actor name. */
  via?: string;
}

export function isSystemActor(actor: DmpActor | SystemActor): actor is SystemActor {
  return 'system' in actor;
}

export function professionalName(professional: Professional): string {
  const { firstName, lastName } = professional.holder;
  return `${firstName} ${lastName}`.trim();
}

/** What the domain rules need to know about the person acting. */
export function toDomainActor(professional: Professional): Actor {
  const holder = professional.holder;
  return {
    nationalId: holder.nationalId,
    cardKind: professional.cardKind,
    professionCode: holder.professionCode,
    ...(holder.specialtyCode ? { specialtyCode: holder.specialtyCode } : {}),
    // The situation chosen after the PIN, not "any situation on the card": a doctor who also works
    // shifts at the SAMU is a regulator only while working there.
    centre15Regulation: selectedSituationIsRegulation(professional),
    // The structure of the situation chosen after the PIN (all of the card's when none was chosen):
    // an establishment's documents are managed by the establishment.
    structureIds: (selectedSituation(professional)
      ? [selectedSituation(professional)!]
      : holder.situations
    ).flatMap((s) => (s.structureId ? [s.structureId] : [])),
  };
}

export function selectedSituation(
  professional: Professional,
): Professional['holder']['situations'][number] | null {
  const index = professional.situationIndex;
  return index === null || index === undefined ? null : (professional.holder.situations[index] ?? null);
}

export function selectedSituationIsRegulation(professional: Professional): boolean {
  const situation = selectedSituation(professional);
  return situation !== null && situationIsCentre15Regulation(situation);
}

/** The "who" part of an audit entry. */
export function auditWho(
  actor: DmpActor | SystemActor,
): Pick<AuditEvent, 'actorId' | 'actorName' | 'cardSerial' | 'profession' | 'mode' | 'reason'> {
  if (isSystemActor(actor)) {
    return {
      actorId: `system:${actor.system}`,
      actorName: `Système (${actor.system}${actor.via ? `, via ${actor.via}` : ''})`,
      cardSerial: null,
      profession: 'Système',
      mode: null,
      reason: null,
    };
  }
  return {
    actorId: actor.professional.holder.nationalId,
    actorName: professionalName(actor.professional),
    cardSerial: actor.professional.serial,
    profession: actor.professional.holder.professionLabel,
    mode: actor.mode,
    reason: actor.mode !== 'normal' && actor.reason ? actor.reason : null,
  };
}
