export {
  GENESIS_HASH,
  canonicalAuditPayload,
  hashAuditEntry,
  type AuditEntry,
  type AuditEvent,
} from './audit-entry';
export {
  verifyAuditChain,
  describeAuditVerdict,
  type AuditChainVerdict,
  type AuditChainProblem,
  type AuditAnchor,
} from './verify';
export { AuditLog } from './audit-log';
export { auditMacMigration, auditSchemaMigration } from './schema';
