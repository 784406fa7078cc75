// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../../../src/renderer/src/app/App';
import { startSync } from '../../../src/renderer/src/state/sync';
import type { HostStatus, SessionState } from '../../../src/shared/contract';
import { createFakeApi, apiError, type Handlers } from './support/fake-api';
import { cpsReader, patientContext, session, summary } from './support/fixtures';
import { renderWithApi } from './support/render';

const connected: HostStatus = {
  mode: 'remote',
  url: 'https://dmp.chu.test:8443',
  state: 'connected',
  message: 'Connecté au serveur DMP.',
  since: '2026-12-02T07:00:00.000Z',
};
const unreachable: HostStatus = {
  ...connected,
  state: 'unreachable',
  message: 'Serveur DMP injoignable — aucune donnée affichée.',
  since: '2026-12-02T07:05:00.000Z',
};
const refused: HostStatus = {
  ...connected,
  state: 'refused',
  message: 'Certificat du poste refusé par le serveur.',
};

function boot(initial: SessionState, host: HostStatus, handlers: Handlers = {}) {
  const fake = createFakeApi({
    'app.info': () => ({ version: '0.1.0', host: 'web', simulation: false, production: false, warnings: [] }),
    'cards.list': () => [cpsReader()],
    'session.get': () => initial,
    'summary.get': () => summary(),
    'host.status': () => host,
    ...handlers,
  });
  const stop = startSync(fake.api);
  renderWithApi(<App />, fake.api);
  return { fake, stop };
}

const cardBar = (): HTMLElement => screen.getByRole('region', { name: 'Lecteurs de cartes' });

describe('host status in the card bar and the patient banner', () => {
  it('says which DMP is in use: embedded', async () => {
    const { stop } = boot(session(), { mode: 'embedded' });
    await waitFor(() =>
      expect(within(cardBar()).getByTestId('host-status').textContent).toBe('DMP intégré au poste'),
    );
    stop();
  });

  it('says which DMP is in use: the shared host, connected, with the summary shown', async () => {
    const { stop } = boot(session({ patient: patientContext() }), connected);
    await waitFor(() =>
      expect(within(cardBar()).getByTestId('host-status').textContent).toBe(
        'Serveur DMP partagé (dmp.chu.test:8443) · connecté',
      ),
    );
    expect(await screen.findByTestId('allergies')).toBeTruthy();
    expect(screen.queryByTestId('host-notice')).toBeNull();
    stop();
  });

  it('host unreachable: a French alert in the card bar and the banner, and no dossier content on screen', async () => {
    const { fake, stop } = boot(session({ patient: patientContext() }), connected);
    expect((await screen.findByTestId('allergies')).textContent).toContain('Paracétamol');

    act(() => fake.emit('host.changed', unreachable));
    const alert = within(cardBar()).getByRole('alert');
    expect(alert.textContent).toContain('Serveur DMP injoignable : aucune donnée patient affichée');
    expect(alert.textContent).toContain('Serveur DMP partagé (dmp.chu.test:8443)');
    const banner = screen.getByRole('region', { name: 'Patient' });
    expect(within(banner).getByTestId('host-notice').textContent).toBe(
      'Serveur DMP injoignable : aucune donnée patient affichée.',
    );
    expect(within(banner).getByText('Allergies : non disponibles')).toBeTruthy();
    expect(screen.queryByTestId('allergies')).toBeNull();
    expect(screen.queryByRole('tablist')).toBeNull();
    expect(document.body.textContent).not.toContain('Paracétamol');

    // Back: the dossier content returns.
    act(() => fake.emit('host.changed', connected));
    expect(await screen.findByTestId('allergies')).toBeTruthy();
    expect(screen.queryByTestId('host-notice')).toBeNull();
    stop();
  });

  it('workstation refused by the host: says so, with the host’s reason', async () => {
    const { stop } = boot(session({ patient: null }), refused);
    const alert = await within(cardBar()).findByRole('alert');
    expect(alert.textContent).toContain('Serveur DMP : connexion refusée (certificats)');
    expect(alert.textContent).toContain('aucune donnée patient affichée');
    expect(alert.textContent).toContain('Certificat du poste refusé par le serveur.');
    expect(screen.getByTestId('host-notice')).toBeTruthy();
    stop();
  });

  it('shows the host’s French refusal of the card in the PIN dialog', async () => {
    const user = userEvent.setup();
    const { stop } = boot(session({ status: 'pin_required', patient: null }), connected, {
      'session.verifyPin': () => {
        throw apiError('FORBIDDEN', 'Le serveur DMP a refusé votre carte : accès impossible.');
      },
    });
    await user.type(await screen.findByLabelText('Code à 4 chiffres'), '1234');
    await user.click(screen.getByRole('button', { name: 'Valider' }));
    await waitFor(() =>
      expect(screen.getByText('Le serveur DMP a refusé votre carte : accès impossible.')).toBeTruthy(),
    );
    stop();
  });
});

