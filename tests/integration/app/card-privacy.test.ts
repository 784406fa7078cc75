import { afterEach, describe, expect, it } from 'vitest';
import type { ReaderDisplay } from '../../../src/shared/contract';
import {
  authenticate,
  call,
  CPS_READER,
  nextEvent,
  sessionWhere,
  startApp,
  VITALE_READER,
} from '../support/app-harness';

let stop: (() => Promise<void>) | null = null;
afterEach(async () => {
  await stop?.();
  stop = null;
});

/** Anything that identifies a MARCHETTI beneficiary of `vitale-famille`. */
const patientData = /MARCHETTI|PAUL|JULIA|178062A00412327|1978-06-14|1980-09-02|2012-04-17/i;

const vitaleOf = (readers: ReaderDisplay[]): ReaderDisplay['card'] | undefined =>
  readers.find((r) => r.name === VITALE_READER)?.card;

describe('no patient data reaches the renderer before a professional logs in (finding 5)', () => {
  it('cards.list and cards.changed say only that a Vitale is present until the PIN is verified, then show it', async () => {
    const started = await startApp();
    stop = started.stop;
    const { app } = started;

    const changed = nextEvent<ReaderDisplay[]>(app, 'cards.changed', (r) => vitaleOf(r) != null);
    await call(app, 'simulator.insert', { reader: VITALE_READER, profileId: 'vitale-famille' });
    const event = await changed;
    expect(JSON.stringify(event)).not.toMatch(patientData);
    expect(Object.keys(vitaleOf(event) ?? {}).sort()).toEqual(['kind', 'status']);
    expect(vitaleOf(event)?.kind).toBe('vitale-hidden');

    const listed = await call<ReaderDisplay[]>(app, 'cards.list');
    expect(JSON.stringify(listed)).not.toMatch(patientData);
    expect(Object.keys(vitaleOf(listed) ?? {}).sort()).toEqual(['kind', 'status']);
    expect(vitaleOf(listed)?.kind).toBe('vitale-hidden');

    // CPS inserted but PIN not yet verified: still hidden.
    const asked = sessionWhere(app, (s) => s.status === 'pin_required');
    await call(app, 'simulator.insert', { reader: CPS_READER, profileId: 'cps-medecin-generaliste' });
    await asked;
    expect(JSON.stringify(await call(app, 'cards.list'))).not.toMatch(patientData);

    const shown = nextEvent<ReaderDisplay[]>(app, 'cards.changed', (r) => vitaleOf(r)?.kind === 'vitale');
    await call(app, 'session.verifyPin', { reader: CPS_READER, pin: '1234' });
    expect(JSON.stringify(await shown)).toMatch(/MARCHETTI/);
    expect(vitaleOf(await call<ReaderDisplay[]>(app, 'cards.list'))?.kind).toBe('vitale');

    // Locking hides it again.
    const hidden = nextEvent<ReaderDisplay[]>(
      app,
      'cards.changed',
      (r) => vitaleOf(r)?.kind === 'vitale-hidden',
    );
    await call(app, 'session.lock');
    expect(JSON.stringify(await hidden)).not.toMatch(patientData);
    expect(JSON.stringify(await call(app, 'cards.list'))).not.toMatch(patientData);
  });

  it('a CPE (secretary) login reveals the Vitale too', async () => {
    const started = await startApp();
    stop = started.stop;
    await call(started.app, 'simulator.insert', { reader: VITALE_READER, profileId: 'vitale-famille' });
    await authenticate(started.app, 'cpe-secretaire-medicale');
    expect(JSON.stringify(await call(started.app, 'cards.list'))).toMatch(/MARCHETTI/);
  });
});
