import { createHash } from 'node:crypto';
import type { AccessMode, AuditAction } from '../../shared/contract';

/** The hash that precedes the first entry of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** What a caller records: who did what to which dossier. */
export interface AuditEvent {
  at: string;
  /** National id of the professional (8+RPPS / 0+ADELI) or `system:<name>` for automated actors. */
  actorId: string;
  actorName: string;
  cardSerial: string | null;
  profession: string;
  mode: AccessMode | null;
  reason: string | null;
  action: AuditAction;
  insKey: string | null;
  /** Document id, denial cause or other non-identifying detail. */
  target: string | null;
}

/** One stored row of the chain. */
export interface AuditEntry extends AuditEvent {
  seq: number;
  prevHash: string;
  hash: string;
  /**
   * HMAC-SHA-256 of `hash` under the audit key (see audit-keys.ts); null only for entries written
   * before entries were authenticated (a prefix of the chain, covered by the later MACs through
   * the hash links).
   */
  mac: string | null;
}

/**
 * Every hashed field, in one fixed order (that of the columns of audit_log before `hash`): the
 * hash covers each of them, so none can be changed without breaking the chain.
 */
export function auditFieldValues(entry: Omit<AuditEntry, 'hash' | 'mac'>): (string | number | null)[] {
  return [
    entry.seq,
    entry.at,
    entry.actorId,
    entry.actorName,
    entry.cardSerial,
    entry.profession,
    entry.mode,
    entry.reason,
    entry.action,
    entry.insKey,
    entry.target,
    entry.prevHash,
  ];
}

/**
 * JSON-encoded as an array: the same entry always serialises to the same bytes, whatever order an
 * object's keys happen to be in, and a null can never be confused with "null".
 */
export function canonicalAuditPayload(entry: Omit<AuditEntry, 'hash' | 'mac'>): string {
  return JSON.stringify(auditFieldValues(entry));
}

export function hashAuditEntry(entry: Omit<AuditEntry, 'hash' | 'mac'>): string {
  return createHash('sha256').update(canonicalAuditPayload(entry), 'utf8').digest('hex');
}
