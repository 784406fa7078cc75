// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CreationWizard } from '../../../src/renderer/src/features/creation/CreationWizard';
import { useStore } from '../../../src/renderer/src/state/store';
import { apiError, createFakeApi, type FakeApi } from './support/fake-api';
import { child, demoDossier, parent } from './support/fixtures';
import { renderWithApi } from './support/render';

const pdfBase64 = btoa('%PDF-1.7\n% codes de test\n');

function fakeCreate(): FakeApi {
  return createFakeApi({
    'dossier.create': () => ({ dossier: demoDossier, accessCodes: { fileName: 'codes-acces-PAT-TROIS.pdf', pdfBase64 } }),
  });
}

afterEach(() => vi.restoreAllMocks());

describe('CreationWizard', () => {
  it('prefills the card NIR and sex for the card holder, then creates with both consents pre-checked', async () => {
    const user = userEvent.setup();
    const fake = fakeCreate();
    renderWithApi(<CreationWizard beneficiaries={[parent]} initialIndex={0} onCancel={() => undefined} />, fake.api);
    await user.click(screen.getByRole('button', { name: 'Suivant' }));
    expect((screen.getByLabelText('Matricule INS du bénéficiaire (15 caractères)') as HTMLInputElement).value).toBe('279035121518989');
    expect((screen.getByLabelText('Femme') as HTMLInputElement).checked).toBe(true);
    expect(screen.getByRole('note').textContent).toMatch(/L’INS d’un enfant ou d’un ayant droit est différent/);
    await user.click(screen.getByLabelText('Pièce d’identité vérifiée'));
    await user.click(screen.getByRole('button', { name: 'Suivant' }));

    expect((screen.getByLabelText('Accepte l’accès en bris de glace') as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText('Accepte l’accès par le centre 15') as HTMLInputElement).checked).toBe(true);
    const create = screen.getByRole('button', { name: 'Créer le dossier' }) as HTMLButtonElement;
    expect(create.disabled).toBe(true);
    await user.click(screen.getByLabelText('Le patient a été informé et consent à la création de son DMP'));
    await user.click(create);

    expect(fake.callsTo('dossier.create')).toEqual([
      {
        beneficiaryIndex: 0,
        identity: { matricule: '279035121518989', sex: 'F', identityDocumentChecked: true },
        consent: { patientInformed: true, brisDeGlaceOpposition: false, centre15Opposition: false },
      },
    ]);
    expect(await screen.findByRole('button', { name: 'Imprimer les codes d’accès' })).toBeTruthy();
    expect(useStore.getState().created?.insKey).toBe(demoDossier.insKey);
  });

  it('never prefills a child with the parent’s NIR, refuses a wrong key, and records oppositions', async () => {
    const user = userEvent.setup();
    const fake = fakeCreate();
    renderWithApi(<CreationWizard beneficiaries={[parent, child]} initialIndex={null} onCancel={() => undefined} />, fake.api);
    await user.click(screen.getByLabelText(/FAMILLE Léo/));
    await user.click(screen.getByRole('button', { name: 'Suivant' }));
    const matricule = screen.getByLabelText('Matricule INS du bénéficiaire (15 caractères)') as HTMLInputElement;
    expect(matricule.value).toBe('');
    expect((screen.getByLabelText('Homme') as HTMLInputElement).checked).toBe(false);
    const next = screen.getByRole('button', { name: 'Suivant' }) as HTMLButtonElement;

    await user.type(matricule, '115067512345600');
    await user.click(screen.getByLabelText('Homme'));
    expect(screen.getByText('Matricule invalide (clé de contrôle incorrecte).')).toBeTruthy();
    expect(next.disabled).toBe(true);
    await user.clear(matricule);
    // 1150675123456 mod 97 = 70 → key 27.
    await user.type(matricule, '115067512345627');
    expect(next.disabled).toBe(false);
    await user.click(next);

    await user.click(screen.getByLabelText('Le patient a été informé et consent à la création de son DMP'));
    await user.click(screen.getByLabelText('Accepte l’accès en bris de glace'));
    expect(screen.getByText(/Opposition à l’accès en bris de glace/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Créer le dossier' }));
    expect(fake.callsTo('dossier.create')).toEqual([
      {
        beneficiaryIndex: 1,
        identity: { matricule: '115067512345627', sex: 'M', identityDocumentChecked: false },
        consent: { patientInformed: true, brisDeGlaceOpposition: true, centre15Opposition: false },
      },
    ]);
  });

  it('prints the access codes as a PDF download named by the response', async () => {
    const user = userEvent.setup();
    const created: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      created.push(blob as Blob);
      return 'blob:codes';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const clicked: HTMLAnchorElement[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this);
    });
    renderWithApi(<CreationWizard beneficiaries={[parent]} initialIndex={0} onCancel={() => undefined} />, fakeCreate().api);
    await user.click(screen.getByRole('button', { name: 'Suivant' }));
    await user.click(screen.getByRole('button', { name: 'Suivant' }));
    await user.click(screen.getByLabelText('Le patient a été informé et consent à la création de son DMP'));
    await user.click(screen.getByRole('button', { name: 'Créer le dossier' }));
    await user.click(await screen.findByRole('button', { name: 'Imprimer les codes d’accès' }));

    expect(clicked).toHaveLength(1);
    expect(clicked[0]?.download).toBe('codes-acces-PAT-TROIS.pdf');
    expect(created[0]?.type).toBe('application/pdf');
    const head = new Uint8Array(await (created[0] as Blob).arrayBuffer()).slice(0, 5);
    expect(new TextDecoder().decode(head)).toBe('%PDF-');
  });

  it('shows a refusal from the main process and stays on the consent step', async () => {
    const user = userEvent.setup();
    const fake = createFakeApi({
      'dossier.create': () => {
        throw apiError('CONFLICT', 'Ce patient a déjà un DMP.');
      },
    });
    renderWithApi(<CreationWizard beneficiaries={[parent]} initialIndex={0} onCancel={() => undefined} />, fake.api);
    await user.click(screen.getByRole('button', { name: 'Suivant' }));
    await user.click(screen.getByRole('button', { name: 'Suivant' }));
    await user.click(screen.getByLabelText('Le patient a été informé et consent à la création de son DMP'));
    await user.click(screen.getByRole('button', { name: 'Créer le dossier' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Ce patient a déjà un DMP.');
    expect(within(screen.getByRole('list', { name: 'Étapes' })).getByText('Consentement').getAttribute('aria-current')).toBe('step');
  });
});
