// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../../../src/renderer/src/app/App';
import { startSync } from '../../../src/renderer/src/state/sync';
import { createFakeApi } from './support/fake-api';
import { cpsReader, doctor, session } from './support/fixtures';
import { renderWithApi } from './support/render';

const twoSituations = doctor({
  situations: [{ label: 'Cabinet médical du Parc' }, { label: 'SAMU 75 — régulation médicale' }],
});

describe('situation chosen after the PIN (finding 6)', () => {
  it('asks which practice situation applies when the card has several, and sends the choice', async () => {
    const user = userEvent.setup();
    const chosen = session({
      professional: { ...twoSituations, situationIndex: 1, centre15Regulation: true },
    });
    const fake = createFakeApi({
      'app.info': () => ({
        version: '0.1.0',
        host: 'web',
        simulation: false,
        production: false,
        warnings: [],
      }),
      'cards.list': () => [cpsReader()],
      'session.get': () => session({ status: 'situation_required', professional: twoSituations }),
      'session.selectSituation': () => chosen,
    });
    const stop = startSync(fake.api);
    renderWithApi(<App />, fake.api);
    const heading = await screen.findByRole('heading', { name: 'Situation d’exercice' });
    expect(heading).toBeTruthy();
    expect(screen.getByRole('status').textContent).toContain('Situation d’exercice à choisir');
    await user.click(screen.getByRole('button', { name: 'SAMU 75 — régulation médicale' }));
    expect(fake.callsTo('session.selectSituation')).toEqual([{ index: 1 }]);
    act(() => fake.emit('session.changed', chosen));
    await waitFor(() => expect(screen.queryByRole('heading', { name: 'Situation d’exercice' })).toBeNull());
    stop();
  });
});
