// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CardBar } from '../../../src/renderer/src/features/card-bar/CardBar';
import { PinDialog } from '../../../src/renderer/src/features/card-bar/PinDialog';
import { useStore } from '../../../src/renderer/src/state/store';
import { createFakeApi, apiError } from './support/fake-api';
import { cpsReader, session, vitaleReader } from './support/fixtures';
import { renderWithApi } from './support/render';

describe('CardBar', () => {
  it('shows each reader with its card, holder, profession and PIN tries, and the session state', () => {
    useStore.setState({
      readers: [cpsReader(1), vitaleReader(), { name: 'Lecteur vide', card: null }],
      session: session({ status: 'pin_required', pin: { triesLeft: 1, triesMax: 3, blocked: false } }),
    });
    renderWithApi(<CardBar />, createFakeApi().api);
    const cps = screen.getByTestId('reader-Lecteur CPS');
    expect(cps.textContent).toContain('CPS · Paul MEDECIN · Médecin (Médecine générale)');
    expect(cps.textContent).toContain('code : 1 essai restant sur 3');
    expect(cps.textContent).toContain('carte de test');
    expect(screen.getByTestId('reader-Lecteur Vitale').textContent).toContain(
      'Carte Vitale · 2 bénéficiaires',
    );
    expect(screen.getByTestId('reader-Lecteur vide').textContent).toContain('Vide');
    expect(screen.getByRole('status').textContent).toBe('Code porteur requis · 1 essai restant');
    expect(screen.queryByRole('button', { name: 'Verrouiller' })).toBeNull();
  });

  it('shows a hidden Vitale as present, without any beneficiary detail, before login', () => {
    useStore.setState({
      readers: [
        cpsReader(),
        { name: 'Lecteur Vitale', card: { kind: 'vitale-hidden', status: 'production' } },
      ],
      session: session({ status: 'pin_required' }),
    });
    renderWithApi(<CardBar />, createFakeApi().api);
    const vitale = screen.getByTestId('reader-Lecteur Vitale').textContent ?? '';
    expect(vitale).toContain('Carte Vitale présente');
    expect(vitale).not.toMatch(/bénéficiaire/);
  });

  it('shows the shared host’s reason when the host ended the session (card revoked)', () => {
    const message =
      'Carte du professionnel révoquée : session fermée. Le certificat de cette carte a été révoqué (carte perdue, volée ou remplacée) ; utilisez votre nouvelle carte ou contactez l’autorité qui l’a délivrée.';
    useStore.setState({
      readers: [cpsReader()],
      session: session({ status: 'locked', patient: null, endedByHost: { cause: 'card-revoked', message } }),
    });
    renderWithApi(<CardBar />, createFakeApi().api);
    expect(screen.getByRole('status').textContent).toContain('Session verrouillée');
    expect(screen.getByTestId('session-ended-by-host').textContent).toBe(message);
    expect(screen.getByRole('alert').textContent).toBe(message);
  });

  it('offers to lock an authenticated session and calls session.lock', async () => {
    const fake = createFakeApi({ 'session.lock': () => session({ status: 'locked' }) });
    useStore.setState({ readers: [cpsReader()], session: session() });
    renderWithApi(<CardBar />, fake.api);
    await userEvent.click(screen.getByRole('button', { name: 'Verrouiller' }));
    expect(fake.callsTo('session.lock')).toEqual([{}]);
  });
});

describe('PinDialog', () => {
  it('asks no code for a card the shared host found revoked', () => {
    renderWithApi(
      <PinDialog
        session={session({
          status: 'locked',
          patient: null,
          endedByHost: {
            cause: 'card-revoked',
            message: 'Carte du professionnel révoquée : session fermée.',
          },
        })}
      />,
      createFakeApi().api,
    );
    expect(screen.queryByLabelText('Code à 4 chiffres')).toBeNull();
    expect(screen.getByRole('alert').textContent).toMatch(/Carte révoquée.*ne peut plus être utilisée/);
  });

  it('asks the code again after an inactivity end on the host', () => {
    renderWithApi(
      <PinDialog
        session={session({
          status: 'locked',
          patient: null,
          endedByHost: {
            cause: 'inactivity',
            message: 'Session du professionnel terminée après inactivité : présentez à nouveau votre carte.',
          },
        })}
      />,
      createFakeApi().api,
    );
    expect(screen.getByLabelText('Code à 4 chiffres')).toBeTruthy();
  });

  it('accepts digits only, masks them, sends the code once and clears the field', async () => {
    const user = userEvent.setup();
    const fake = createFakeApi({
      'session.verifyPin': () => ({ success: true, pin: { triesLeft: 3, triesMax: 3, blocked: false } }),
    });
    renderWithApi(<PinDialog session={session({ status: 'pin_required' })} />, fake.api);
    const input = screen.getByLabelText('Code à 4 chiffres') as HTMLInputElement;
    expect(input.type).toBe('password');
    const submit = screen.getByRole('button', { name: 'Valider' }) as HTMLButtonElement;
    await user.type(input, '12a3');
    expect(input.value).toBe('123');
    expect(submit.disabled).toBe(true);
    await user.type(input, '4');
    await user.click(submit);
    expect(fake.callsTo('session.verifyPin')).toEqual([{ reader: 'Lecteur CPS', pin: '1234' }]);
    expect(input.value).toBe('');
  });

  it('says how many tries are left after a wrong code, and warns before the last one', async () => {
    const user = userEvent.setup();
    const fake = createFakeApi({
      'session.verifyPin': () => ({ success: false, pin: { triesLeft: 1, triesMax: 3, blocked: false } }),
    });
    renderWithApi(
      <PinDialog
        session={session({ status: 'pin_required', pin: { triesLeft: 2, triesMax: 3, blocked: false } })}
      />,
      fake.api,
    );
    expect(screen.getByText('2 essais restants')).toBeTruthy();
    await user.type(screen.getByLabelText('Code à 4 chiffres'), '0000');
    await user.click(screen.getByRole('button', { name: 'Valider' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Code erroné. 1 essai restant.');
  });

  it('shows the API refusal in French', async () => {
    const user = userEvent.setup();
    const fake = createFakeApi({
      'session.verifyPin': () => {
        throw apiError('CARD_ERROR', 'La carte ne répond pas.');
      },
    });
    renderWithApi(<PinDialog session={session({ status: 'pin_required' })} />, fake.api);
    await user.type(screen.getByLabelText('Code à 4 chiffres'), '1234');
    await user.click(screen.getByRole('button', { name: 'Valider' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('La carte ne répond pas.'));
  });

  it('points a blocked card to the unblock procedure and offers no code field', () => {
    renderWithApi(
      <PinDialog
        session={session({ status: 'pin_blocked', pin: { triesLeft: 0, triesMax: 3, blocked: true } })}
      />,
      createFakeApi().api,
    );
    const alert = screen.getByRole('alert');
    expect(within(alert).getByRole('heading', { name: 'Carte bloquée' })).toBeTruthy();
    expect(alert.textContent).toContain('code de déblocage');
    expect(screen.queryByLabelText('Code à 4 chiffres')).toBeNull();
  });
});
