import { GENESIS_HASH, hashAuditEntry, type AuditEntry } from './audit-entry';
import { auditMacMatches, type AuditKeys } from './audit-keys';

export type AuditChainProblem = 'edited' | 'deleted' | 'reordered' | 'truncated' | 'unauthenticated';

export type AuditChainVerdict =
  /** `unauthenticatedPrefix`: entries written before entries carried an HMAC (set when keys were given and > 0). */
  | { ok: true; count: number; unauthenticatedPrefix?: number }
  | { ok: false; count: number; firstBadSeq: number; problem: AuditChainProblem };

/** The head remembered outside the rows (count and last hash), to catch entries cut off the end. */
export interface AuditAnchor {
  count: number;
  lastHash: string;
}

/**
 * Checks a chain given in storage order (seq ascending). Each entry's hash must match its own
 * content, its prevHash must be its predecessor's hash, and seqs must run 1, 2, 3… without gaps.
 * The first failure is classified so an administrator knows what kind of tampering to look for.
 * `from`: the entries are the end of the chain, following entry `from.count` whose hash is
 * `from.lastHash` (a check from a trusted point, such as a signed checkpoint); by default the whole
 * chain from the genesis.
 */
export function verifyAuditChain(
  entries: readonly AuditEntry[],
  anchor?: AuditAnchor,
  keys?: AuditKeys,
  from: AuditAnchor = { count: 0, lastHash: GENESIS_HASH },
): AuditChainVerdict {
  const count = from.count + entries.length;
  // Entries without an HMAC may only precede the first one that has one (written before the upgrade).
  let unauthenticatedPrefix = 0;
  let seenMac = false;
  const knownHashes = new Map(entries.map((e, i) => [e.hash, i]));
  let prevHash = from.lastHash;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] as AuditEntry;
    const expectedSeq = from.count + i + 1;
    const bad = (problem: AuditChainProblem, seq = entry.seq): AuditChainVerdict => ({
      ok: false,
      count,
      firstBadSeq: seq,
      problem,
    });

    if (hashAuditEntry(entry) !== entry.hash) {
      // A row whose hash fits its content under another seq was moved, not rewritten.
      const movedFrom = entries.find(
        (other) => other.seq !== entry.seq && hashAuditEntry({ ...entry, seq: other.seq }) === entry.hash,
      );
      return bad(movedFrom ? 'reordered' : 'edited');
    }
    if (entry.seq > expectedSeq) return bad('deleted');
    if (entry.seq < expectedSeq) return bad('reordered');
    if (entry.prevHash !== prevHash) {
      const linkedTo = knownHashes.get(entry.prevHash);
      if (linkedTo !== undefined && linkedTo !== i - 1) return bad('reordered');
      // Seqs are contiguous and this row is intact: its predecessor was rewritten (hash recomputed).
      if (i > 0) return bad('edited', (entries[i - 1] as AuditEntry).seq);
      return bad('deleted');
    }
    if (keys) {
      if (entry.mac === null) {
        if (seenMac) return bad('unauthenticated');
        unauthenticatedPrefix += 1;
      } else {
        seenMac = true;
        if (!auditMacMatches(keys, entry.hash, entry.mac)) return bad('unauthenticated');
      }
    }
    prevHash = entry.hash;
  }
  if (anchor && (anchor.count !== count || anchor.lastHash !== prevHash)) {
    if (anchor.count > count) return { ok: false, count, firstBadSeq: count + 1, problem: 'truncated' };
    return { ok: false, count, firstBadSeq: Math.max(1, Math.min(anchor.count, count)), problem: 'edited' };
  }
  return unauthenticatedPrefix > 0 ? { ok: true, count, unauthenticatedPrefix } : { ok: true, count };
}

/** French explanation for an administrator, naming the first bad entry. */
export function describeAuditVerdict(verdict: AuditChainVerdict): string {
  if (verdict.ok) return `Journal d’audit intègre : ${verdict.count} entrée(s) vérifiée(s).`;
  const what: Record<AuditChainProblem, string> = {
    edited: 'son contenu a été modifié après son enregistrement',
    deleted: 'une ou plusieurs entrées qui la précèdent ont été supprimées',
    reordered: 'les entrées ont été réordonnées',
    truncated: 'des entrées ont été supprimées à la fin du journal',
    unauthenticated:
      'son authentification (HMAC) ne correspond pas : elle a été écrite ou réécrite sans la clé d’audit',
  };
  return `Journal d’audit altéré : entrée n° ${verdict.firstBadSeq} — ${what[verdict.problem]} (${verdict.count} entrée(s) lues).`;
}
