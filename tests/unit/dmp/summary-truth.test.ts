import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DmpService } from '../../../src/main/dmp/dmp-service';
import { dmpMigrations } from '../../../src/main/dmp/migrations';
import { silentLogger } from '../../../src/main/log/logger';
import { openTestStore } from '../../support/test-store';
import { emergencySummarySchema, type EmergencySummary } from '../../../src/shared/contract';
import { sharedCorpusDir } from '../../support/shared-fixtures';
import { counterRandom, fixture, testInsKey } from './helpers';

const corpus = (name: string): Uint8Array => new Uint8Array(readFileSync(join(sharedCorpusDir(), name)));

async function summaryOf(
  now: string,
  files: { name: string; bytes: Uint8Array }[],
): Promise<EmergencySummary> {
  const store = await openTestStore(dmpMigrations);
  const dmp = new DmpService({ store, log: silentLogger, now: () => new Date(now), random: counterRandom() });
  for (const [i, f] of files.entries())
    await dmp.importCda(f.bytes, { create: i === 0, depositor: 'system' });
  const summary = await dmp.getSummary({ system: 'cli' }, testInsKey);
  return emergencySummarySchema.parse(summary);
}

const shared = (name: string) => ({ name, bytes: fixture(name) });
const fromCorpus = (name: string) => ({ name, bytes: corpus(name) });

/** Every text a clinician reads in a clinical line. */
function shown(e: {
  label: string;
  detail?: string;
  status?: string;
  facts?: { label: string; value: string }[];
}): string {
  return [
    e.label,
    e.detail ?? '',
    e.status ?? '',
    ...(e.facts ?? []).map((f) => `${f.label} ${f.value}`),
  ].join(' | ');
}

describe('emergency summary: meaning, not markup (issue 10)', () => {
  it('never shows a negated observation (« pas d’infarctus cérébral ») as a problem', async () => {
    // AVC-PAVC states 37 absences with negationInd="true", e.g. « Infarctus cérébral, sans précision » (I63.9).
    const summary = await summaryOf('2022-06-01T00:00:00Z', [fromCorpus('AVC-PAVC_2022.01.xml')]);
    expect(summary.problems.map((p) => p.code?.code)).not.toContain('I63.9');
    expect(summary.problems.every((p) => p.negated !== true)).toBe(true);
  });

  it('derives treatment state from dates and the summary date, never prints « terminé » under current treatments', async () => {
    // eP-MED-DM: PARACETAMOL prescribed 2023-12-01 → 2023-12-06 (statusCode « completed », fixed by CI-SIS).
    const during = await summaryOf('2023-12-03T10:00:00Z', [fromCorpus('eP-MED-DM_2024.01_PosoStruct.xml')]);
    const current = during.medications.find((m) => /PARACETAMOL/i.test(m.label));
    expect(current?.state).toBe('current');
    expect(during.medications.map(shown).join('\n')).not.toMatch(/termin/i);
    const after = await summaryOf('2024-02-01T10:00:00Z', [fromCorpus('eP-MED-DM_2024.01_PosoStruct.xml')]);
    expect(after.medications.find((m) => /PARACETAMOL/i.test(m.label))).toBeUndefined();
    expect(after.otherMedications.find((m) => /PARACETAMOL/i.test(m.label))).toMatchObject({
      state: 'ended',
      status: 'Terminé le 06/12/2023',
    });
  });

  it('does not keep an undated line of an old document « en cours » forever', async () => {
    const summary = await summaryOf('2026-11-01T00:00:00Z', [shared('VSM_1.4_2022.01.xml')]);
    expect(summary.medications).toEqual([]);
    const plavix = summary.otherMedications.find((m) => /PLAVIX/.test(m.label));
    expect(plavix).toMatchObject({ state: 'unknown' });
    expect(plavix?.status).toMatch(/à vérifier/);
  });

  it('treats medications administered during a stay as history, not current treatment', async () => {
    // AVC-AUNV: SOLUPRED under « Médicaments administrés », no period at all, in a recent document.
    const summary = await summaryOf('2022-03-01T00:00:00Z', [fromCorpus('AVC-AUNV_2022.01.xml')]);
    expect(summary.medications.find((m) => /SOLUPRED/.test(m.label))).toBeUndefined();
    const administered = summary.otherMedications.filter(
      (m) => m.status === 'Administré pendant la prise en charge',
    );
    expect(administered.length).toBeGreaterThan(0);
    for (const m of administered) expect(summary.medications.map((x) => x.id)).not.toContain(m.id);
  });

  it('shows coded statuses and severities as French labels, never raw codes', async () => {
    const summary = await summaryOf('2024-06-01T00:00:00Z', [
      shared('VSM_1.4_2022.01.xml'),
      shared('IPS-FR_2024.01.xml'),
      shared('DLU-EHPAD-DLU_2022.01.xml'),
    ]);
    const lines = [
      ...summary.allergies,
      ...summary.problems,
      ...summary.medications,
      ...summary.otherMedications,
      ...summary.immunizations,
    ].map(shown);
    for (const line of lines) {
      expect(line).not.toMatch(
        /\bG-A\d{3}\b|\bcompleted\b|\bactive\b|\binactive\b|not-done|\[IU\]|toutes les 1 J/,
      );
    }
    expect(summary.problems.some((p) => p.status === 'Actif')).toBe(true);
  });

  it('shows « no known … » statements as assertions with their source, never as items', async () => {
    const summary = await summaryOf('2021-02-01T00:00:00Z', [shared('CNAM-HR_2021.01_sans-info.xml')]);
    expect(summary.reimbursementLines.map((r) => r.label)).not.toContain('Aucun');
    expect(summary.reimbursements.map((r) => r.label)).not.toContain('Aucun');
    expect(summary.medications.concat(summary.otherMedications).map((m) => m.label)).not.toContain(
      'Médicament sans libellé',
    );
    expect(summary.noneKnown.length).toBeGreaterThan(0);
    for (const a of summary.noneKnown) expect(a.provenance.documentTitle.length).toBeGreaterThan(0);
  });

  it('keeps the coded vaccine name over a narrative « Oui »', async () => {
    const summary = await summaryOf('2024-06-01T00:00:00Z', [
      shared('VAC_2023.01.xml'),
      shared('IPS-FR_2024.01.xml'),
    ]);
    for (const v of summary.immunizations) expect(v.label).not.toMatch(/^(oui|non)$/i);
  });
});

