import { describe, expect, it } from 'vitest';
import { parseCda } from '../../../src/main/cda/import';
import type { CdaDocument } from '../../../src/main/cda/types';
import { independentCounts } from './support/independent-counts';
import { readShared, sharedFixtures, TEST_INS } from './support/fixtures';

const parsed = new Map<string, { raw: string; doc: CdaDocument }>();
function load(name: string): { raw: string; doc: CdaDocument } {
  let hit = parsed.get(name);
  if (!hit) {
    const bytes = readShared(name);
    hit = { raw: bytes.toString('utf8'), doc: parseCda(bytes) };
    parsed.set(name, hit);
  }
  return hit;
}

function extractedCounts(doc: CdaDocument): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of doc.entries) {
    // Untemplated results of a lab battery are extracted too; the independent count covers the templated ones.
    if (e.kind === 'labResult' && !e.templateIds.includes('1.3.6.1.4.1.19376.1.3.1.6')) continue;
    const key =
      e.kind === 'contact'
        ? '|contact'
        : `${e.sectionCode ?? ''}|${e.kind}${e.reimbursementKind ? `:${e.reimbursementKind}` : ''}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

const sorted = (m: Map<string, number>): [string, number][] =>
  [...m.entries()].sort(([a], [b]) => a.localeCompare(b));

describe('official CI-SIS fixtures', () => {
  it('finds the ten shared fixtures', () => {
    expect(sharedFixtures().length).toBeGreaterThanOrEqual(10);
  });

  for (const name of sharedFixtures()) {
    describe(name, () => {
      it('parses with the test patient INS in the header', () => {
        const { doc } = load(name);
        expect(doc.header.patient.ids).toContainEqual({ root: '1.2.250.1.213.1.4.10', extension: TEST_INS });
        expect(doc.header.documentId.length).toBeGreaterThan(0);
        expect(doc.header.type.code.length).toBeGreaterThan(0);
      });

      it('extracts, per section and per kind, the counts computed independently from the raw XML', () => {
        const { raw, doc } = load(name);
        expect(sorted(extractedCounts(doc))).toEqual(sorted(independentCounts(raw)));
      });

      it('gives every entry a displayable label and never dumps encoded content into labels or details', () => {
        const { doc } = load(name);
        for (const e of doc.entries) {
          expect(e.label.trim().length).toBeGreaterThan(0);
          expect(e.label.length).toBeLessThanOrEqual(500);
          expect(`${e.label} ${e.detail ?? ''}`).not.toMatch(/[A-Za-z0-9+/]{120,}/);
        }
      });

      it('keeps every section and reports unextracted entries instead of dropping them', () => {
        const { raw, doc } = load(name);
        if (doc.body.kind !== 'structured') return;
        const rawSections = (raw.replace(/<!--[\s\S]*?-->/g, '').match(/<section\b/g) ?? []).length;
        expect(doc.body.sections).toHaveLength(rawSections);
        const rawEntries = (raw.replace(/<!--[\s\S]*?-->/g, '').match(/<entry\b/g) ?? []).length;
        expect(doc.body.sections.reduce((n, s) => n + s.entryCount, 0)).toBe(rawEntries);
      });
    });
  }
});

describe('spot checks on real values', () => {
  it('VSM: header identity, author, a named allergy and a medication with its posology', () => {
    const { doc } = load('VSM_1.4_2022.01.xml');
    expect(doc.header.type.code).toBe('SYNTH');
    expect(doc.header.effectiveTime).toBe('2020-03-12T11:17:00+01:00');
    expect(doc.header.patient).toMatchObject({
      birthName: 'PAT-TROIS',
      usedName: 'PAT-TROIS',
      firstNames: 'DOMINIQUE MARIE-LOUISE',
      sex: 'F',
      birthDate: '1979-03-28',
      birthPlaceCode: '51215',
    });
    expect(doc.header.author).toMatchObject({
      name: 'Stéphane MEDIONI',
      nationalId: '801234567897',
      organization: 'Centre de soins le Belvédère',
    });
    expect(doc.header.author?.profession?.code).toBe('G15_10/SM26');

    const allergy = doc.entries.find((e) => e.kind === 'allergy');
    expect(allergy).toMatchObject({
      label: 'PARACETAMOL',
      code: { code: '60234100' },
      startDate: '2018-06-03',
      sectionCode: '48765-2',
    });
    // The narrative's « Intermittent » (the coded entry says « Inactif », named « À vérifier »), never a raw code.
    expect(allergy?.status).toBe('Intermittent');

    const plavix = doc.entries.find((e) => e.kind === 'medication' && e.label.startsWith('PLAVIX'));
    expect(plavix).toBeDefined();
    expect(plavix?.startDate).toBe('2019-08-11');
    // The row says « 1 cp/j »; the coded posology (2 tablets a day) contradicts it and is only quoted « À vérifier ».
    expect(plavix?.facts).toContainEqual({ label: 'Posologie', value: '1 cp/j' });
    expect(plavix?.facts).toContainEqual({ label: 'Voie', value: 'orale' });
    expect(plavix?.facts).toContainEqual({ label: 'Motif', value: 'Angine de poitrine instable' });

    const contact = doc.entries.find((e) => e.kind === 'contact' && e.label.startsWith('Médecin traitant'));
    expect(contact?.label).toBe('Médecin traitant : Stéphane MEDIONI');
  });

  it('CNAM-HR: a CIP-coded medicine, a UCD code, a CCAM act, an LPP device and a GHS stay', () => {
    const { doc } = load('CNAM-HR_2021.01.xml');
    const remb = doc.entries.filter((e) => e.kind === 'reimbursement');
    expect(remb.find((e) => e.code?.code === '3400935673220')).toMatchObject({
      reimbursementKind: 'medicine',
      label: 'LUDEAL CPR3/21',
      startDate: '2019-05-26',
      author: 'Antoine DUPONT',
      code: { system: '1.2.250.1.215.200.1.1.1' },
    });
    expect(remb.find((e) => e.code?.code === '9064295')?.code?.system).toBe('1.2.250.1.215.200.1.1.2');
    expect(remb.find((e) => e.code?.code === 'HBMD053')).toMatchObject({
      reimbursementKind: 'act',
      startDate: '2019-02-08',
    });
    expect(remb.find((e) => e.code?.code === '3408693')).toMatchObject({
      reimbursementKind: 'device',
      startDate: '2019-07-11',
    });
    expect(remb.find((e) => e.code?.code === '1940')).toMatchObject({
      reimbursementKind: 'stay',
      startDate: '2019-05-15',
      endDate: '2019-05-30',
    });
    expect(remb.filter((e) => e.reimbursementKind === 'vaccine').map((e) => e.label)).toContain(
      'HBVAXPRO 10 MICROG/ML SUSP INJ SER1/1',
    );
  });

  it('VAC: the BCG vaccine with lot, route, year-precision date and author', () => {
    const { doc } = load('VAC_2023.01.xml');
    const bcg = doc.entries.find((e) => e.kind === 'immunization' && e.code?.code === '61077869');
    // statusCode `completed` is fixed by the template: it is not a status to show.
    expect(bcg).toMatchObject({
      label: 'VACCIN BCG SSI, poudre et solvant pour suspension injectable',
      startDate: '1975',
      author: 'Charles MULLER',
    });
    expect(bcg?.status).toBeUndefined();
    expect(bcg?.facts).toEqual([
      { label: 'Rang', value: '1re dose' },
      { label: 'Lot', value: '235421176' },
      { label: 'Voie', value: 'intramusculaire' },
      { label: 'Site', value: 'deltoïde gauche' },
      { label: 'Réaction', value: 'Fièvre due à des médicaments' },
    ]);
  });

  it('DLU: advance directive and personne à prévenir', () => {
    const { doc } = load('DLU-EHPAD-DLU_2022.01.xml');
    expect(doc.entries.find((e) => e.kind === 'advanceDirective')).toMatchObject({
      label: 'Directives anticipées',
      detail: 'oui',
    });
    expect(doc.entries.some((e) => e.kind === 'contact' && e.label.includes('Sophie NESSI'))).toBe(true);
  });

  it('IPS: advance directive carried as an attached PDF is named, not dumped', () => {
    const { doc } = load('IPS-FR_2024.01.xml');
    const attached = doc.entries.find((e) => e.kind === 'advanceDirective' && e.code?.code === '42348-3');
    expect(attached).toMatchObject({ detail: 'document joint (application/pdf)', startDate: '2024-04-01' });
    const allergy = doc.entries.find((e) => e.kind === 'allergy');
    expect(allergy?.detail).toContain('Bronchospasme');
  });

  it('unstructured document: a real PDF decoded from base64', () => {
    const { doc } = load('DOC_NON_STRUCTURE_CDA-R2-N1.xml');
    expect(doc.body.kind).toBe('unstructured');
    if (doc.body.kind !== 'unstructured') return;
    expect(doc.body.mediaType).toBe('application/pdf');
    expect(Buffer.from(doc.body.content.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    expect(Buffer.from(doc.body.content.subarray(-32)).toString('latin1')).toContain('%%EOF');
  });

  it('unknown entry templates are kept as narrative and reported in warnings', () => {
    const { doc } = load('VSM_1.4_2022.01.xml');
    expect(
      doc.warnings.some((w) => w.includes('Antécédents familiaux') && w.includes('1.2.250.1.213.1.1.3.59')),
    ).toBe(true);
    // Surgical history is now read as procedures (issue 10); its narrative is still kept.
    expect(doc.entries.find((e) => e.kind === 'procedure')?.label).toMatch(/^Dilatation intraluminale/);
    if (doc.body.kind !== 'structured') throw new Error('expected structured');
    const surgical = doc.body.sections.find((s) => s.code?.code === '47519-4');
    expect(surgical?.narrativeHtml).toContain('Dilatation intraluminale');
    expect(surgical?.depth).toBe(2);
  });
});
