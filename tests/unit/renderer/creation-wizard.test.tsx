// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReferenceIdentity } from '../../../src/shared/contract';
import { CreationWizard } from '../../../src/renderer/src/features/creation/CreationWizard';
import { useStore } from '../../../src/renderer/src/state/store';
import { apiError, createFakeApi, type FakeApi, type Handlers } from './support/fake-api';
import { child, demoDossier, parent, patientContext } from './support/fixtures';
import { renderWithApi } from './support/render';

const pdfBase64 = btoa('%PDF-1.7\n% codes de test\n');

const parentIdentity: ReferenceIdentity = {
  matricule: '279035121518989',
  oid: '1.2.250.1.213.1.4.10',
  birthName: 'FAMILLE',
  firstNames: 'JEANNE',
  birthDate: '1979-03-05',
  sex: 'F',
  birthPlaceCode: '51215',
};
// 1150675123456 mod 97 = 70 → key 27.
const childIdentity: ReferenceIdentity = {
  ...parentIdentity,
  matricule: '115067512345627',
  firstNames: 'LEO',
  birthDate: '2015-06-12',
  sex: 'M',
};

function fake(handlers: Handlers = {}): FakeApi {
  return createFakeApi({
    'dossier.checkCreation': () => ({ existing: null, homonyms: [] }),
    'dossier.create': () => ({
      dossier: demoDossier,
      accessCodes: { fileName: 'codes-acces-PAT-TROIS.pdf', pdfBase64 },
    }),
    'patient.selectBeneficiary': () => ({
      status: 'authenticated',
      professional: null,
      pin: null,
      patient: null,
    }),
    ...handlers,
  });
}

const adultContext = patientContext({
  beneficiaries: [parent],
  selectedIndex: 0,
  source: 'vitale',
  dossier: null,
  access: null,
  identity: parentIdentity,
  dossierExists: false,
});

afterEach(() => vi.restoreAllMocks());