describe('emergency summary: what the narrative says (summary-truth audit)', () => {
  it('never lists a care-plan act as a past procedure, whatever its moodCode (IPS-FR « Autre acte », envisagé le 01/12/2024)', async () => {
    const summary = await summaryOf('2024-06-01T00:00:00Z', [shared('IPS-FR_2024.01.xml')]);
    expect(summary.procedures.map((p) => p.startDate)).not.toContain('2024-12-01');
    expect(summary.procedures.map((p) => p.startDate).sort()).toEqual(['2016-12-08', '2018-01-14']);
  });

  it('shows the two REVAXIS doses as two lines, on the dates of the narrative', async () => {
    const summary = await summaryOf('2024-06-01T00:00:00Z', [shared('IPS-FR_2024.01.xml')]);
    const revaxis = summary.immunizations.filter((v) => v.label.startsWith('REVAXIS'));
    expect(revaxis.map((v) => v.startDate?.slice(0, 10))).toEqual(['2009-09-28', '2009-08-25']);
    for (const v of revaxis) expect(v.facts?.filter((f) => f.label === 'Rang')).toHaveLength(1);
  });

  it('lists no nameless, dateless « Acte » (the DLU’s placeholder beside « bactérie multirésistante ? non »)', async () => {
    const summary = await summaryOf('2020-04-01T00:00:00Z', [shared('DLU-EHPAD-DLU_2022.01.xml')]);
    expect(summary.procedures.map((p) => p.label)).not.toContain('Acte');
  });

  it('shows the rapid flu tests as the report prints them (grippe A négatif, grippe B positif)', async () => {
    const summary = await summaryOf('2024-06-01T00:00:00Z', [
      fromCorpus('BIO-TROD_2024.01_COVID-19_Grippe-A_Grippe-B.xml'),
    ]);
    const flu = (what: RegExp) => summary.labResults.find((r) => what.test(r.analyte))?.latest.value;
    expect(flu(/Influenza virus A/)).toBe('négatif');
    expect(flu(/Influenza virus B/)).toBe('positif');
  });

  it('never writes « Terminé » beside an advance directive, and keeps the VSM COUMADINE at the row’s 1 cp/j', async () => {
    const summary = await summaryOf('2024-06-01T00:00:00Z', [
      shared('IPS-FR_2024.01.xml'),
      shared('VSM_1.4_2022.01.xml'),
    ]);
    expect(summary.advanceDirectives.map(shown).join('\n')).not.toMatch(/termin/i);
    const coumadine = summary.otherMedications.find((m) => m.label.startsWith('COUMADINE'));
    expect(coumadine?.facts).toContainEqual({ label: 'Posologie', value: '1 cp/j' });
  });
});

