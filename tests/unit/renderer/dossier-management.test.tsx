// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../../../src/renderer/src/app/App';
import { PatientSearch } from '../../../src/renderer/src/features/search/PatientSearch';
import { startSync } from '../../../src/renderer/src/state/sync';
import { createFakeApi, type Handlers } from './support/fake-api';
import {
  cpsReader,
  demoDossier,
  demoInsKey,
  parent,
  patientContext,
  secretary,
  session,
  summary,
  vitaleReader,
} from './support/fixtures';
import { renderWithApi } from './support/render';
import type { SessionState } from '../../../src/shared/contract';

function boot(initial: SessionState, handlers: Handlers = {}) {
  const fake = createFakeApi({
    'app.info': () => ({ version: '0.1.0', host: 'web', simulation: false, production: false, warnings: [] }),
    'cards.list': () => [cpsReader(), vitaleReader()],
    'session.get': () => initial,
    'summary.get': () => summary(),
    'dossier.professionals': () => [
      { nationalId: '810000000002', name: 'Antoine VIDAL', relation: 'authorized', treatingPhysician: false },
      {
        nationalId: '810000000003',
        name: 'Claire BONNEFOY',
        relation: 'authorized',
        treatingPhysician: true,
      },
    ],
    ...handlers,
  });
  const stop = startSync(fake.api);
  renderWithApi(<App />, fake.api);
  return { fake, stop };
}

const fromVitale = patientContext({ source: 'vitale', beneficiaries: [parent], selectedIndex: 0 });

