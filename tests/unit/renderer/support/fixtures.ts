import type {
  AccessHistoryEntry,
  Beneficiary,
  ClinicalEntry,
  DocumentMeta,
  DossierRef,
  EmergencySummary,
  PatientContext,
  Professional,
  ReaderView,
  SessionState,
} from '../../../../src/shared/contract';

// All identities are the CI-SIS fictitious test patient or invented people; no real person.
export const demoInsKey = '279035121518989@1.2.250.1.213.1.4.10';

export const demoDossier: DossierRef = {
  insKey: demoInsKey,
  ins: { matricule: '279035121518989', oid: '1.2.250.1.213.1.4.10', status: 'qualified' },
  identity: { birthName: 'PAT-TROIS', firstNames: 'DOMINIQUE', birthDate: '1979-03-05', sex: 'F' },
  status: 'active',
  testIdentity: true,
};

export function doctor(overrides: Partial<Professional['holder']> = {}): Professional {
  return {
    reader: 'Lecteur CPS',
    cardKind: 'cps',
    serial: '0000000001',
    holder: {
      nationalId: '810000000001',
      nationalIdType: 'RPPS',
      lastName: 'MEDECIN',
      firstName: 'Paul',
      professionCode: '10',
      professionLabel: 'Médecin',
      specialtyLabel: 'Médecine générale',
      situations: [],
      ...overrides,
    },
  };
}

export function secretary(): Professional {
  return {
    reader: 'Lecteur CPS',
    cardKind: 'cpe',
    serial: '0000000009',
    holder: {
      nationalId: '0000000009',
      nationalIdType: 'ADELI',
      lastName: 'ACCUEIL',
      firstName: 'Claire',
      professionCode: '',
      professionLabel: 'Secrétaire médicale',
      situations: [],
    },
  };
}

export const parent: Beneficiary = {
  index: 0,
  lastName: 'FAMILLE',
  firstName: 'Jeanne',
  birthDate: '1979-03-05',
  nir: '279035121518989',
  nirKeyValid: true,
};
export const child: Beneficiary = {
  index: 1,
  lastName: 'FAMILLE',
  firstName: 'Léo',
  birthDate: '2015-06-12',
  nir: '279035121518989',
  nirKeyValid: true,
};

export function patientContext(overrides: Partial<PatientContext> = {}): PatientContext {
  return {
    beneficiaries: [],
    selectedIndex: null,
    source: 'search',
    keepOpen: false,
    dossier: demoDossier,
    access: { mode: 'normal', since: '2026-11-23T10:00:00.000Z' },
    ...overrides,
  };
}

export function session(overrides: Partial<SessionState> = {}): SessionState {
  return {
    status: 'authenticated',
    professional: doctor(),
    pin: { triesLeft: 3, triesMax: 3, blocked: false },
    patient: null,
    ...overrides,
  };
}

const vsmSource = {
  documentId: 'doc-vsm',
  documentTitle: 'Synthèse VSM',
  author: 'Dr Paul MEDECIN',
  date: '2022-01-15',
};

function entry(id: string, label: string, extra: Partial<ClinicalEntry> = {}): ClinicalEntry {
  return {
    id,
    label,
    provenance: vsmSource,
    sources: [vsmSource],
    ...extra,
  };
}

export function summary(overrides: Partial<EmergencySummary> = {}): EmergencySummary {
  return {
    dossier: demoDossier,
    allergies: [entry('a1', 'Paracétamol', { detail: 'urticaire' })],
    medications: [
      entry('m1', 'PLAVIX 75 mg', {
        detail: '1 cp par jour',
        startDate: '2021-05-01',
        author: 'Dr Paul MEDECIN',
      }),
    ],
    problems: [],
    immunizations: [],
    reimbursements: [
      { label: 'KARDEGIC 75 mg', kind: 'medicine', count: 4, lastDate: '2026-09-01', entries: [] },
    ],
    contacts: [],
    advanceDirectives: [],
    latestDocuments: [],
    generatedAt: '2026-11-23T10:15:00.000Z',
    dossierUpdatedAt: '2026-10-02T09:00:00.000Z',
    otherMedications: [],
    devices: [],
    procedures: [],
    riskFactors: [],
    labResults: [],
    noneKnown: [],
    reimbursementLines: [],
    trustedPersons: [],
    treatingPhysicians: [],
    ...overrides,
  };
}

export function documentMeta(overrides: Partial<DocumentMeta> = {}): DocumentMeta {
  return {
    id: 'doc-1',
    insKey: demoInsKey,
    title: 'Compte rendu de consultation',
    typeCode: '11488-4',
    typeLabel: 'Compte rendu de consultation',
    category: 'comptes_rendus',
    format: 'cda-structured',
    author: 'Dr Paul MEDECIN',
    date: '2026-10-02',
    depositedAt: '2026-10-02T09:00:00.000Z',
    status: 'approved',
    visibility: {
      hiddenFromPatient: false,
      maskedFromProfessionals: false,
      hiddenFromLegalRepresentatives: false,
    },
    version: 1,
    ...overrides,
  };
}

export function historyEntry(overrides: Partial<AccessHistoryEntry> = {}): AccessHistoryEntry {
  return {
    at: '2026-11-23T10:15:00.000Z',
    actor: 'Dr Urgence SAMU',
    profession: 'Médecin',
    action: 'summary.read',
    actionLabel: 'Consultation de la synthèse',
    mode: 'normal',
    ...overrides,
  };
}

export function cpsReader(triesLeft = 3): ReaderView {
  const pro = doctor();
  return {
    name: 'Lecteur CPS',
    card: {
      kind: 'cps',
      atr: '3B',
      serial: pro.serial,
      status: 'test',
      holder: pro.holder,
      pin: { triesLeft, triesMax: 3, blocked: triesLeft === 0 },
    },
  };
}

export function vitaleReader(beneficiaries: Beneficiary[] = [parent, child]): ReaderView {
  return { name: 'Lecteur Vitale', card: { kind: 'vitale', atr: '3F', status: 'test', beneficiaries } };
}
