// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { act, screen, waitFor } from '@testing-library/react';
import { App } from '../../../src/renderer/src/app/App';
import { startSync } from '../../../src/renderer/src/state/sync';
import { createFakeApi } from './support/fake-api';
import { cpsReader, patientContext, session, summary } from './support/fixtures';
import { renderWithApi } from './support/render';
import type { ReaderDisplay, SessionState } from '../../../src/shared/contract';

describe('App while the link to the workstation service is down', () => {
  it('shows a French banner, hides patient data and the card state, disables actions, and shows the truth once back', async () => {
    const truth: { readers: ReaderDisplay[]; session: SessionState } = {
      readers: [cpsReader()],
      session: session({ patient: patientContext() }),
    };
    const fake = createFakeApi({
      'app.info': () => ({
        version: '0.1.0',
        host: 'web',
        simulation: true,
        production: false,
        warnings: [],
      }),
      'cards.list': () => truth.readers,
      'session.get': () => truth.session,
      'host.status': () => ({ mode: 'embedded' }),
      'summary.get': () => summary(),
      'simulator.profiles': () => [],
    });
    const stop = startSync(fake.api);
    const view = renderWithApi(<App />, fake.api);
    await screen.findByRole('region', { name: 'Patient' });
    expect(screen.getByTestId('reader-Lecteur CPS').textContent).toContain('CPS');

    act(() => fake.setConnection({ state: 'disconnected', attempts: 1 }));
    expect(screen.getByTestId('connection-banner').textContent).toContain(
      'Connexion au service local interrompue — reconnexion…',
    );
    expect(screen.queryByRole('region', { name: 'Patient' })).toBeNull();
    // Kept mounted (a form being filled survives a blip) but hidden: out of sight and of the a11y tree.
    expect(screen.queryByRole('heading', { name: /Allergies/ })).toBeNull();
    expect(screen.getByTestId('allergies').closest('[hidden]')).not.toBeNull();
    expect(screen.queryByTestId('reader-Lecteur CPS')).toBeNull();
    expect(screen.getByText('État des lecteurs inconnu (connexion interrompue)')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Verrouiller' })).toBeNull();
    expect(view.container.querySelector('.app-body')?.hasAttribute('inert')).toBe(true);
    expect(view.container.querySelector('.app-header')?.hasAttribute('inert')).toBe(true);

    // Many failed attempts: the host was perhaps restarted with a new address.
    act(() => fake.setConnection({ state: 'disconnected', attempts: 6 }));
    expect(screen.getByTestId('connection-banner').textContent).toContain('rouvrez l’adresse');

    // During the gap the CPS was pulled and the session locked.
    truth.readers = [{ name: 'Lecteur CPS', card: null }];
    truth.session = session({ status: 'locked', professional: null, pin: null, patient: null });
    act(() => fake.setConnection({ state: 'reconnected', attempts: 0 }));
    await waitFor(() => expect(screen.queryByTestId('connection-banner')).toBeNull());
    expect(screen.getByTestId('reader-Lecteur CPS').textContent).toContain('Vide');
    expect(screen.getByTestId('lock-screen')).toBeTruthy();
    expect(view.container.querySelector('.app-body')?.hasAttribute('inert')).toBe(false);
    stop();
  });
});