describe('emergency summary: nothing lost, one line per fact (issue 10)', () => {
  it('writes structured posology in French: progressive doses, frequency, duration and maximum', async () => {
    const summary = await summaryOf('2023-12-02T10:00:00Z', [fromCorpus('eP-MED-DM_2024.01_PosoStruct.xml')]);
    const paracetamol = summary.medications.find((m) => /PARACETAMOL/i.test(m.label));
    // The coded maximum dose is 1 tablet where the prescription reads « 1 cp à 2 cp » (summary-truth audit):
    // the prescription's words are the posology, the French rendering of the coded one is quoted « À vérifier ».
    expect(paracetamol?.facts?.find((f) => f.label === 'Posologie')?.value).toContain('1 cp à 2 cp');
    expect(paracetamol?.facts?.find((f) => f.label === 'À vérifier')?.value).toContain(
      '« 1 comprimé(s) 3 fois par jour pendant 2 jours, puis 2 fois par jour pendant 4 jours ; maximum 4 par jour »',
    );
    expect(paracetamol?.facts).toContainEqual({ label: 'Renouvellement', value: 'renouvelable 3 fois' });
  });

  it('keeps the allergy reaction and severity', async () => {
    const summary = await summaryOf('2022-06-01T00:00:00Z', [fromCorpus('ANEST-CR-CPA_2022.01.xml')]);
    const allergy = summary.allergies.find((a) => /parac/i.test(a.label));
    expect(allergy?.severity).toBe('Modérée');
    expect(allergy?.facts?.find((f) => f.label === 'Réaction')?.value).toMatch(/urticaire/i);
  });

  it('merges the same contact across documents into one line keeping every source, trusted person and treating doctor apart', async () => {
    const summary = await summaryOf('2022-06-01T00:00:00Z', [
      shared('VSM_1.4_2022.01.xml'),
      shared('DLU-EHPAD-DLU_2022.01.xml'),
      shared('VAC_2023.01.xml'),
    ]);
    const labels = summary.contacts.map((c) => c.label);
    expect(new Set(labels).size).toBe(labels.length);
    expect(summary.trustedPersons.map((c) => c.label)).toContain(
      'Personne de confiance (Sœur) : Sophie NESSI',
    );
    const trusted = summary.trustedPersons.find((c) => c.label.includes('Sophie NESSI'));
    expect(trusted?.sources.length).toBeGreaterThanOrEqual(2);
    expect(summary.trustedPersons.filter((c) => c.label.includes('Sophie NESSI'))).toHaveLength(1);
    expect(summary.treatingPhysicians.some((c) => c.role === 'Médecin traitant')).toBe(true);
    expect(summary.contacts.some((c) => /Médecin traitant|Personne de confiance/.test(c.label))).toBe(false);
  });

  it('lists implanted devices and lab results with unit, reference range and flag', async () => {
    const summary = await summaryOf('2024-06-01T00:00:00Z', [
      shared('IPS-FR_2024.01.xml'),
      shared('BIO-CR-BIO_2024.01_TSH_1.xml'),
    ]);
    expect(summary.devices.map((d) => d.label)).toContain('STIMULATEUR CARDIAQUE IMPLANTABLE TRIPLE CHAMBRE');
    const t4 = summary.labResults.find((r) => r.code?.code === '3024-7');
    expect(t4?.latest).toMatchObject({
      value: '7,67',
      unit: 'pg/mL',
      referenceRange: '9,30 – 17,00 pg/mL',
      flag: 'low',
      flagLabel: 'Bas',
    });
    expect(summary.riskFactors.length).toBeGreaterThan(0);
  });

  it('gives the trend of an analyte measured several times', async () => {
    const summary = await summaryOf('2024-06-01T00:00:00Z', [
      shared('BIO-CR-BIO_2024.01_TSH_1.xml'),
      fromCorpus('BIO-CR-BIO_2024.01_TSH_2.xml'),
    ]);
    const tsh = summary.labResults.find((r) => r.code?.code === '3016-3');
    expect(tsh?.sources.length).toBeGreaterThanOrEqual(1);
    if ((tsh?.previous.length ?? 0) > 0) expect(tsh?.trendLabel).toMatch(/^(En hausse|En baisse|Stable)/);
  });

  it('lists reimbursements line by line with date, quantity, prescriber, pharmacy and therapeutic class', async () => {
    const summary = await summaryOf('2020-06-01T00:00:00Z', [shared('CNAM-HR_2021.01.xml')]);
    const ludeal = summary.reimbursementLines.find((r) => r.code?.code === '3400935673220');
    expect(ludeal).toMatchObject({
      date: '2019-05-26',
      kind: 'medicine',
      kindLabel: 'Médicament',
      prescriber: 'Antoine DUPONT',
    });
    expect(ludeal?.therapeuticClass).toMatch(/^Hormones sexuelles/);
    expect(summary.generatedAt).toBe('2020-06-01T00:00:00.000Z');
    expect(summary.dossierUpdatedAt).toBeDefined();
  });
});
