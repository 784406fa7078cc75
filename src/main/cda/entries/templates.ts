/** Entry template ids (IHE PCC / CI-SIS) the importer knows how to read. */
export const TEMPLATES = {
  problemConcern: '1.3.6.1.4.1.19376.1.5.3.1.4.5.2',
  problem: '1.3.6.1.4.1.19376.1.5.3.1.4.5',
  allergyConcern: '1.3.6.1.4.1.19376.1.5.3.1.4.5.3',
  allergy: '1.3.6.1.4.1.19376.1.5.3.1.4.6',
  medication: '1.3.6.1.4.1.19376.1.5.3.1.4.7',
  immunization: '1.3.6.1.4.1.19376.1.5.3.1.4.12',
  advanceDirective: '1.3.6.1.4.1.19376.1.5.3.1.4.13.7',
  procedure: '1.3.6.1.4.1.19376.1.5.3.1.4.19',
  encounter: '1.3.6.1.4.1.19376.1.5.3.1.4.14',
  /** FR-Dispositif-medical (CI-SIS). */
  medicalDevice: '1.2.250.1.213.1.1.3.20',
  /** Laboratory Observation (IHE PaLM), CI-SIS lab results. */
  labObservation: '1.3.6.1.4.1.19376.1.3.1.6',
  /** Social history observation (IHE PCC): tobacco, alcohol, exposures. */
  socialHistory: '1.3.6.1.4.1.19376.1.5.3.1.4.13.4',
  /** Severity (IHE PCC) inside an allergy or a problem. */
  severity: '1.3.6.1.4.1.19376.1.5.3.1.4.1',
  /** Problem/allergy clinical status observation (IHE PCC). */
  clinicalStatus: '1.3.6.1.4.1.19376.1.5.3.1.4.1.1',
} as const;

/** CNAM-HR "Historique des remboursements": ClinicalDocument templateId and LOINC-like type code. */
export const REIMBURSEMENT_DOCUMENT_TEMPLATE = '1.2.250.1.213.1.1.1.36';
export const REIMBURSEMENT_DOCUMENT_CODE = 'REMB';

/** CNAM code systems for dispensed medicines: CIP then UCD. */
export const CNAM_MEDICINE_SYSTEMS: readonly string[] = [
  '1.2.250.1.215.200.1.1.1',
  '1.2.250.1.215.200.1.1.2',
];
