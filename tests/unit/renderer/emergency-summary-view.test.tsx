// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../../../src/renderer/src/app/App';
import { EmergencyView } from '../../../src/renderer/src/features/emergency/EmergencyView';
import { PatientBanner } from '../../../src/renderer/src/features/patient/PatientBanner';
import { startSync } from '../../../src/renderer/src/state/sync';
import type { ClinicalEntry, EmergencySummary, SessionState } from '../../../src/shared/contract';
import { createFakeApi, type Handlers } from './support/fake-api';
import {
  cpsReader,
  demoDossier,
  documentMeta,
  patientContext,
  session,
  summary,
  vitaleReader,
} from './support/fixtures';
import { renderWithApi } from './support/render';

const vsm = {
  documentId: 'doc-vsm',
  documentTitle: 'Synthèse VSM',
  author: 'Dr Paul MEDECIN',
  date: '2022-01-15',
};
const line = (id: string, label: string, extra: Partial<ClinicalEntry> = {}): ClinicalEntry => ({
  id,
  label,
  provenance: vsm,
  sources: [vsm],
  ...extra,
});

function view(overrides: Partial<EmergencySummary> = {}) {
  return renderWithApi(<EmergencyView summary={summary(overrides)} />, createFakeApi().api);
}

function boot(initial: SessionState, handlers: Handlers = {}) {
  const fake = createFakeApi({
    'app.info': () => ({ version: '0.1.0', host: 'web', simulation: false, production: false, warnings: [] }),
    'cards.list': () => [cpsReader(), vitaleReader()],
    'session.get': () => initial,
    'summary.get': () => summary(),
    ...handlers,
  });
  const stop = startSync(fake.api);
  renderWithApi(<App />, fake.api);
  return { fake, stop };
}

describe('emergency view wording (issue 10, finding 10)', () => {
  it('never prints the statusCode of a treatment as its state: no « terminé » under current treatments', () => {
    view({ medications: [line('m1', 'PLAVIX 75 mg', { status: 'completed', startDate: '2019-08-11' })] });
    const meds = screen.getByTestId('medications');
    expect(meds.textContent).toContain('PLAVIX 75 mg');
    expect(meds.textContent).not.toMatch(/termin/i);
    expect(meds.textContent).not.toContain('completed');
  });

  it('shows no raw status code and no English status', () => {
    view({
      problems: [line('p1', 'Asthme', { status: 'G-A397' })],
      immunizations: [line('i1', 'BCG', { status: 'not-done' })],
      allergies: [line('a1', 'Pénicilline', { status: 'active' })],
    });
    expect(screen.getByTestId('problems').textContent).not.toContain('G-A397');
    expect(screen.getByTestId('immunizations').textContent).not.toContain('not-done');
    expect(screen.getByTestId('allergies').textContent).toContain('active');
  });

  it('dates a vaccination « le … », not « depuis le … »', () => {
    view({
      immunizations: [line('i1', 'REVAXIS', { startDate: '2009-09-28T09:49:14+01:00', status: 'completed' })],
    });
    const vaccines = screen.getByTestId('immunizations');
    expect(vaccines.textContent).toContain('le 28/09/2009');
    expect(vaccines.textContent).not.toContain('depuis');
    expect(vaccines.textContent).not.toMatch(/termin/i);
  });

  it('writes « Sœur » with its ligature', () => {
    view({ contacts: [line('c1', 'Proche (Soeur) : Sophie NESSI', { detail: '0647150100' })] });
    const contacts = screen.getByTestId('contacts');
    expect(contacts.textContent).toContain('Proche (Sœur) : Sophie NESSI');
    expect(contacts.textContent).not.toContain('Soeur');
  });

  it.each([
    ['F', 'Née le 05/03/1979'],
    ['M', 'Né le 05/03/1979'],
    ['U', 'Né(e) le 05/03/1979'],
  ] as const)('the banner says « Né » or « Née » when the sex is known (%s)', (sex, expected) => {
    const dossier = { ...demoDossier, identity: { ...demoDossier.identity, sex } };
    renderWithApi(
      <PatientBanner dossier={dossier} patient={patientContext({ dossier })} allergies="none" />,
      createFakeApi().api,
    );
    const banner = screen.getByRole('region', { name: 'Patient' });
    expect(banner.textContent).toContain(expected);
    if (sex !== 'U') expect(banner.textContent).not.toContain('Né(e)');
  });
});

