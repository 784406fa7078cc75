import { describe, expect, it } from 'vitest';
import { ApiError, type CpxCardInfo } from '../../../src/shared/contract';
import {
  SessionService,
  type ProfessionalProof,
  type SessionDossiers,
} from '../../../src/main/session/session-service';
import { silentLogger } from '../../../src/main/log/logger';
import { FakeCards } from './fake-cards';
import { ManualClock } from './manual-clock';

const MINUTE = 60_000;

const cps = (serial = 'SERIAL-1'): CpxCardInfo => ({
  kind: 'cps',
  atr: '3B',
  serial,
  status: 'test',
  holder: {
    nationalId: '810001234567',
    nationalIdType: 'RPPS',
    lastName: 'MEDECIN',
    firstName: 'Anne',
    professionCode: '10',
    professionLabel: 'Médecin',
    situations: [{ label: 'Cabinet médical du Parc' }],
  },
  pin: { triesLeft: 3, triesMax: 3, blocked: false },
});

const noDossiers: SessionDossiers = {
  identifyBeneficiary: async () => ({ kind: 'unknown', notice: '-' }),
  openForIdentity: async () => ({ kind: 'none' }),
  authorizeAndOpen: async () => ({ kind: 'none' }),
  open: async () => {
    throw new ApiError('NOT_FOUND', '-');
  },
};

/** Records what the session asked of the shared host; `refuse` makes the next proof fail. */
class RecordingProof implements ProfessionalProof {
  proved: { reader: string; serial: string; pin: string }[] = [];
  ended = 0;
  refuse: Error | null = null;
  pinBuffers: Uint8Array[] = [];
  async prove(card: { reader: string; serial: string }, pin: Uint8Array): Promise<void> {
    this.pinBuffers.push(pin);
    this.proved.push({ ...card, pin: new TextDecoder().decode(pin) });
    if (this.refuse) throw this.refuse;
  }
  async end(): Promise<void> {
    this.ended++;
  }
}

function setup() {
  const cards = new FakeCards();
  const proof = new RecordingProof();
  const clock = new ManualClock();
  const session = new SessionService(cards, noDossiers, silentLogger, {
    production: false,
    professionalProof: proof,
    scheduler: clock,
  });
  cards.set('CPS', cps());
  return { cards, proof, clock, session };
}

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('session with a shared DMP host: the card proves the professional after the PIN', () => {
  it('asks for the proof with the card serial and the PIN the card accepted, then zeroes that copy', async () => {
    const { proof, session } = setup();
    expect((await session.verifyPin('CPS', '1234')).success).toBe(true);
    expect(proof.proved).toEqual([{ reader: 'CPS', serial: 'SERIAL-1', pin: '1234' }]);
    expect([...proof.pinBuffers[0]!]).toEqual([0, 0, 0, 0]);
    expect(session.get().status).toBe('authenticated');
  });

  it('asks nothing of the host when the card refused the PIN', async () => {
    const { proof, session } = setup();
    expect((await session.verifyPin('CPS', '0000')).success).toBe(false);
    expect(proof.proved).toEqual([]);
  });

  it('a refusal by the host leaves the session without access, with the French reason', async () => {
    const { proof, session } = setup();
    proof.refuse = new ApiError('FORBIDDEN', 'Le serveur DMP a refusé votre carte : accès impossible.');
    await expect(session.verifyPin('CPS', '1234')).rejects.toThrow(
      'Le serveur DMP a refusé votre carte : accès impossible.',
    );
    expect(session.get().status).toBe('pin_required');
    expect(() => session.actor('normal')).toThrow(/Session verrouillée/);
  });

  it('an unexpected failure of the proof is a French refusal too, never an access', async () => {
    const { proof, session } = setup();
    proof.refuse = new Error('socket hang up');
    await expect(session.verifyPin('CPS', '1234')).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'Le serveur DMP n’a pas pu vérifier votre carte : accès impossible.',
    });
    expect(session.get().status).toBe('pin_required');
  });

  it('ends the host session when the card is removed', async () => {
    const { cards, proof, session } = setup();
    await session.verifyPin('CPS', '1234');
    cards.set('CPS', null);
    await flush();
    expect(session.get().status).toBe('locked');
    expect(proof.ended).toBe(1);
  });

  it('ends the host session on a manual lock, once, and again after the next PIN and lock', async () => {
    const { proof, session } = setup();
    await session.verifyPin('CPS', '1234');
    session.lock();
    session.lock();
    expect(proof.ended).toBe(1);
    await session.verifyPin('CPS', '1234');
    expect(proof.proved).toHaveLength(2);
    session.lock();
    expect(proof.ended).toBe(2);
  });

  it('ends the host session on the inactivity lock', async () => {
    const { clock, proof, session } = setup();
    await session.verifyPin('CPS', '1234');
    clock.advance(10 * MINUTE);
    expect(session.get().status).toBe('locked');
    expect(proof.ended).toBe(1);
  });

  it('ends the host session when another card replaces the authenticated one', async () => {
    const { cards, proof, session } = setup();
    await session.verifyPin('CPS', '1234');
    cards.set('CPS', cps('SERIAL-2'));
    await flush();
    expect(session.get().status).toBe('pin_required');
    expect(proof.ended).toBe(1);
  });

  it('does not end anything when nobody was authenticated', async () => {
    const { cards, proof, session } = setup();
    session.lock();
    cards.set('CPS', null);
    await flush();
    expect(proof.ended).toBe(0);
  });
});
