import type { DossierFacts } from './access-policy';

/**
 * Who reads a dossier's access history: the patient (Mon espace santé) or a professional who has the
 * dossier open. docs/access-rules.md §12.
 */
export type HistoryReader = { kind: 'patient' } | { kind: 'professional'; nationalId: string };

/**
 * The reason someone gave for a bris de glace or Centre 15 access is shown to the patient, to the
 * professional who wrote it, and to the médecin traitant; not to other readers (assumption H1).
 */
export function mayReadAccessReason(
  reader: HistoryReader,
  entryActorId: string,
  dossier: Pick<DossierFacts, 'treatingPhysicianId'>,
): boolean {
  if (reader.kind === 'patient') return true;
  return (
    reader.nationalId === entryActorId ||
    (dossier.treatingPhysicianId !== undefined && dossier.treatingPhysicianId === reader.nationalId)
  );
}
