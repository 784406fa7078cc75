export {
  createTestPki,
  openTestPki,
  issueHostCertificate,
  issueWorkstationCertificate,
  issueCardCertificate,
  allowsSystemCalls,
  isWorkstationCertificate,
  type Authority,
  type TestPki,
  type IssuedCertificate,
  type HostCertificateRequest,
  type WorkstationCertificateRequest,
  type CardCertificateRequest,
} from './test-pki';
export { cardSubject, readCardSubject } from './card-subject';
export { policies, authorityNames, type CardHolder, type CardKind } from './profile';
export {
  verifyProfessionalProof,
  ProfessionalProofError,
  type ProfessionalProof,
  type ProvenProfessional,
  type ProofRefusalReason,
} from './professional-proof';
