/**
 * An independent, deliberately naive restatement of domain.md §1 used as the oracle for the property
 * tests: each rule is a sentence turned into a boolean, with no shared helper from src/main/domain except
 * the matrix *data* (the data is the specification; the lookup logic is re-done here).
 */
import { habilitationMatrix, kindExclusions } from '../../../src/main/domain/habilitations';

export interface RefActor {
  nationalId: string;
  cardKind: 'cps' | 'cpe' | 'cpf';
  professionCode: string;
  specialtyCode?: string;
  centre15Regulation?: boolean;
}
export interface RefDossier {
  status: 'active' | 'closed';
  treatingPhysicianId?: string;
  blockedProfessionalIds: string[];
  authorizedProfessionalIds: string[];
  brisDeGlaceOpposition: boolean;
  centre15Opposition: boolean;
}
export interface RefDoc {
  category: string;
  kind?: string;
  authorId?: string;
  visibility: { maskedFromProfessionals: boolean };
}
export type Mode = 'normal' | 'bris_de_glace' | 'centre_15';

function code(actor: RefActor): string {
  const raw = actor.professionCode.trim();
  return raw.toUpperCase().startsWith('G15_') ? raw.slice(4) : raw;
}

function matrixRow(actor: RefActor): readonly string[] | undefined {
  const entries = Object.entries(habilitationMatrix) as [string, readonly string[]][];
  return entries.find(([profession]) => profession === code(actor))?.[1];
}

export function refIsHealthProfessional(actor: RefActor): boolean {
  return matrixRow(actor) !== undefined;
}

export function refIsTreating(actor: RefActor, d: RefDossier): boolean {
  return d.treatingPhysicianId === actor.nationalId;
}

export function refMayOpen(actor: RefActor, d: RefDossier, mode: Mode): boolean {
  const secretary = actor.cardKind === 'cpe';
  const blocked = d.blockedProfessionalIds.includes(actor.nationalId) && !refIsTreating(actor, d);
  const inCareTeam = refIsTreating(actor, d) || d.authorizedProfessionalIds.includes(actor.nationalId);
  const emergencyProfession = actor.cardKind === 'cps' && ['10', '50', '60', '69'].includes(code(actor));
  const regulator = actor.cardKind === 'cps' && code(actor) === '10' && actor.centre15Regulation === true;
  const modeOk =
    (mode === 'normal' && inCareTeam) ||
    (mode === 'bris_de_glace' && emergencyProfession && !d.brisDeGlaceOpposition) ||
    (mode === 'centre_15' && regulator && !d.centre15Opposition);
  return !secretary && refIsHealthProfessional(actor) && d.status === 'active' && !blocked && modeOk;
}

export function refMayOpenWithReason(
  actor: RefActor,
  d: RefDossier,
  mode: Mode,
  reason: string | undefined,
): boolean {
  const reasonOk = mode !== 'bris_de_glace' || (reason !== undefined && reason.trim().length > 0);
  return refMayOpen(actor, d, mode) && reasonOk;
}

export function refMatrixAllows(actor: RefActor, doc: RefDoc): boolean {
  const row = matrixRow(actor);
  if (!row || !row.includes(doc.category)) return false;
  const excluded =
    (Object.entries(kindExclusions) as [string, readonly string[]][]).find(([p]) => p === code(actor))?.[1] ??
    [];
  return doc.kind === undefined || !excluded.includes(doc.kind);
}

export function refMayRead(actor: RefActor, d: RefDossier, mode: Mode, doc: RefDoc): boolean {
  const author = doc.authorId !== undefined && doc.authorId === actor.nationalId;
  const seesMasked = author || refIsTreating(actor, d);
  return (
    refMayOpen(actor, d, mode) &&
    (!doc.visibility.maskedFromProfessionals || seesMasked) &&
    (author || refMatrixAllows(actor, doc))
  );
}
