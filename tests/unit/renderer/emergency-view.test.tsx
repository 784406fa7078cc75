// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { EmergencyView } from '../../../src/renderer/src/features/emergency/EmergencyView';
import { frenchTypography, statusText } from '../../../src/renderer/src/features/emergency/wording';
import { demoInsKey, documentMeta, summary } from './support/fixtures';
import { createFakeApi } from './support/fake-api';
import { renderWithApi } from './support/render';

describe('statusText', () => {
  it('shows clinical statuses in French where they mean something, never a code or an HL7 keyword', () => {
    expect(statusText('problem', 'active')).toBe('actif');
    expect(statusText('allergy', 'active')).toBe('active');
    expect(statusText('problem', 'Intermittent')).toBe('intermittent');
    expect(statusText('problem', 'G-A397')).toBeNull();
    expect(statusText('problem', 'completed')).toBeNull();
    expect(statusText('medication', 'completed')).toBeNull();
    expect(statusText('medication', 'active')).toBeNull();
    expect(statusText('immunization', 'not-done')).toBeNull();
  });
});

describe('frenchTypography', () => {
  it('restores « œ » in the words that take it, and leaves other « oe » alone', () => {
    expect(frenchTypography('Soeur, SOEUR, coeur, oedème, manoeuvres')).toBe(
      'Sœur, SŒUR, cœur, œdème, manœuvres',
    );
    expect(frenchTypography('coexister, Noël, Boeing, poète')).toBe('coexister, Noël, Boeing, poète');
  });
});

describe('EmergencyView', () => {
  it('puts allergies first and says « Non renseigné » for every empty section instead of hiding it', () => {
    renderWithApi(<EmergencyView summary={summary()} />, createFakeApi().api);
    const headings = screen.getAllByRole('heading', { level: 3 }).map((h) => h.textContent ?? '');
    expect(headings[0]).toMatch(/Allergies et intolérances/);
    expect(headings.some((h) => h.startsWith('Vaccinations'))).toBe(true);
    expect(within(screen.getByTestId('problems')).getByText('Non renseigné')).toBeTruthy();
    expect(within(screen.getByTestId('directives')).getByText('Non renseigné')).toBeTruthy();
    expect(within(screen.getByTestId('latest-documents')).getByText('Non renseigné')).toBeTruthy();
    expect(within(screen.getByTestId('allergies')).queryByText('Non renseigné')).toBeNull();
  });

  it('shows dose, start date and prescriber of a treatment, and names its source document', () => {
    renderWithApi(<EmergencyView summary={summary()} />, createFakeApi().api);
    const meds = screen.getByTestId('medications');
    expect(meds.textContent).toContain('PLAVIX 75 mg');
    expect(meds.textContent).toContain('1 cp par jour');
    expect(meds.textContent).toContain('depuis le 01/05/2021');
    expect(meds.textContent).toContain('prescrit par Dr Paul MEDECIN');
    const source = within(meds).getByRole('button', { name: /^Source de « PLAVIX 75 mg »/ });
    expect(source.textContent).toContain('Synthèse VSM · Dr Paul MEDECIN · 15/01/2022');
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
