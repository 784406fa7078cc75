import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCda } from '../../../src/main/cda/import';
import type { ExtractedEntry } from '../../../src/main/cda/types';
import { sharedCdaFixturesDir, sharedCorpusDir } from '../../support/shared-fixtures';
import { minimalCda, structuredBody } from './support/fixtures';

/**
 * Official CI-SIS documents whose coded entries contradict their own narrative table (the attested
 * text a clinician reads): the extraction must say what the narrative says, and name the disagreement.
 * Each expectation quotes the narrative row of the fixture.
 */
const official = (name: string) => parseCda(readFileSync(join(sharedCdaFixturesDir(), name)));
const corpus = (name: string) => parseCda(readFileSync(join(sharedCorpusDir(), name)));

function fact(e: ExtractedEntry | undefined, label: string): string | undefined {
  return e?.facts?.find((f) => f.label === label)?.value;
}

describe('summary says what the narrative says (audit of the official documents)', () => {
  it('VSM: COUMADINE and PLAVIX posology is the row’s « 1 cp/j », not the coded 4 and 2 tablets a day', () => {
    const meds = official('VSM_1.4_2022.01.xml').entries.filter((e) => e.kind === 'medication');
    const coumadine = meds.find((m) => m.label.startsWith('COUMADINE'));
    const plavix = meds.find((m) => m.label.startsWith('PLAVIX'));
    expect(fact(coumadine, 'Posologie')).toBe('1 cp/j');
    expect(fact(plavix, 'Posologie')).toBe('1 cp/j');
    expect(coumadine?.detail).not.toMatch(/4 fois par jour.*Voie/);
    // The disagreement is written out with the coded reading, so the clinician can check the document.
    expect(fact(coumadine, 'À vérifier')).toContain('« 1 comprimé(s) 4 fois par jour »');
    expect(fact(plavix, 'À vérifier')).toContain('« 2 comprimé(s) 1 fois par jour »');
  });

  it('IPS-FR: LEVOTHYROX keeps its coded posology when the row agrees (« 1 cp | 1 fois/j »)', () => {
    const levothyrox = official('IPS-FR_2024.01.xml').entries.find((e) => e.label.startsWith('LEVOTHYROX'));
    expect(fact(levothyrox, 'Posologie')).toBe('1 comprimé(s) 1 fois par jour');
    expect(fact(levothyrox, 'À vérifier') ?? '').not.toMatch(/posologie/i);
  });

  it('eP-MED-DM: the prescription’s « 1 cp à 2 cp » is the dose, not the coded maximum of 1 tablet', () => {
    const paracetamol = corpus('eP-MED-DM_2024.01_PosoStruct.xml').entries.find((e) =>
      e.label.startsWith('PARACETAMOL'),
    );
    expect(fact(paracetamol, 'Posologie')).toBe(
      '3 fois/j à partir du 01/12/2023 pendant 2 jours / 2 fois/j à partir du 03/12/2023 pendant 4 jours ; ' +
        '1 cp à 2 cp / 1 cp à 2 cp ; 1500 mg/j à 3000 mg/j / 1000 mg/j à 2000 mg/j',
    );
  });

  it('ANEST: a dose referencing another treatment’s row is the document’s slip, not a discordance', () => {
    const isoflurane = corpus('ANEST-CR-ANEST_2022.01.xml').entries.find((e) =>
      e.label.startsWith('ISOFLURANE'),
    );
    expect(isoflurane).toBeDefined();
    expect(fact(isoflurane, 'À vérifier')).toBeUndefined();
  });

  it('VSM: the paracetamol allergy is « Intermittent » as in the row, not the coded « Inactif »', () => {
    const allergy = official('VSM_1.4_2022.01.xml').entries.find((e) => e.kind === 'allergy');
    expect(allergy?.status).toBe('Intermittent');
    expect(fact(allergy, 'À vérifier')).toContain('« Inactif »');
  });

  it('IPS-FR: dates are the row’s (AIT 11/02/2022 au 11/03/2022, LEVOTHYROX 11/01/2024, REVAXIS 25/08/2009)', () => {
    const entries = official('IPS-FR_2024.01.xml').entries;
    const ait = entries.find((e) => e.kind === 'problem' && e.code?.code === 'G45.9');
    expect(ait).toMatchObject({ startDate: '2022-02-11', endDate: '2022-03-11' });
    expect(fact(ait, 'À vérifier')).toContain('22/04/2018 au 30/04/2018');
    expect(entries.find((e) => e.label.startsWith('LEVOTHYROX'))?.startDate).toBe('2024-01-11');
    const revaxis = entries.filter((e) => e.kind === 'immunization').map((e) => e.startDate?.slice(0, 10));
    expect(revaxis.sort()).toEqual(['2009-08-25', '2009-09-28']);
  });

  it('corpus: the defibrillator was implanted on 12/08/1985 as the row says, not the coded 1999', () => {
    const implants = corpus('CARD-F-PRC-DCI_2022.01.xml').entries.filter(
      (e) => e.kind === 'procedure' && /défibrillateur/i.test(e.label),
    );
    expect(implants.length).toBeGreaterThan(0);
    for (const implant of implants) expect(implant.startDate).toBe('1985-08-12');
  });

  it('leaves an entry alone when its row agrees (VSM pyélonéphrite 22/04/2018, IPS-FR thyroïdite)', () => {
    const vsm = official('VSM_1.4_2022.01.xml').entries.find((e) => e.code?.code === 'N10');
    expect(vsm).toMatchObject({ startDate: '2018-04-22', endDate: '2018-04-30' });
    expect(fact(vsm, 'À vérifier')).toBeUndefined();
    const thyroid = official('IPS-FR_2024.01.xml').entries.find((e) => e.code?.code === 'E06.3');
    expect(thyroid?.facts?.map((f) => f.label)).toEqual(['Sévérité']);
  });

  it('BIO-TROD: grippe A is « négatif » and grippe B « positif » as the report prints, not the reverse coded', () => {
    const labs = corpus('BIO-TROD_2024.01_COVID-19_Grippe-A_Grippe-B.xml').entries.filter(
      (e) => e.kind === 'labResult',
    );
    const fluA = labs.find((e) => /Influenza virus A/.test(e.label));
    const fluB = labs.find((e) => /Influenza virus B/.test(e.label));
    expect(fluA?.lab?.value).toBe('négatif');
    expect(fluB?.lab?.value).toBe('positif');
    expect(fact(fluA, 'À vérifier')).toContain('« positif » dans ses données codées');
    // SARS-CoV-2 agrees with its row: left alone.
    const covid = labs.find((e) => /SARS-CoV-2/.test(e.label));
    expect(covid?.lab?.value).toBe('négatif');
    expect(fact(covid, 'À vérifier')).toBeUndefined();
  });

  it('BIO Auto-Présentable: ASAT 45 UI/L within 10 – 50 is not shown « Élevé » on the coded flag alone', () => {
    const asat = corpus('BIO-CR-BIO_2021.01_Auto-Presentable.xml').entries.find(
      (e) => e.kind === 'labResult' && /Aspartate/.test(e.label),
    );
    expect(asat?.lab?.value).toBe('45');
    expect(asat?.lab?.flag).toBeUndefined();
    expect(fact(asat, 'Interprétation')).toBeUndefined();
    expect(fact(asat, 'À vérifier')).toContain('« Élevé »');
    // A flag its numbers support stays (FT4 7,67 below 9,30 – 17,00: « Bas »).
    const ft4 = official('BIO-CR-BIO_2024.01_TSH_1.xml').entries.find((e) => e.code?.code === '3024-7');
    expect(ft4?.lab).toMatchObject({ flag: 'low', flagLabel: 'Bas' });
  });

  it('BIO glycémie: the reference range is the printed « (3.89 - 6.00) », not the coded 3,89 – 3,89 mmol/L', () => {
    for (const name of [
      'BIO-CR-BIO_2024.01_Glycémie mole.xml',
      'BIO-CR-BIO_2024.01_Glycémie deux unités principales_mole_masse.xml',
    ]) {
      const glucose = corpus(name).entries.find((e) => e.kind === 'labResult' && e.code?.code === '40193-5');
      expect(glucose?.lab?.referenceRange, name).toBe('3.89 - 6.00');
      expect(fact(glucose, 'À vérifier'), name).toContain('« 3,89 – 3,89 mmol/L »');
      expect(glucose?.lab?.flag, name).toBe('normal');
    }
    // The g/L line of the same report agrees with its row and is left alone.
    const grams = corpus('BIO-CR-BIO_2024.01_Glycémie deux unités principales_mole_masse.xml').entries.find(
      (e) => e.kind === 'labResult' && e.lab?.unit === 'g/L',
    );
    expect(grams?.lab?.referenceRange).toBe('0,70 – 1,08 g/L');
  });

  it('OBP-SAP: the act is named as the narrative names it, not by its bare code « SURG »', () => {
    const act = corpus('OBP-SAP_2024.01.xml').entries.find(
      (e) => e.kind === 'procedure' && e.code?.code === 'SURG',
    );
    expect(act?.label).toBe('Appendicectomie, par laparotomie');
    expect(act?.startDate).toBe('2008-08-11');
  });

  it('DLU: a « Pathologie en cours » and an allergy whose concern is closed with no end date are not « Résolu »', () => {
    const entries = official('DLU-EHPAD-DLU_2022.01.xml').entries;
    const bronchite = entries.find((e) => e.kind === 'problem' && e.code?.code === 'J41.0');
    const paracetamol = entries.find((e) => e.kind === 'allergy' && /parac/i.test(e.label));
    expect(bronchite).toBeDefined();
    expect(bronchite?.status).toBeUndefined();
    expect(paracetamol?.status).toBeUndefined();
    // A closed concern with its end date still reads « Résolu » (the DLU's 2019 food intoxication, 30/06 → 17/07).
    expect(entries.find((e) => e.kind === 'allergy' && e.endDate === '2019-07-17')?.status).toBe('Résolu');
  });

  it('IPS-FR: a problem the row calls « Non confirmé » says so', () => {
    const r69 = official('IPS-FR_2024.01.xml').entries.find((e) => e.code?.code === 'R69');
    expect(fact(r69, 'Certitude')).toBe('Non confirmé');
    expect(r69?.negated).toBeUndefined();
  });

  it('a refuted diagnosis (FR-Certitude « refuted ») is an absence, never a problem', () => {
    const doc = parseCda(
      minimalCda({
        body: structuredBody(`<section><code code="11450-4"/><text>Diabète : réfuté</text><entry>
          <act classCode="ACT" moodCode="EVN"><templateId root="1.3.6.1.4.1.19376.1.5.3.1.4.5.2"/><statusCode code="active"/>
            <entryRelationship typeCode="SUBJ"><observation classCode="OBS" moodCode="EVN">
              <templateId root="1.3.6.1.4.1.19376.1.5.3.1.4.5"/>
              <value xsi:type="CD" code="E11" displayName="Diabète de type 2" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>
              <entryRelationship typeCode="SUBJ" inversionInd="true"><observation classCode="OBS" moodCode="EVN">
                <code code="66455-7" codeSystem="2.16.840.1.113883.6.1"/>
                <value xsi:type="CD" code="refuted" displayName="Réfuté" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>
              </observation></entryRelationship>
            </observation></entryRelationship></act></entry></section>`),
      }),
    );
    expect(doc.entries.find((e) => e.code?.code === 'E11')).toMatchObject({ negated: true });
  });

  it('IPS-FR: an advance directive is never « completed » (the statusCode its template fixes)', () => {
    const directives = official('IPS-FR_2024.01.xml').entries.filter((e) => e.kind === 'advanceDirective');
    expect(directives.length).toBeGreaterThan(0);
    for (const d of directives) expect(d.status).toBeUndefined();
  });
});
