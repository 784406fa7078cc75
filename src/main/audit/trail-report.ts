import type { StoreRecovery } from '../store/engine';
import { recoveryNoticeMessage } from '../app/user-messages';
import type { AuditEntry } from './audit-entry';
import { compareWithCheckpoints, type CheckpointFile } from './checkpoints';
import { describeAuditVerdict, type AuditChainVerdict } from './verify';

/** What `audit verify` prints: notices (information) and failures (each one makes it exit 1). */
export interface AuditTrailReport {
  ok: boolean;
  notices: string[];
  failures: string[];
  /** One French line: « intègre » or the first cause. */
  summary: string;
}

/**
 * Everything that says the audit trail may not be whole, gathered in one verdict: the store's own
 * recovery (a dropped journal tail or a fallback to the previous snapshot means acknowledged
 * writes may be gone), the chain and its HMACs, and the signed checkpoints kept outside the store.
 */
export function assessAuditTrail(input: {
  verdict: AuditChainVerdict;
  entries: readonly AuditEntry[];
  checkpoints: CheckpointFile;
  recovery: StoreRecovery;
}): AuditTrailReport {
  const { verdict, entries, checkpoints, recovery } = input;
  const notices = recovery.notices.map(recoveryNoticeMessage);
  const failures: string[] = [];
  if (recovery.droppedJournalTail) {
    failures.push(
      `La fin du journal des données est illisible (${recovery.droppedJournalTail.bytes} octet(s) écartés) : des enregistrements ont été tronqués ou modifiés.`,
    );
  }
  if (recovery.usedPreviousSnapshot) {
    failures.push(
      'Le fichier principal des données est inutilisable : seule la copie précédente a pu être lue, les données vérifiées peuvent être anciennes.',
    );
  }
  if (!verdict.ok) failures.push(describeAuditVerdict(verdict));
  else if (verdict.unauthenticatedPrefix) {
    notices.push(
      `Les ${verdict.unauthenticatedPrefix} première(s) entrée(s) ont été écrites avant l’authentification des entrées (HMAC) ; elles restent protégées par le chaînage des suivantes.`,
    );
  }
  failures.push(...checkpoints.problems.map((p) => `Point de contrôle falsifié : ${p}.`));
  if (checkpoints.tornLastLine)
    notices.push(
      'La dernière ligne du fichier des points de contrôle est incomplète (arrêt brutal pendant son écriture) ; elle est ignorée.',
    );
  if (checkpoints.missing && entries.length > 0) {
    failures.push(
      'Le fichier des points de contrôle signés (audit-checkpoints.log) est absent : la fin du journal ne peut pas être garantie.',
    );
  }
  const behind = compareWithCheckpoints(entries, checkpoints.checkpoints);
  if (behind) failures.push(`Journal d’audit en retard sur ses points de contrôle : ${behind}.`);
  const ok = failures.length === 0;
  const last = checkpoints.checkpoints.at(-1);
  const summary = ok
    ? `${describeAuditVerdict(verdict)}${last ? ` Dernier point de contrôle signé : entrée n° ${last.seq} (${last.at}).` : ''}`
    : `Journal d’audit NON vérifié : ${failures[0]}`;
  return { ok, notices, failures, summary };
}