describe('emergency view facts (issue 10, finding 10)', () => {
  it('shows the date of the summary and the last update of the dossier', () => {
    view({ generatedAt: '2026-11-23T10:05:00.000Z', dossierUpdatedAt: '2026-11-20T09:00:00.000Z' });
    const header = screen.getByTestId('summary-dates');
    expect(header.textContent).toMatch(/Synthèse au 23\/11\/2026/);
    expect(header.textContent).toContain('dernière mise à jour du dossier le 20/11/2026');
  });

  it('paints the allergy box red only when there are allergies, and says « Non renseigné » when nothing is recorded', () => {
    const { unmount } = view({ allergies: [] });
    const empty = screen.getByTestId('allergies');
    expect(empty.className).not.toContain('summary-section--alert');
    expect(empty.textContent).toContain('Non renseigné');
    expect(empty.textContent).not.toContain('Aucune donnée');
    unmount();
    view();
    expect(screen.getByTestId('allergies').className).toContain('summary-section--alert');
  });

  it('the banner does not say « Aucune allergie » when nothing is recorded', () => {
    renderWithApi(
      <PatientBanner dossier={demoDossier} patient={patientContext()} allergies="none" />,
      createFakeApi().api,
    );
    const banner = screen.getByRole('region', { name: 'Patient' });
    expect(banner.textContent).toContain('Allergies : non renseignées');
    expect(banner.textContent).not.toContain('Aucune allergie');
  });

  it('lists reimbursements line by line (date, label, quantity, prescriber, pharmacy) and filters them by therapeutic class', async () => {
    const user = userEvent.setup();
    const hr = { documentId: 'doc-hr', documentTitle: 'Historique des remboursements' };
    const base = { kind: 'medicine' as const, kindLabel: 'Médicament', provenance: hr };
    view({
      reimbursementLines: [
        {
          ...base,
          id: 'r3',
          date: '2026-10-01',
          label: 'Consultation',
          kind: 'act',
          kindLabel: 'Acte',
          performer: 'Dr C',
          therapeuticClass: 'Acte',
        },
        {
          ...base,
          id: 'r1',
          date: '2026-08-01',
          label: 'DOLIPRANE 1 g',
          quantity: '2',
          prescriber: 'Dr A',
          pharmacy: 'PHARMACIE DU CENTRE',
          therapeuticClass: 'Système nerveux',
        },
        {
          ...base,
          id: 'r2',
          date: '2026-03-01',
          label: 'KARDEGIC 75 mg',
          quantity: '1',
          prescriber: 'Dr B',
          pharmacy: 'PHARMACIE DU CENTRE',
          therapeuticClass: 'Sang et organes hématopoïétiques',
        },
      ],
    });
    const section = screen.getByTestId('reimbursements');
    const rows = () => within(section).getAllByRole('row').slice(1);
    expect(rows()).toHaveLength(3);
    expect(rows()[0]?.textContent).toContain('01/10/2026');
    expect(rows()[0]?.textContent).toContain('Dr C');
    expect(rows()[1]?.textContent).toContain('01/08/2026');
    expect(rows()[1]?.textContent).toContain('PHARMACIE DU CENTRE');
    expect(rows()[1]?.textContent).toContain('Dr A');
    await user.selectOptions(within(section).getByLabelText('Classe thérapeutique'), 'Système nerveux');
    expect(rows()).toHaveLength(1);
    expect(rows()[0]?.textContent).toContain('DOLIPRANE');
    expect(section.textContent).toContain('(1 sur 3)');
  });

  it('says « Aucune allergie connue » with its source and date when a document states it, and keeps the box neutral', () => {
    const dlu = { documentId: 'doc-dlu', documentTitle: 'DLU', date: '2025-03-02' };
    view({
      allergies: [],
      noneKnown: [{ section: 'allergies', text: 'Aucune allergie connue', provenance: dlu, sources: [dlu] }],
    });
    const allergies = screen.getByTestId('allergies');
    expect(allergies.className).not.toContain('summary-section--alert');
    expect(allergies.textContent).toContain('Aucune allergie connue');
    expect(allergies.textContent).toContain('le 02/03/2025');
    expect(allergies.textContent).not.toContain('Non renseigné');
    expect(
      within(allergies).getByRole('button', { name: /Source de « Aucune allergie connue » : DLU/ }),
    ).toBeTruthy();
  });

  it('shows treatments that are not current apart, with their state, and a merged line with one « Source » per document', () => {
    const ips = { documentId: 'doc-ips', documentTitle: 'IPS', date: '2024-04-02' };
    view({
      otherMedications: [
        line('o1', 'ROSUVASTATINE 5 mg', { state: 'planned' }),
        line('o2', 'AMOXICILLINE', { state: 'ended', status: 'completed' }),
      ],
      contacts: [line('c1', 'Personne à prévenir (Sœur) : Sophie NESSI', { sources: [ips, vsm] })],
      trustedPersons: [line('t1', 'Personne de confiance : Sophie NESSI')],
      treatingPhysicians: [line('d1', 'Médecin traitant : Stéphane MEDIONI')],
    });
    const other = screen.getByTestId('other-medications');
    expect(other.textContent).toContain('ROSUVASTATINE 5 mg');
    expect(other.textContent).toContain('prévu');
    expect(other.textContent).toContain('terminé');
    expect(screen.getByTestId('medications').textContent).not.toContain('ROSUVASTATINE');
    const contacts = screen.getByTestId('contacts');
    expect(within(contacts).getAllByRole('button', { name: /^Source/ })).toHaveLength(2);
    expect(screen.getByTestId('trusted-persons').textContent).toContain('Sophie NESSI');
    expect(screen.getByTestId('treating-physicians').textContent).toContain('Stéphane MEDIONI');
    expect(contacts.textContent).not.toContain('MEDIONI');
  });

  it('shows devices, risk factors (a stated absence as such) and lab results with unit, range, flag and trend', () => {
    const bio = { documentId: 'doc-bio', documentTitle: 'CR de biologie' };
    view({
      devices: [line('dv1', 'STIMULATEUR CARDIAQUE IMPLANTABLE TRIPLE CHAMBRE', { startDate: '2019-08-11' })],
      riskFactors: [line('rf1', 'Tabagisme', { negated: true })],
      labResults: [
        {
          id: 'l1',
          analyte: 'TSH',
          latest: {
            value: '6,2',
            unit: 'mUI/L',
            date: '2024-01-10',
            flag: 'high',
            flagLabel: 'Élevé',
            referenceRange: '0,4 – 4 mUI/L',
            provenance: bio,
          },
          previous: [{ value: '3,1', unit: 'mUI/L', date: '2023-01-10', provenance: bio }],
          trend: 'up',
          trendLabel: 'en hausse depuis le 10/01/2023',
          sources: [bio],
        },
      ],
    });
    expect(screen.getByTestId('devices').textContent).toContain('STIMULATEUR CARDIAQUE');
    expect(screen.getByTestId('risk-factors').textContent).toContain('Absence : Tabagisme');
    const lab = screen.getByTestId('lab-results');
    for (const text of [
      'TSH',
      '6,2 mUI/L',
      'Élevé',
      '0,4 – 4 mUI/L',
      '10/01/2024',
      'en hausse depuis le 10/01/2023',
    ])
      expect(lab.textContent).toContain(text);
  });
});

