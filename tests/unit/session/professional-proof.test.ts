import { describe, expect, it } from 'vitest';
import {
  ApiError,
  sessionStateSchema,
  type CpxCardInfo,
  type DossierRef,
} from '../../../src/shared/contract';
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

const dossier: DossierRef = {
  insKey: '279035121518989@1.2.250.1.213.1.4.10',
  ins: { matricule: '279035121518989', oid: '1.2.250.1.213.1.4.10', status: 'qualified' },
  identity: { birthName: 'PAT', firstNames: 'ENFANT0', birthDate: '2015-01-01', sex: 'F' },
  status: 'active',
  testIdentity: true,
};

/** No beneficiary is known; a dossier searched by INS opens (the patient context of a search). */
const noDossiers: SessionDossiers = {
  identifyBeneficiary: async () => ({ kind: 'unknown', notice: '-' }),
  openForIdentity: async () => ({ kind: 'none' }),
  authorizeAndOpen: async () => ({ kind: 'none' }),
  open: async () => dossier,
};

const revokedByHost = {
  cause: 'card-revoked',
  message:
    'Carte du professionnel révoquée : session fermée. Le certificat de cette carte a été révoqué (carte perdue, volée ou remplacée) ; utilisez votre nouvelle carte ou contactez l’autorité qui l’a délivrée.',
} as const;
const idleOnHost = {
  cause: 'inactivity',
  message: 'Session du professionnel terminée après inactivité : présentez à nouveau votre carte.',
} as const;

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

describe('a professional session the shared DMP host ended on its side', () => {
  it('locks as a local lock does: patient closed, PIN needed again, the host’s reason in the state', async () => {
    const { proof, session } = setup();
    const states: unknown[] = [];
    session.onChange((state) => states.push(state));
    await session.verifyPin('CPS', '1234');
    await session.openDossier(dossier.insKey, 'normal');
    expect(session.get().patient?.dossier?.insKey).toBe(dossier.insKey);

    session.endedByHost(idleOnHost);
    const state = session.get();
    expect(state).toMatchObject({ status: 'locked', patient: null, endedByHost: idleOnHost });
    expect(state.professional?.serial).toBe('SERIAL-1');
    // What the renderer receives: the contract's schema accepts it, and the last event says the same.
    expect(sessionStateSchema.parse(state)).toEqual(state);
    expect(states.at(-1)).toEqual(state);
    expect(() => session.actor('normal')).toThrow(/Session verrouillée/);
    // The host session is ended through the same path as a local lock (the client says it to the host).
    expect(proof.ended).toBe(1);

    // The PIN resumes it, proving the card to the host again, and the reason goes.
    expect((await session.verifyPin('CPS', '1234')).success).toBe(true);
    expect(proof.proved).toHaveLength(2);
    expect(session.get().status).toBe('authenticated');
    expect(session.get().endedByHost).toBeUndefined();
  });

  it('a revoked card cannot be used again: its PIN is refused with the host’s words, no try spent, until it leaves the reader', async () => {
    const { cards, proof, session } = setup();
    await session.verifyPin('CPS', '1234');
    session.endedByHost(revokedByHost);
    expect(session.get()).toMatchObject({ status: 'locked', endedByHost: revokedByHost });
    cards.lastPin = null;
    await expect(session.verifyPin('CPS', '1234')).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: revokedByHost.message,
    });
    expect(cards.lastPin).toBeNull();
    expect(proof.proved).toHaveLength(1);
    // Another reader event (a Vitale inserted) keeps the reason for the same card.
    cards.set('Vitale', null);
    await flush();
    expect(session.get().endedByHost).toEqual(revokedByHost);
    // Removed: the reason goes with it; reinserted, the host judges the card again after the PIN.
    cards.set('CPS', null);
    await flush();
    expect(session.get().endedByHost).toBeUndefined();
    cards.set('CPS', cps());
    await flush();
    await session.verifyPin('CPS', '1234');
    expect(proof.proved).toHaveLength(2);
  });

  it('another card in the reader clears the reason; nothing happens when nobody is authenticated', async () => {
    const { cards, proof, session } = setup();
    session.endedByHost(idleOnHost);
    expect(session.get().endedByHost).toBeUndefined();
    expect(proof.ended).toBe(0);
    await session.verifyPin('CPS', '1234');
    session.endedByHost(idleOnHost);
    cards.set('CPS', cps('SERIAL-2'));
    await flush();
    expect(session.get()).toMatchObject({ status: 'pin_required' });
    expect(session.get().endedByHost).toBeUndefined();
  });
});