describe('CreationWizard', () => {
  it('shows the reference identity (five traits and INS), never a typed matricule, and creates with both consents pre-checked', async () => {
    const user = userEvent.setup();
    const api = fake();
    renderWithApi(<CreationWizard patient={adultContext} onCancel={() => undefined} />, api.api);
    expect(screen.queryByLabelText(/Matricule INS du bénéficiaire/)).toBeNull();
    expect(screen.getByText('2 79 03 51 215 189 89')).toBeTruthy();
    expect(screen.getByText('51215')).toBeTruthy();
    const next = screen.getByRole('button', { name: 'Suivant' }) as HTMLButtonElement;
    await vi.waitFor(() => expect(next.disabled).toBe(false));
    expect(api.callsTo('dossier.checkCreation')).toEqual([
      { beneficiaryIndex: 0, identity: { matricule: parentIdentity.matricule, oid: parentIdentity.oid } },
    ]);
    await user.click(screen.getByLabelText(/Pièce d’identité à haut niveau de confiance vérifiée/));
    expect(screen.getByText(/INS qualifiée : l’INS est qualifiée/)).toBeTruthy();
    await user.click(next);

    expect((screen.getByLabelText('Accepte l’accès en bris de glace') as HTMLInputElement).checked).toBe(
      true,
    );
    expect((screen.getByLabelText('Accepte l’accès par le centre 15') as HTMLInputElement).checked).toBe(
      true,
    );
    const create = screen.getByRole('button', { name: 'Créer le dossier' }) as HTMLButtonElement;
    expect(create.disabled).toBe(true);
    await user.click(screen.getByLabelText('Le patient a été informé et consent à la création de son DMP'));
    await user.click(create);

    expect(api.callsTo('dossier.create')).toEqual([
      {
        beneficiaryIndex: 0,
        identity: { matricule: parentIdentity.matricule, oid: parentIdentity.oid },
        identityDocumentChecked: true,
        legalRepresentatives: [],
        consent: {
          givenBy: 'patient',
          informed: true,
          brisDeGlaceOpposition: false,
          centre15Opposition: false,
        },
      },
    ]);
    expect(await screen.findByRole('button', { name: 'Imprimer les codes d’accès' })).toBeTruthy();
    expect(useStore.getState().created?.insKey).toBe(demoDossier.insKey);
    // The session looks the beneficiary up again, so the new dossier is never offered for creation again.
    expect(api.callsTo('patient.selectBeneficiary')).toEqual([{ index: 0 }]);
  });

  it('finding 3: an existing dossier for the person stops the wizard at the identity step', async () => {
    const api = fake({ 'dossier.checkCreation': () => ({ existing: demoDossier, homonyms: [] }) });
    renderWithApi(<CreationWizard patient={adultContext} onCancel={() => undefined} />, api.api);
    expect((await screen.findByRole('alert')).textContent).toMatch(/déjà un DMP/);
    expect((screen.getByRole('button', { name: 'Suivant' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('finding 3: homonyms are listed and must be confirmed as other people', async () => {
    const user = userEvent.setup();
    const homonym = {
      ...demoDossier,
      insKey: '279035121518989@1.2.250.1.213.1.4.8',
      identity: { ...demoDossier.identity, birthPlaceCode: '51215' },
    };
    const api = fake({ 'dossier.checkCreation': () => ({ existing: null, homonyms: [homonym] }) });
    renderWithApi(<CreationWizard patient={adultContext} onCancel={() => undefined} />, api.api);
    expect((await screen.findByRole('alert')).textContent).toMatch(/cinq mêmes traits/);
    const next = screen.getByRole('button', { name: 'Suivant' }) as HTMLButtonElement;
    expect(next.disabled).toBe(true);
    await user.click(screen.getByLabelText(/il s’agit d’une autre personne/));
    expect(next.disabled).toBe(false);
    await user.click(next);
    await user.click(screen.getByLabelText('Le patient a été informé et consent à la création de son DMP'));
    await user.click(screen.getByRole('button', { name: 'Créer le dossier' }));
    expect(api.callsTo('dossier.create')[0]).toMatchObject({ homonymsConfirmed: true });
  });

  it('finding 7: a minor needs a legal representative, who consents in the child’s name', async () => {
    const user = userEvent.setup();
    const api = fake();
    const context = patientContext({
      beneficiaries: [parent, child],
      selectedIndex: 1,
      source: 'vitale',
      dossier: null,
      access: null,
      identity: childIdentity,
      dossierExists: false,
    });
    renderWithApi(<CreationWizard patient={context} onCancel={() => undefined} />, api.api);
    const steps = screen.getByRole('list', { name: 'Étapes' });
    expect(within(steps).getByText('Représentants légaux')).toBeTruthy();
    const next = screen.getByRole('button', { name: 'Suivant' }) as HTMLButtonElement;
    await vi.waitFor(() => expect(next.disabled).toBe(false));
    await user.click(next);
    const toConsent = screen.getByRole('button', { name: 'Suivant' }) as HTMLButtonElement;
    expect(toConsent.disabled).toBe(true);
    await user.type(screen.getByLabelText('Nom'), 'FAMILLE');
    await user.type(screen.getByLabelText('Prénoms'), 'Jeanne');
    await user.click(toConsent);
    expect(
      screen.queryByLabelText('Le patient a été informé et consent à la création de son DMP'),
    ).toBeNull();
    await user.click(
      screen.getByLabelText(
        'Le représentant légal a été informé et consent à la création du DMP de l’enfant',
      ),
    );
    await user.click(screen.getByLabelText('Accepte l’accès en bris de glace'));
    await user.click(screen.getByRole('button', { name: 'Créer le dossier' }));
    expect(api.callsTo('dossier.create')).toEqual([
      {
        beneficiaryIndex: 1,
        identity: { matricule: childIdentity.matricule, oid: childIdentity.oid },
        identityDocumentChecked: false,
        legalRepresentatives: [{ lastName: 'FAMILLE', firstNames: 'Jeanne', relation: 'mère' }],
        consent: {
          givenBy: 'legal-representative',
          informed: true,
          brisDeGlaceOpposition: true,
          centre15Opposition: false,
        },
      },
    ]);
  });

  it('finding 7: the parent’s NIR is refused at the identity step, not at the last one', async () => {
    const api = fake({
      'dossier.checkCreation': () => {
        throw apiError(
          'INVALID_INPUT',
          'Ce numéro est celui de l’ouvrant droit inscrit sur la carte Vitale, pas celui de ce bénéficiaire.',
        );
      },
    });
    const context = patientContext({
      beneficiaries: [parent, child],
      selectedIndex: 1,
      source: 'vitale',
      dossier: null,
      access: null,
      identity: { ...childIdentity, matricule: parent.nir },
      dossierExists: false,
    });
    renderWithApi(<CreationWizard patient={context} onCancel={() => undefined} />, api.api);
    expect((await screen.findByRole('alert')).textContent).toMatch(/ouvrant droit/);
    expect(
      within(screen.getByRole('list', { name: 'Étapes' }))
        .getByText('Identité')
        .getAttribute('aria-current'),
    ).toBe('step');
    expect((screen.getByRole('button', { name: 'Suivant' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('without an identity from the card, searches the reference by the five traits and shows the answers side by side', async () => {
    const user = userEvent.setup();
    const other = { ...parentIdentity, matricule: '279035121518989', birthPlaceCode: '75056' };
    const api = fake({ 'identity.searchByTraits': () => [parentIdentity, other] });
    const context = patientContext({
      beneficiaries: [parent],
      selectedIndex: 0,
      source: 'vitale',
      dossier: null,
      access: null,
      notice: 'Identité introuvable.',
    });
    renderWithApi(<CreationWizard patient={context} onCancel={() => undefined} />, api.api);
    await user.click(screen.getByLabelText('Femme'));
    await user.click(screen.getByRole('button', { name: 'Rechercher l’identité' }));
    expect(api.callsTo('identity.searchByTraits')).toEqual([
      { birthName: 'FAMILLE', firstNames: 'Jeanne', birthDate: '1979-03-05', sex: 'F' },
    ]);
    const candidates = await screen.findAllByRole('article');
    expect(candidates).toHaveLength(2);
    await user.click(
      within(candidates[1] as HTMLElement).getByRole('button', { name: 'Choisir cette identité' }),
    );
    expect(api.callsTo('dossier.checkCreation')).toEqual([
      { beneficiaryIndex: 0, identity: { matricule: other.matricule, oid: other.oid } },
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
    renderWithApi(<CreationWizard patient={adultContext} onCancel={() => undefined} />, fake().api);
    const next = screen.getByRole('button', { name: 'Suivant' }) as HTMLButtonElement;
    await vi.waitFor(() => expect(next.disabled).toBe(false));
    await user.click(next);
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
    const api = fake({
      'dossier.create': () => {
        throw apiError('CONFLICT', 'Ce patient a déjà un DMP.');
      },
    });
    renderWithApi(<CreationWizard patient={adultContext} onCancel={() => undefined} />, api.api);
    const next = screen.getByRole('button', { name: 'Suivant' }) as HTMLButtonElement;
    await vi.waitFor(() => expect(next.disabled).toBe(false));
    await user.click(next);
    await user.click(screen.getByLabelText('Le patient a été informé et consent à la création de son DMP'));
    await user.click(screen.getByRole('button', { name: 'Créer le dossier' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Ce patient a déjà un DMP.');
    expect(
      within(screen.getByRole('list', { name: 'Étapes' }))
        .getByText('Consentement')
        .getAttribute('aria-current'),
    ).toBe('step');
  });
});