describe('dossier governance in the UI (issue 11, finding 2)', () => {
  it('offers no closing or reactivation next to « Ouvrir » in the search results', async () => {
    const user = userEvent.setup();
    const fake = createFakeApi({
      'patient.search': () => [
        demoDossier,
        { ...demoDossier, insKey: '279035121518990@1.2.250.1.213.1.4.10', status: 'closed' },
      ],
    });
    renderWithApi(<PatientSearch professional={secretary()} />, fake.api);
    await user.type(screen.getByLabelText('INS (matricule ou matricule@OID)'), demoInsKey);
    await user.click(screen.getByRole('button', { name: 'Rechercher' }));
    const results = await screen.findByRole('list', { name: 'Dossiers trouvés' });
    expect(within(results).queryByRole('button', { name: /Fermer|Clôturer|Réactiver/ })).toBeNull();
  });

  it('names the banner link « Quitter le dossier » and closes the DMP from its own tab, with the patient present and a reason', async () => {
    const user = userEvent.setup();
    const { fake, stop } = boot(session({ patient: fromVitale }), {
      'dossier.close': () => ({ ...demoDossier, status: 'closed' }),
      'patient.close': () => session(),
    });
    const banner = await screen.findByRole('region', { name: 'Patient' });
    expect(within(banner).getByRole('button', { name: 'Quitter le dossier' })).toBeTruthy();
    expect(within(banner).queryByRole('button', { name: /Fermer le dossier|Clôturer/ })).toBeNull();
    await user.click(screen.getByRole('tab', { name: 'Gestion du DMP' }));
    await user.click(await screen.findByRole('button', { name: 'Clôturer le DMP…' }));
    const dialog = screen.getByRole('dialog', { name: 'Clôturer le DMP' });
    expect(dialog.textContent).toContain('Le patient est présent');
    const submit = within(dialog).getByRole('button', { name: 'Clôturer le DMP' }) as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    await user.type(within(dialog).getByLabelText('Motif de clôture (obligatoire)'), ' Demande du patient ');
    await user.click(submit);
    expect(fake.callsTo('dossier.close')).toEqual([
      { insKey: demoInsKey, reason: 'Demande du patient', atPatientRequest: false },
    ]);
    stop();
  });

  it('asks for the patient’s written request when they are not present', async () => {
    const user = userEvent.setup();
    const { fake, stop } = boot(session({ patient: patientContext() }), {
      'dossier.close': () => ({ ...demoDossier, status: 'closed' }),
      'patient.close': () => session(),
    });
    await user.click(await screen.findByRole('tab', { name: 'Gestion du DMP' }));
    await user.click(await screen.findByRole('button', { name: 'Clôturer le DMP…' }));
    const dialog = screen.getByRole('dialog', { name: 'Clôturer le DMP' });
    expect(dialog.textContent).toContain('sa demande écrite est nécessaire');
    await user.click(within(dialog).getByLabelText('Le patient en a fait la demande écrite'));
    await user.type(within(dialog).getByLabelText('Motif de clôture (obligatoire)'), 'Courrier du 2 mai');
    await user.click(within(dialog).getByRole('button', { name: 'Clôturer le DMP' }));
    expect(fake.callsTo('dossier.close')).toEqual([
      { insKey: demoInsKey, reason: 'Courrier du 2 mai', atPatientRequest: true },
    ]);
    stop();
  });

  it('lets the desk reactivate the closed DMP of the patient present', async () => {
    const user = userEvent.setup();
    const closed = { ...demoDossier, status: 'closed' as const };
    const atDesk = patientContext({
      source: 'vitale',
      beneficiaries: [parent],
      selectedIndex: 0,
      dossier: null,
      access: null,
      notice: 'Ce DMP est clôturé.',
    });
    const { fake, stop } = boot(session({ professional: secretary(), patient: atDesk }), {
      'dossier.ofPresentPatient': () => closed,
      'dossier.reactivate': () => demoDossier,
      'patient.selectBeneficiary': () => session({ professional: secretary(), patient: atDesk }),
    });
    await user.click(await screen.findByRole('button', { name: 'Réactiver le DMP…' }));
    const dialog = screen.getByRole('dialog', { name: 'Réactiver le DMP' });
    await user.type(
      within(dialog).getByLabelText('Motif de réactivation (obligatoire)'),
      'Le patient le demande',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Réactiver le DMP' }));
    expect(fake.callsTo('dossier.reactivate')).toEqual([
      { insKey: demoInsKey, reason: 'Le patient le demande', atPatientRequest: false },
    ]);
    await waitFor(() => expect(fake.callsTo('patient.selectBeneficiary')).toEqual([{ index: 0 }]));
    stop();
  });
});

describe('the patient’s choices in the UI (issue 11, finding 8)', () => {
  it('declares the doctor médecin traitant and records a block, each after a confirmation', async () => {
    const user = userEvent.setup();
    const { fake, stop } = boot(session({ patient: fromVitale }), {
      'dossier.declareTreatingPhysician': () => ({ ok: true }),
      'dossier.recordBlock': () => ({ ok: true }),
    });
    await user.click(await screen.findByRole('tab', { name: 'Gestion du DMP' }));
    expect(await screen.findByText('Médecin traitant déclaré : Claire BONNEFOY.')).toBeTruthy();
    await user.click(
      screen.getByRole('button', { name: 'Me déclarer médecin traitant (accord du patient)…' }),
    );
    expect(fake.callsTo('dossier.declareTreatingPhysician')).toEqual([]);
    await user.click(
      within(screen.getByRole('dialog', { name: 'Me déclarer médecin traitant' })).getByRole('button', {
        name: 'Confirmer',
      }),
    );
    expect(fake.callsTo('dossier.declareTreatingPhysician')).toEqual([
      { insKey: demoInsKey, patientConsent: true },
    ]);
    const list = screen.getByRole('list', { name: 'Professionnels du dossier' });
    // The médecin traitant cannot be blocked: no button on their line.
    expect(within(list).getAllByRole('button')).toHaveLength(1);
    await user.click(within(list).getByRole('button', { name: 'Bloquer à la demande du patient…' }));
    await user.click(
      within(screen.getByRole('dialog', { name: 'Bloquer ce professionnel' })).getByRole('button', {
        name: 'Confirmer',
      }),
    );
    expect(fake.callsTo('dossier.recordBlock')).toEqual([
      { insKey: demoInsKey, nationalId: '810000000002', blocked: true, atPatientRequest: true },
    ]);
    stop();
  });
});
