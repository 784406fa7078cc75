// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { EmergencyView } from '../../../src/renderer/src/features/emergency/EmergencyView';
import { demoInsKey, documentMeta, summary } from './support/fixtures';
import { createFakeApi } from './support/fake-api';
import { renderWithApi } from './support/render';

describe('statusLabel', () => {
  it('shows HL7 status codes in French and keeps unknown ones as written', async () => {
    const { statusLabel } = await import('../../../src/renderer/src/features/emergency/EmergencyView');
    expect(statusLabel('completed')).toBe('terminé');
    expect(statusLabel('active')).toBe('actif');
    expect(statusLabel('en cours')).toBe('en cours');
  });
});

describe('EmergencyView', () => {
  it('puts allergies first and says "Aucune donnée" for every empty section instead of hiding it', () => {
    renderWithApi(<EmergencyView summary={summary()} />, createFakeApi().api);
    const headings = screen.getAllByRole('heading', { level: 3 }).map((h) => h.textContent ?? '');
    expect(headings[0]).toMatch(/Allergies et intolérances/);
    expect(headings.some((h) => h.startsWith('Vaccinations'))).toBe(true);
    expect(within(screen.getByTestId('problems')).getByText('Aucune donnée')).toBeTruthy();
    expect(within(screen.getByTestId('directives')).getByText('Aucune donnée')).toBeTruthy();
    expect(within(screen.getByTestId('latest-documents')).getByText('Aucune donnée')).toBeTruthy();
    expect(within(screen.getByTestId('allergies')).queryByText('Aucune donnée')).toBeNull();
  });

  it('shows dose, start date and prescriber of a treatment, and its source on demand', async () => {
    renderWithApi(<EmergencyView summary={summary()} />, createFakeApi().api);
    const meds = screen.getByTestId('medications');
    expect(meds.textContent).toContain('PLAVIX 75 mg');
    expect(meds.textContent).toContain('1 cp par jour');
    expect(meds.textContent).toContain('depuis le 01/05/2021');
    expect(meds.textContent).toContain('prescrit par Dr Paul MEDECIN');
    const source = within(meds).getByText('Source', { exact: false });
    const details = source.closest('details');
    expect(details?.open).toBe(false);
    await userEvent.click(source);
    expect(details?.open).toBe(true);
    expect(details?.textContent).toContain('Synthèse VSM · Dr Paul MEDECIN · 15/01/2022');
  });

  it('lists reimbursements grouped, medicines first, with the last dispensing date', () => {
    renderWithApi(
      <EmergencyView
        summary={summary({
          reimbursements: [
            { label: 'Consultation', kind: 'act', count: 2, lastDate: '2026-10-01', entries: [] },
            { label: 'DOLIPRANE 1 g', kind: 'medicine', count: 3, lastDate: '2026-08-01', entries: [] },
          ],
        })}
      />,
      createFakeApi().api,
    );
    const rows = within(screen.getByTestId('reimbursements')).getAllByRole('row').slice(1);
    expect(rows[0]?.textContent).toContain('DOLIPRANE 1 g');
    expect(rows[0]?.textContent).toContain('01/08/2026');
    expect(rows[1]?.textContent).toContain('Consultation');
  });

  it('opens a latest document from the summary in the viewer', async () => {
    const user = userEvent.setup();
    const meta = documentMeta({ id: 'doc-vsm', title: 'Synthèse Médicale' });
    const fake = createFakeApi({
      'documents.get': () => ({ meta, narrativeHtml: '<p>Synthèse</p>', warnings: [] }),
    });
    renderWithApi(
      <EmergencyView
        summary={summary({
          latestDocuments: [
            {
              id: 'doc-vsm',
              title: 'Synthèse Médicale',
              typeCode: '60591-5',
              typeLabel: 'Synthèse',
              date: '2020-03-12',
            },
          ],
        })}
      />,
      fake.api,
    );
    await user.click(screen.getByRole('button', { name: 'Synthèse Médicale' }));
    const dialog = screen.getByRole('dialog', { name: 'Synthèse Médicale' });
    await within(dialog).findByTitle('Contenu : Synthèse Médicale');
    expect(fake.callsTo('documents.get')).toEqual([{ insKey: demoInsKey, id: 'doc-vsm' }]);
    expect(dialog.textContent).toContain('Dr Paul MEDECIN');
  });
});