describe('« Source » opens the document', () => {
  it('switches to the documents tab and opens the source document in the viewer, the entry marked', async () => {
    const user = userEvent.setup();
    const meta = documentMeta({ id: 'doc-vsm', title: 'Synthèse VSM' });
    const { fake, stop } = boot(session({ patient: patientContext() }), {
      'documents.list': () => [meta],
      'documents.get': () => ({
        meta,
        narrativeHtml: '<table><tr><td>PLAVIX 75 mg</td><td>1 cp</td></tr></table>',
        warnings: [],
      }),
    });
    const meds = await screen.findByTestId('medications');
    await user.click(within(meds).getByRole('button', { name: /Source de « PLAVIX 75 mg »/ }));
    expect(screen.getByRole('tab', { name: 'Documents' }).getAttribute('aria-selected')).toBe('true');
    const dialog = await screen.findByRole('dialog', { name: 'Synthèse VSM' });
    const frame = await within(dialog).findByTitle('Contenu : Synthèse VSM');
    expect(frame.getAttribute('srcdoc')).toMatch(/<mark[^>]*>PLAVIX 75 mg<\/mark>/);
    expect(dialog.textContent).toContain('« PLAVIX 75 mg »');
    expect(fake.callsTo('documents.get')).toEqual([{ insKey: demoDossier.insKey, id: 'doc-vsm' }]);
    await user.click(within(dialog).getByRole('button', { name: 'Fermer' }));
    expect(screen.getByRole('tab', { name: 'Synthèse d’urgence' }).getAttribute('aria-selected')).toBe(
      'true',
    );
    stop();
  });
});

