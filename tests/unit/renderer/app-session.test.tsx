// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../../../src/renderer/src/app/App';
import { startSync } from '../../../src/renderer/src/state/sync';
import { createFakeApi, type Handlers } from './support/fake-api';
import {
  child,
  cpsReader,
  demoInsKey,
  historyEntry,
  parent,
  patientContext,
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
    ...handlers,
  });
  const stop = startSync(fake.api);
  const view = renderWithApi(<App />, fake.api);
  return { fake, stop, view };
}

const bdg = patientContext({
  access: { mode: 'bris_de_glace', reason: 'Patient inconscient', since: '2026-11-23T10:00:00Z' },
});

describe('App with the session', () => {
  it('shows banner, red bris-de-glace alert and summary; removing the CPS locks and leaves no patient data', async () => {
    const { fake, stop } = boot(session({ patient: bdg }));
    const banner = await screen.findByRole('region', { name: 'Patient' });
    expect(banner.textContent).toContain('PAT-TROIS');
    expect(banner.textContent).toContain('Identité de test');
    expect((await screen.findByTestId('allergies')).textContent).toContain('Paracétamol');
    expect(within(banner).getByText('Allergies connues')).toBeTruthy();
    expect(screen.getByTestId('access-banner').textContent).toContain(
      'Accès en bris de glace — motif : Patient inconscient',
    );
    expect(fake.callsTo('summary.get')).toEqual([{ insKey: demoInsKey }]);

    act(() =>
      fake.emit(
        'session.changed',
        session({ status: 'locked', professional: null, pin: null, patient: bdg }),
      ),
    );
    expect(screen.getByTestId('lock-screen')).toBeTruthy();
    const text = document.body.textContent ?? '';
    for (const secret of ['PAT-TROIS', 'DOMINIQUE', '279035121518989', 'Paracétamol', 'Patient inconscient'])
      expect(text).not.toContain(secret);
    stop();
  });

  it('asks which beneficiary of a family Vitale, then selects it', async () => {
    const user = userEvent.setup();
    const picking = session({
      patient: patientContext({
        source: 'vitale',
        beneficiaries: [parent, child],
        selectedIndex: null,
        dossier: null,
        access: null,
      }),
    });
    const { fake, stop } = boot(picking, { 'patient.selectBeneficiary': () => picking });
    await user.click(await screen.findByRole('button', { name: /FAMILLE Léo — né\(e\) le 12\/06\/2015/ }));
    expect(fake.callsTo('patient.selectBeneficiary')).toEqual([{ index: 1 }]);
    stop();
  });

  it('explains a missing dossier and offers creation for a Vitale beneficiary', async () => {
    const user = userEvent.setup();
    const noDossier = session({
      patient: patientContext({
        source: 'vitale',
        beneficiaries: [parent, child],
        selectedIndex: 1,
        dossier: null,
        access: null,
        notice: 'Ce patient n’a pas de DMP.',
      }),
    });
    const { stop } = boot(noDossier);
    expect(await screen.findByText('Ce patient n’a pas de DMP.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Créer le DMP' }));
    expect(screen.getByRole('heading', { name: 'Création du DMP' })).toBeTruthy();
    stop();
  });

  it('switches tabs to the access history, with bris de glace highlighted and its reason', async () => {
    const user = userEvent.setup();
    const { fake, stop } = boot(session({ patient: bdg }), {
      'dossier.accessHistory': () => [
        historyEntry(),
        historyEntry({
          at: '2026-11-23T11:00:00.000Z',
          mode: 'bris_de_glace',
          reason: 'Patient inconscient',
          actionLabel: 'Accès en bris de glace',
        }),
      ],
    });
    await user.click(await screen.findByRole('tab', { name: 'Historique des accès' }));
    const table = await screen.findByRole('table', { name: 'Historique des accès' });
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(3));
    const bdgRow = within(table).getByText('Patient inconscient').closest('tr') as HTMLElement;
    expect(bdgRow.className).toContain('history__row--exceptional');
    expect(within(bdgRow).getByText('Bris de glace').tagName).toBe('STRONG');
    expect(bdgRow.textContent).toContain('Dr Urgence SAMU');
    expect(fake.callsTo('dossier.accessHistory')).toEqual([{ insKey: demoInsKey }]);
    stop();
  });

  it('shows the search when authenticated without a patient', async () => {
    const { stop } = boot(session());
    expect(await screen.findByRole('heading', { name: 'Rechercher un dossier' })).toBeTruthy();
    stop();
  });
});