describe('« Paramètres »: the shared host settings', () => {
  const file = '/home/poste/.local/share/poste-dmp/host-settings.json';

  it('saves the host address and the certificate paths, and says they apply at next start', async () => {
    const user = userEvent.setup();
    const { fake, stop } = boot(
      session(),
      { mode: 'embedded' },
      {
        'settings.getHost': () => ({ saved: null, file, managed: false }),
        'settings.saveHost': ({ settings }) => ({ saved: settings, file, appliesAtRestart: true as const }),
      },
    );
    await user.click(screen.getByRole('button', { name: 'Paramètres' }));
    const dialog = await screen.findByRole('dialog', { name: 'Paramètres du serveur DMP' });
    expect(dialog.textContent).toContain('Les changements s’appliquent au prochain démarrage de Poste DMP.');
    await waitFor(() => expect(dialog.textContent).toContain(file));
    expect(dialog.textContent).toContain('En service maintenant : DMP intégré au poste.');
    await user.click(within(dialog).getByLabelText('Serveur DMP partagé'));
    await user.type(
      within(dialog).getByLabelText('Adresse du serveur DMP (https://serveur:port)'),
      'https://dmp.chu.test:8443',
    );
    await user.type(within(dialog).getByLabelText(/Certificat de l’autorité/), '/etc/poste-dmp/ca.pem');
    await user.type(
      within(dialog).getByLabelText('Certificat du poste (fichier PEM)'),
      '/etc/poste-dmp/poste.pem',
    );
    await user.type(
      within(dialog).getByLabelText('Clé privée du poste (fichier PEM)'),
      '/etc/poste-dmp/poste.key',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Enregistrer' }));
    expect(fake.callsTo('settings.saveHost')).toEqual([
      {
        settings: {
          url: 'https://dmp.chu.test:8443',
          caFile: '/etc/poste-dmp/ca.pem',
          certFile: '/etc/poste-dmp/poste.pem',
          keyFile: '/etc/poste-dmp/poste.key',
        },
      },
    ]);
    expect((await within(dialog).findByRole('status')).textContent).toBe(
      'Réglages enregistrés. Redémarrez Poste DMP pour les appliquer.',
    );
    stop();
  });

  it('checks the fields before sending, in French, and sends nothing invalid', async () => {
    const user = userEvent.setup();
    const { fake, stop } = boot(
      session(),
      { mode: 'embedded' },
      {
        'settings.getHost': () => ({ saved: null, file, managed: false }),
      },
    );
    await user.click(screen.getByRole('button', { name: 'Paramètres' }));
    const dialog = await screen.findByRole('dialog', { name: 'Paramètres du serveur DMP' });
    await user.click(within(dialog).getByLabelText('Serveur DMP partagé'));
    await user.type(
      within(dialog).getByLabelText('Adresse du serveur DMP (https://serveur:port)'),
      'http://dmp.chu.test',
    );
    await user.type(within(dialog).getByLabelText('Certificat du poste (fichier PEM)'), 'poste.pem');
    await user.click(within(dialog).getByRole('button', { name: 'Enregistrer' }));
    expect(dialog.textContent).toContain('l’adresse du serveur DMP doit commencer par https://');
    expect(dialog.textContent).toContain('chemin absolu attendu (commençant par /)');
    expect(dialog.textContent).toContain('à renseigner');
    expect(fake.callsTo('settings.saveHost')).toEqual([]);
    stop();
  });

  it('shows the saved settings, shows the main process’s refusal, and can go back to the embedded DMP', async () => {
    const user = userEvent.setup();
    const saved = {
      url: 'https://dmp.chu.test:8443',
      caFile: '/etc/ca.pem',
      certFile: '/etc/poste.pem',
      keyFile: '/etc/poste.key',
      pkcs11Module: '/usr/lib/libcps.so',
    };
    let refuse = true;
    const { fake, stop } = boot(session(), connected, {
      'settings.getHost': () => ({ saved, file, managed: false }),
      'settings.saveHost': ({ settings }) => {
        if (refuse)
          throw apiError(
            'INVALID_INPUT',
            'Réglages du serveur DMP refusés : certificat du poste : /etc/poste.pem introuvable.',
          );
        return { saved: settings, file, appliesAtRestart: true as const };
      },
    });
    await user.click(screen.getByRole('button', { name: 'Paramètres' }));
    const dialog = await screen.findByRole('dialog', { name: 'Paramètres du serveur DMP' });
    const module = await within(dialog).findByLabelText('Module PKCS#11 de la carte CPS (facultatif)');
    await waitFor(() => expect((module as HTMLInputElement).value).toBe('/usr/lib/libcps.so'));
    await user.click(within(dialog).getByRole('button', { name: 'Enregistrer' }));
    expect((await within(dialog).findByRole('alert')).textContent).toContain('/etc/poste.pem introuvable');
    refuse = false;
    await user.click(within(dialog).getByLabelText('DMP intégré à ce poste'));
    await user.click(within(dialog).getByRole('button', { name: 'Enregistrer' }));
    expect(fake.callsTo('settings.saveHost').at(-1)).toEqual({ settings: null });
    expect(await within(dialog).findByRole('status')).toBeTruthy();
    stop();
  });
  const saved = {
    url: 'https://dmp.chu.test:8443',
    caFile: '/etc/ca.pem',
    certFile: '/etc/poste.pem',
    keyFile: '/etc/poste.key',
  };

  it('without an authenticated professional: shows the settings read-only, says why, offers no « Enregistrer »', async () => {
    const user = userEvent.setup();
    const { fake, stop } = boot(session({ status: 'no_card', professional: null, pin: null }), connected, {
      'settings.getHost': () => ({ saved, file, managed: false }),
    });
    await user.click(screen.getByRole('button', { name: 'Paramètres' }));
    const dialog = await screen.findByRole('dialog', { name: 'Paramètres du serveur DMP' });
    await waitFor(() =>
      expect(within(dialog).getByRole('note').textContent).toBe(
        'Pour modifier ces réglages, authentifiez-vous avec votre carte professionnelle et votre code : chaque changement est tracé à votre nom.',
      ),
    );
    const url = within(dialog).getByLabelText(
      'Adresse du serveur DMP (https://serveur:port)',
    ) as HTMLInputElement;
    expect(url.value).toBe(saved.url);
    expect(url.readOnly).toBe(true);
    expect((within(dialog).getByLabelText('DMP intégré à ce poste') as HTMLInputElement).disabled).toBe(true);
    expect(within(dialog).queryByRole('button', { name: 'Enregistrer' })).toBeNull();
    expect(fake.callsTo('settings.saveHost')).toEqual([]);
    stop();
  });

  it('managed by IT: read-only with « géré par votre service informatique », even to an authenticated professional', async () => {
    const managedFile = '/etc/poste-dmp/host-settings.json';
    const user = userEvent.setup();
    const { fake, stop } = boot(session(), connected, {
      'settings.getHost': () => ({ saved, file: managedFile, managed: true }),
    });
    await user.click(screen.getByRole('button', { name: 'Paramètres' }));
    const dialog = await screen.findByRole('dialog', { name: 'Paramètres du serveur DMP' });
    await waitFor(() =>
      expect(within(dialog).getByRole('note').textContent).toBe(
        'Réglages gérés par votre service informatique : ils ne peuvent pas être modifiés depuis ce poste.',
      ),
    );
    expect(dialog.textContent).toContain(managedFile);
    const cert = within(dialog).getByLabelText('Certificat du poste (fichier PEM)') as HTMLInputElement;
    expect(cert.value).toBe(saved.certFile);
    expect(cert.readOnly).toBe(true);
    expect((within(dialog).getByLabelText('Serveur DMP partagé') as HTMLInputElement).disabled).toBe(true);
    expect(within(dialog).queryByRole('button', { name: 'Enregistrer' })).toBeNull();
    expect(fake.callsTo('settings.saveHost')).toEqual([]);
    stop();
  });
});
