// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { PatientSearch } from '../../../src/renderer/src/features/search/PatientSearch';
import { AccessModeBanner } from '../../../src/renderer/src/features/access/AccessModeBanner';
import { useStore } from '../../../src/renderer/src/state/store';
import { apiError, createFakeApi } from './support/fake-api';
import { demoDossier, demoInsKey, doctor, patientContext, secretary, session } from './support/fixtures';
import { renderWithApi } from './support/render';

const urgentist = doctor({ specialtyLabel: 'Médecine d’urgence' });

describe('PatientSearch', () => {
  it('finds a dossier by INS key and opens it by bris de glace only once a non-blank reason is given', async () => {
    const user = userEvent.setup();
    const fake = createFakeApi({
      'patient.search': () => [demoDossier],
      'patient.open': () =>
        session({
          patient: patientContext({
            access: { mode: 'bris_de_glace', reason: 'Inconscient', since: '2026-11-23T10:00:00Z' },
          }),
        }),
    });
    renderWithApi(<PatientSearch professional={urgentist} />, fake.api);

    await user.type(screen.getByLabelText('INS (matricule ou matricule@OID)'), demoInsKey);
    await user.click(screen.getByRole('button', { name: 'Rechercher' }));
    const results = await screen.findByRole('list', { name: 'Dossiers trouvés' });
    expect(fake.callsTo('patient.search')).toEqual([{ insKey: demoInsKey }]);
    expect(results.textContent).toContain('PAT-TROIS DOMINIQUE');
    expect(results.textContent).toContain('Identité de test');

    await user.click(within(results).getByRole('button', { name: 'Bris de glace…' }));
    const dialog = screen.getByRole('dialog', { name: 'Accès en bris de glace' });
    const reason = within(dialog).getByLabelText('Motif (obligatoire)');
    expect(document.activeElement).toBe(reason);
    const submit = within(dialog).getByRole('button', {
      name: 'Ouvrir en bris de glace',
    }) as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    await user.type(reason, '   ');
    expect(submit.disabled).toBe(true);
    await user.type(reason, ' Patient inconscient, détresse respiratoire ');
    expect(submit.disabled).toBe(false);
    await user.click(submit);

    expect(fake.callsTo('patient.open')).toEqual([
      { insKey: demoInsKey, mode: 'bris_de_glace', reason: 'Patient inconscient, détresse respiratoire' },
    ]);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('completes a bare matricule with the chosen OID and refuses a malformed one without calling the API', async () => {
    const user = userEvent.setup();
    const fake = createFakeApi({ 'patient.search': () => [] });
    renderWithApi(<PatientSearch professional={urgentist} />, fake.api);
    const field = screen.getByLabelText('INS (matricule ou matricule@OID)');
    await user.type(field, '2790351215');
    await user.click(screen.getByRole('button', { name: 'Rechercher' }));
    expect(screen.getByRole('alert').textContent).toMatch(/INS invalide/);
    expect(fake.callsTo('patient.search')).toEqual([]);

    await user.clear(field);
    await user.type(field, '2 79 03 51 215 189 89');
    await user.selectOptions(screen.getByLabelText('Type d’identifiant'), 'Test');
    await user.click(screen.getByRole('button', { name: 'Rechercher' }));
    expect(await screen.findByText('Aucun dossier trouvé.')).toBeTruthy();
    expect(fake.callsTo('patient.search')).toEqual([{ insKey: demoInsKey }]);
  });

  it('searches by name and birth date', async () => {
    const user = userEvent.setup();
    const fake = createFakeApi({ 'patient.search': () => [demoDossier] });
    renderWithApi(<PatientSearch professional={urgentist} />, fake.api);
    await user.click(screen.getByLabelText('Nom et date de naissance'));
    await user.type(screen.getByLabelText('Nom de naissance'), 'PAT-TROIS');
    await user.type(screen.getByLabelText('Date de naissance'), '1979-03-05');
    await user.click(screen.getByRole('button', { name: 'Rechercher' }));
    await screen.findByRole('list', { name: 'Dossiers trouvés' });
    expect(fake.callsTo('patient.search')).toEqual([{ name: 'PAT-TROIS', birthDate: '1979-03-05' }]);
  });

  it('offers Centre 15 to a CPS médecin only, and shows a refusal in plain French as returned', async () => {
    const user = userEvent.setup();
    const fake = createFakeApi({
      'patient.search': () => [demoDossier],
      'patient.open': () => {
        throw apiError('FORBIDDEN', 'Le patient s’est opposé à l’accès par le centre 15.');
      },
    });
    renderWithApi(<PatientSearch professional={urgentist} />, fake.api);
    await user.type(screen.getByLabelText('INS (matricule ou matricule@OID)'), demoInsKey);
    await user.click(screen.getByRole('button', { name: 'Rechercher' }));
    await user.click(await screen.findByRole('button', { name: 'Centre 15…' }));
    const dialog = screen.getByRole('dialog', { name: 'Accès Centre 15 (régulation)' });
    await user.type(within(dialog).getByLabelText('Motif (obligatoire)'), 'Appel 15 n° 4521');
    await user.click(within(dialog).getByRole('button', { name: 'Ouvrir en mode Centre 15' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe(
      'Le patient s’est opposé à l’accès par le centre 15.',
    );
    expect(fake.callsTo('patient.open')).toEqual([
      { insKey: demoInsKey, mode: 'centre_15', reason: 'Appel 15 n° 4521' },
    ]);
  });

  it('offers neither bris de glace nor Centre 15 to a CPE secretary, nor Centre 15 to a nurse', async () => {
    const user = userEvent.setup();
    const fake = createFakeApi({ 'patient.search': () => [demoDossier] });
    const { unmount } = renderWithApi(<PatientSearch professional={secretary()} />, fake.api);
    await user.type(screen.getByLabelText('INS (matricule ou matricule@OID)'), demoInsKey);
    await user.click(screen.getByRole('button', { name: 'Rechercher' }));
    await screen.findByRole('list', { name: 'Dossiers trouvés' });
    expect(screen.queryByRole('button', { name: 'Bris de glace…' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Centre 15…' })).toBeNull();
    unmount();

    renderWithApi(
      <PatientSearch professional={doctor({ professionCode: '60', professionLabel: 'Infirmier' })} />,
      fake.api,
    );
    await user.type(screen.getByLabelText('INS (matricule ou matricule@OID)'), demoInsKey);
    await user.click(screen.getByRole('button', { name: 'Rechercher' }));
    await screen.findByRole('list', { name: 'Dossiers trouvés' });
    expect(screen.getByRole('button', { name: 'Bris de glace…' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Centre 15…' })).toBeNull();
  });

  it('closes the reason dialog on Escape without opening anything', async () => {
    const user = userEvent.setup();
    const fake = createFakeApi({ 'patient.search': () => [demoDossier] });
    renderWithApi(<PatientSearch professional={urgentist} />, fake.api);
    await user.type(screen.getByLabelText('INS (matricule ou matricule@OID)'), demoInsKey);
    await user.click(screen.getByRole('button', { name: 'Rechercher' }));
    await user.click(await screen.findByRole('button', { name: 'Bris de glace…' }));
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(fake.callsTo('patient.open')).toEqual([]);
  });
});

describe('AccessModeBanner', () => {
  it('is a red alert with the reason while the dossier is open by bris de glace', () => {
    useStore.setState({
      session: session({
        patient: patientContext({
          access: { mode: 'bris_de_glace', reason: 'Coma', since: '2026-11-23T10:00:00Z' },
        }),
      }),
    });
    renderWithApi(<AccessModeBanner />, createFakeApi().api);
    const banner = screen.getByRole('alert');
    expect(banner.textContent).toContain('Accès en bris de glace — motif : Coma');
    expect(banner.className).toContain('access-banner--bdg');
  });

  it('is absent in normal mode and while the session is locked', () => {
    useStore.setState({ session: session({ patient: patientContext() }) });
    const { unmount } = renderWithApi(<AccessModeBanner />, createFakeApi().api);
    expect(screen.queryByRole('alert')).toBeNull();
    unmount();
    useStore.setState({
      session: session({
        status: 'locked',
        patient: patientContext({ access: { mode: 'bris_de_glace', reason: 'Coma', since: 'x' } }),
      }),
    });
    renderWithApi(<AccessModeBanner />, createFakeApi().api);
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