describe('« Imprimer la synthèse »', () => {
  it('prints with a header naming the patient, the INS, who prints and when', async () => {
    const user = userEvent.setup();
    const print = vi.fn();
    window.print = print;
    const { stop } = boot(session({ patient: patientContext() }));
    await screen.findByTestId('medications');
    await user.click(screen.getByRole('button', { name: 'Imprimer la synthèse' }));
    expect(print).toHaveBeenCalledTimes(1);
    const header = screen.getByTestId('print-header');
    expect(header.textContent).toContain('PAT-TROIS DOMINIQUE');
    expect(header.textContent).toContain('Née le 05/03/1979');
    expect(header.textContent).toContain('INS 2 79 03 51 215 189 89');
    expect(header.textContent).toContain('INS qualifiée');
    expect(header.textContent).toMatch(/Imprimé par Paul MEDECIN le \d{2}\/\d{2}\/\d{4} à \d{2}:\d{2}/);
    stop();
  });
});

describe('summary after a change in the documents', () => {
  it('reloads the summary after a deposit, so the new document’s entries and dates show', async () => {
    const user = userEvent.setup();
    let deposited = false;
    const { fake, stop } = boot(session({ patient: patientContext() }), {
      'summary.get': () =>
        deposited
          ? summary({
              immunizations: [line('i1', 'REVAXIS', { startDate: '2009-09-28' })],
              dossierUpdatedAt: '2026-11-23T10:30:00.000Z',
            })
          : summary(),
      'documents.list': () => [],
      'documents.deposit': () => {
        deposited = true;
        return documentMeta({ id: 'doc-ips', title: 'IPS' });
      },
    });
    await screen.findByTestId('medications');
    await user.click(screen.getByRole('tab', { name: 'Documents' }));
    await user.click(await screen.findByRole('button', { name: 'Déposer un document' }));
    const dialog = screen.getByRole('dialog', { name: 'Déposer un document' });
    await user.upload(
      within(dialog).getByLabelText('Fichier (CDA, PDF ou texte)'),
      new File(['<ClinicalDocument/>'], 'ips.xml', { type: 'text/xml' }),
    );
    await user.click(within(dialog).getByRole('button', { name: 'Déposer' }));
    await waitFor(() => expect(fake.callsTo('summary.get')).toHaveLength(2));
    await user.click(screen.getByRole('tab', { name: 'Synthèse d’urgence' }));
    expect((await screen.findByTestId('immunizations')).textContent).toContain('REVAXIS');
    expect(screen.getByTestId('summary-dates').textContent).toContain(
      'dernière mise à jour du dossier le 23/11/2026',
    );
    stop();
  });
});

describe('banner allergy flag', () => {
  it('says « Aucune allergie connue » only when a document states it', async () => {
    const dlu = { documentId: 'doc-dlu', documentTitle: 'DLU', date: '2025-03-02' };
    const { stop } = boot(session({ patient: patientContext() }), {
      'summary.get': () =>
        summary({
          allergies: [],
          noneKnown: [
            { section: 'allergies', text: 'Aucune allergie connue', provenance: dlu, sources: [dlu] },
          ],
        }),
    });
    const banner = await screen.findByRole('region', { name: 'Patient' });
    await waitFor(() => expect(banner.textContent).toContain('Aucune allergie connue'));
    stop();
  });
});
