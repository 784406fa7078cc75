export {
  createTestPki,
  openTestPki,
  issueHostCertificate,
  issueWorkstationCertificate,
  issueCardCertificate,
  publishCrl,
  issueOcspResponderCertificate,
  writeOcspIndex,
  allowsSystemCalls,
  isWorkstationCertificate,
  type Authority,
  type TestPki,
  type IssuedCertificate,
  type HostCertificateRequest,
  type WorkstationCertificateRequest,
  type CardCertificateRequest,
  type AuthorityName,
  type CrlRequest,
} from './test-pki';
export {
  RevocationLists,
  CrlFileError,
  normalizeSerial,
  combinedRevocation,
  type RevocationStatus,
  type RevocationCheck,
} from './revocation';
export { cardSubject, readCardSubject } from './card-subject';
export { policies, authorityNames, type CardHolder, type CardKind } from './profile';
export {
  verifyProfessionalProof,
  ProfessionalProofError,
  type ProfessionalProof,
  type ProvenProfessional,
  type ProofRefusalReason,
} from './professional-proof';
