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
    view({ asOf: '2026-11-23T10:05:00.000Z', lastUpdate: '2026-11-20T09:00:00.000Z' });
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

  it('lists reimbursements line by line (date, label, quantity and pharmacy, prescriber) and filters them by type', async () => {
    const user = userEvent.setup();
    view({
      reimbursements: [
        {
          label: 'DOLIPRANE 1 g',
          kind: 'medicine',
          count: 2,
          lastDate: '2026-08-01',
          entries: [
            line('r1', 'DOLIPRANE 1 g', {
              startDate: '2026-08-01',
              detail: 'quantité délivrée : 2 ; délivré par PHARMACIE DU CENTRE',
              author: 'Dr A',
            }),
            line('r2', 'DOLIPRANE 1 g', {
              startDate: '2026-03-01',
              detail: 'quantité délivrée : 1 ; délivré par PHARMACIE DU CENTRE',
              author: 'Dr B',
            }),
          ],
        },
        {
          label: 'Consultation',
          kind: 'act',
          count: 1,
          lastDate: '2026-10-01',
          entries: [line('r3', 'Consultation', { startDate: '2026-10-01', author: 'Dr C' })],
        },
      ],
    });
    const section = screen.getByTestId('reimbursements');
    const rows = () => within(section).getAllByRole('row').slice(1);
    expect(rows()).toHaveLength(3);
    expect(rows()[0]?.textContent).toContain('01/10/2026');
    expect(rows()[1]?.textContent).toContain('01/08/2026');
    expect(rows()[1]?.textContent).toContain('PHARMACIE DU CENTRE');
    expect(rows()[1]?.textContent).toContain('Dr A');
    await user.selectOptions(within(section).getByLabelText('Type'), 'medicine');
    expect(rows()).toHaveLength(2);
    expect(rows().every((r) => r.textContent?.includes('DOLIPRANE'))).toBe(true);
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
    expect(header.textContent).toContain('INS 279035121518989');
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
              lastUpdate: '2026-11-23T10:30:00.000Z',
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
