import type { Visibility } from '../../shared/contract/documents';

/** DMP visibility bitmask (DmpConnect-JS): 1 normal, 2 hidden from patient, 4 masked, 8 hidden from representatives. */
export const visibilityBits = {
  normal: 1,
  hiddenFromPatient: 2,
  maskedFromProfessionals: 4,
  hiddenFromLegalRepresentatives: 8,
} as const;

export function encodeVisibility(v: Visibility): number {
  const mask =
    (v.hiddenFromPatient ? visibilityBits.hiddenFromPatient : 0) |
    (v.maskedFromProfessionals ? visibilityBits.maskedFromProfessionals : 0) |
    (v.hiddenFromLegalRepresentatives ? visibilityBits.hiddenFromLegalRepresentatives : 0);
  return mask === 0 ? visibilityBits.normal : mask;
}

/** Accepts 1 alone or any combination of 2, 4 and 8; "normal" mixed with a restriction is contradictory. */
export function isValidVisibilityMask(mask: number): boolean {
  return Number.isInteger(mask) && mask >= 1 && mask <= 14 && (mask === 1 || (mask & 1) === 0);
}

export function decodeVisibility(mask: number): Visibility {
  if (!isValidVisibilityMask(mask)) {
    throw new RangeError(`Valeur de visibilité DMP invalide : ${String(mask)}.`);
  }
  return {
    hiddenFromPatient: (mask & visibilityBits.hiddenFromPatient) !== 0,
    maskedFromProfessionals: (mask & visibilityBits.maskedFromProfessionals) !== 0,
    hiddenFromLegalRepresentatives: (mask & visibilityBits.hiddenFromLegalRepresentatives) !== 0,
  };
}

export type VisibilityCheck = { ok: true } | { ok: false; message: string };

export interface DepositVisibilityContext {
  /** DMP parameter allowing a document both invisible to the patient and masked from professionals. */
  allowInvisibleAndMasked: boolean;
  /** The patient is a minor using the connexion secrète. */
  secretMinor: boolean;
}

/** Upload rules, DMP guide (devbox-santé #113). */
export function validateVisibilityAtDeposit(
  v: Visibility,
  context: DepositVisibilityContext,
): VisibilityCheck {
  if (v.hiddenFromPatient && v.maskedFromProfessionals && !context.allowInvisibleAndMasked) {
    return {
      ok: false,
      message:
        'Un document ne peut pas être à la fois non visible par le patient et masqué aux professionnels.',
    };
  }
  if (context.secretMinor && !v.hiddenFromLegalRepresentatives) {
    return {
      ok: false,
      message:
        'Ce patient mineur a demandé le secret : le document doit être rendu non visible par ses représentants légaux.',
    };
  }
  return { ok: true };
}

/** Shown before opening a document the patient or the representatives cannot see (devbox-santé #147). */
export function displayWarnings(v: Visibility): string[] {
  const warnings: string[] = [];
  if (v.hiddenFromPatient) warnings.push("Ce document n'est pas visible par le patient.");
  if (v.hiddenFromLegalRepresentatives)
    warnings.push("Ce document n'est pas visible par les représentants légaux du patient.");
  if (v.maskedFromProfessionals) warnings.push('Ce document est masqué aux autres professionnels de santé.');
  return warnings;
}

export type Badge = 'masqué' | 'non visible patient' | 'non visible représentants' | 'archivé' | 'obsolète';

/** Result-list flags, in a fixed order (devbox-santé #139). */
export function badges(doc: {
  visibility: Visibility;
  status: 'approved' | 'obsolete' | 'archived';
}): Badge[] {
  const out: Badge[] = [];
  if (doc.visibility.maskedFromProfessionals) out.push('masqué');
  if (doc.visibility.hiddenFromPatient) out.push('non visible patient');
  if (doc.visibility.hiddenFromLegalRepresentatives) out.push('non visible représentants');
  if (doc.status === 'archived') out.push('archivé');
  if (doc.status === 'obsolete') out.push('obsolète');
  return out;
}
