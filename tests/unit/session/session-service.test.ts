import { describe, expect, it } from 'vitest';
import type {
  CpxCardInfo,
  DossierRef,
  ReferenceIdentity,
  VitaleCardInfo,
} from '../../../src/shared/contract';
import { ApiError } from '../../../src/shared/contract';
import { SessionService, type SessionDossiers } from '../../../src/main/session/session-service';
import { silentLogger } from '../../../src/main/log/logger';
import { FakeCards } from './fake-cards';

const cps: CpxCardInfo = {
  kind: 'cps',
  atr: '3B',
  serial: 'SERIAL-1',
  status: 'test',
  holder: {
    nationalId: '810001234567',
    nationalIdType: 'RPPS',
    lastName: 'MEDECIN',
    firstName: 'Anne',
    professionCode: '10',
    professionLabel: 'Médecin',
    situations: [],
  },
  pin: { triesLeft: 3, triesMax: 3, blocked: false },
};
const vitale = (n: number): VitaleCardInfo => ({
  kind: 'vitale',
  atr: '3B75',
  status: 'test',
  beneficiaries: Array.from({ length: n }, (_, i) => ({
    index: i,
    lastName: 'PAT',
    firstName: `ENFANT${i}`,
    birthDate: '2015-01-01',
    nir: '279035121518989',
    nirKeyValid: true,
  })),
});
const dossier: DossierRef = {
  insKey: '279035121518989@1.2.250.1.213.1.4.10',
  ins: { matricule: '279035121518989', oid: '1.2.250.1.213.1.4.10', status: 'qualified' },
  identity: { birthName: 'PAT', firstNames: 'ENFANT0', birthDate: '2015-01-01', sex: 'F' },
  status: 'active',
  testIdentity: true,
};

const identityOf = (firstNames: string, matricule = '279035121518989'): ReferenceIdentity => ({
  matricule,
  oid: '1.2.250.1.213.1.4.10',
  birthName: 'PAT',
  firstNames,
  birthDate: '2015-01-01',
  sex: 'F',
  birthPlaceCode: '51215',
});

/**
 * The identity reference and DMP as the session sees them: beneficiary 0 has one identity and a
 * dossier; beneficiary 1 matches two identities; beneficiary 2 is unknown to the reference.
 * `authorized` lists who may open the dossier without the patient's authorisation.
 */
const dossiers = (opened: string[] = [], authorized: string[] = ['810001234567']): SessionDossiers => ({
  identifyBeneficiary: async (b) =>
    b.index === 0
      ? { kind: 'identity', identity: identityOf('ENFANT0') }
      : b.index === 1
        ? { kind: 'several', candidates: [identityOf('ENFANT1'), identityOf('ENFANT1', '215017512345684')] }
        : { kind: 'unknown', notice: 'Identité introuvable au référentiel INS.' },
  openForIdentity: async (actor, identity) => {
    if (identity.matricule !== dossier.ins.matricule) return { kind: 'none' };
    if (!authorized.includes(actor.professional.holder.nationalId))
      return { kind: 'authorization-required', dossier };
    opened.push(`${dossier.insKey}|${actor.mode}`);
    return { kind: 'open', dossier };
  },
  authorizeAndOpen: async (actor) => {
    authorized.push(actor.professional.holder.nationalId);
    opened.push(`${dossier.insKey}|authorized`);
    return { kind: 'open', dossier };
  },
  open: async (actor, insKey) => {
    if (actor.mode === 'bris_de_glace' && !actor.reason)
      throw new ApiError('FORBIDDEN', 'Motif obligatoire.');
    opened.push(`${insKey}|${actor.mode}`);
    return dossier;
  },
});

const flush = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('session', () => {
  it('asks for the PIN when a CPS is inserted and zeroes the PIN buffer after use', async () => {
    const cards = new FakeCards();
    const session = new SessionService(cards, dossiers(), silentLogger);
    cards.set('CPS', cps);
    expect(session.get().status).toBe('pin_required');
    const wrong = await session.verifyPin('CPS', '0000');
    expect(wrong.success).toBe(false);
    expect(session.get().status).toBe('pin_required');
    expect(session.get().pin?.triesLeft).toBe(2);
    expect([...cards.lastPin!]).toEqual([0, 0, 0, 0]);
    await session.verifyPin('CPS', '1234');
    expect(session.get().status).toBe('authenticated');
    expect([...cards.lastPin!]).toEqual([0, 0, 0, 0]);
  });

  it('opens the dossier of a single-beneficiary Vitale and closes it when the card leaves', async () => {
    const cards = new FakeCards();
    const opened: string[] = [];
    const session = new SessionService(cards, dossiers(opened), silentLogger);
    cards.set('CPS', cps);
    await session.verifyPin('CPS', '1234');
    cards.set('Vitale', vitale(1));
    await flush();
    expect(session.get().patient?.dossier?.insKey).toBe(dossier.insKey);
    expect(opened).toEqual([`${dossier.insKey}|normal`]);
    cards.set('Vitale', null);
    await flush();
    expect(session.get().patient).toBeNull();
  });

  it('keeps the dossier open after the Vitale leaves when the clinician asked to', async () => {
    const cards = new FakeCards();
    const session = new SessionService(cards, dossiers(), silentLogger);
    cards.set('CPS', cps);
    await session.verifyPin('CPS', '1234');
    cards.set('Vitale', vitale(1));
    await flush();
    session.keepOpen(true);
    cards.set('Vitale', null);
    await flush();
    expect(session.get().patient?.dossier?.insKey).toBe(dossier.insKey);
  });

  it('offers a picker for a family card and opens only the chosen beneficiary', async () => {
    const cards = new FakeCards();
    const session = new SessionService(cards, dossiers(), silentLogger);
    cards.set('CPS', cps);
    await session.verifyPin('CPS', '1234');
    cards.set('Vitale', vitale(3));
    await flush();
    expect(session.get().patient?.selectedIndex).toBeNull();
    expect(session.get().patient?.beneficiaries).toHaveLength(3);
    await session.selectBeneficiary(2);
    expect(session.get().patient).toMatchObject({
      dossier: null,
      notice: expect.stringMatching(/introuvable/),
    });
    expect(session.get().patient?.identity).toBeUndefined();
    await session.selectBeneficiary(0);
    expect(session.get().patient?.dossier?.insKey).toBe(dossier.insKey);
    expect(session.get().patient?.identity?.firstNames).toBe('ENFANT0');
  });

  it('finding 1: a dossier found from the card is not opened, nor the professional authorised, until the patient authorises', async () => {
    const cards = new FakeCards();
    const opened: string[] = [];
    const session = new SessionService(cards, dossiers(opened, []), silentLogger);
    cards.set('CPS', cps);
    await session.verifyPin('CPS', '1234');
    cards.set('Vitale', vitale(1));
    await flush();
    expect(session.get().patient).toMatchObject({
      dossier: null,
      dossierExists: true,
      authorizationRequired: true,
    });
    expect(opened).toEqual([]);
    await session.authorizeAccess();
    expect(opened).toEqual([`${dossier.insKey}|authorized`]);
    expect(session.get().patient).toMatchObject({
      dossier: { insKey: dossier.insKey },
      access: { mode: 'normal' },
    });
    expect(session.get().patient?.authorizationRequired).toBeUndefined();
  });

  it('the patient’s authorisation needs their Vitale in the reader', async () => {
    const cards = new FakeCards();
    const session = new SessionService(cards, dossiers([], []), silentLogger);
    cards.set('CPS', cps);
    await session.verifyPin('CPS', '1234');
    cards.set('Vitale', vitale(1));
    await flush();
    session.keepOpen(true);
    cards.set('Vitale', null);
    await flush();
    await expect(session.authorizeAccess()).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/carte Vitale/),
    });
  });

  it('several identities are offered for a human choice; nothing opens before one is chosen', async () => {
    const cards = new FakeCards();
    const opened: string[] = [];
    const session = new SessionService(cards, dossiers(opened), silentLogger);
    cards.set('CPS', cps);
    await session.verifyPin('CPS', '1234');
    cards.set('Vitale', vitale(3));
    await flush();
    await session.selectBeneficiary(1);
    expect(session.get().patient?.candidates).toHaveLength(2);
    expect(session.get().patient?.dossier).toBeNull();
    expect(opened).toEqual([]);
    await session.chooseIdentity(1);
    expect(session.get().patient).toMatchObject({
      identity: { matricule: '215017512345684' },
      dossierExists: false,
      dossier: null,
    });
    expect(session.get().patient?.candidates).toBeUndefined();
    await expect(session.chooseIdentity(5)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('locks at once and forgets the patient when the CPS is removed; the PIN is needed again', async () => {
    const cards = new FakeCards();
    const states: string[] = [];
    const session = new SessionService(cards, dossiers(), silentLogger);
    session.onChange((s) => states.push(s.status));
    cards.set('CPS', cps);
    await session.verifyPin('CPS', '1234');
    cards.set('Vitale', vitale(1));
    await flush();
    cards.set('CPS', null);
    // Synchronous with the card event: nothing of the patient survives the removal.
    expect(session.get()).toMatchObject({ status: 'locked', professional: null, patient: null });
    expect(() => session.actor()).toThrow(ApiError);
    cards.set('CPS', cps);
    expect(session.get().status).toBe('locked');
    expect(session.get().professional?.serial).toBe('SERIAL-1');
    await session.verifyPin('CPS', '1234');
    expect(session.get().status).toBe('authenticated');
    expect(states).toContain('locked');
  });

  it('a locked session is resumed by its own card only: another professional’s card asks for its code afresh', async () => {
    const cards = new FakeCards();
    const session = new SessionService(cards, dossiers(), silentLogger);
    cards.set('CPS', cps);
    await session.verifyPin('CPS', '1234');
    cards.set('CPS', null);
    expect(session.get().status).toBe('locked');
    const colleague: CpxCardInfo = {
      ...cps,
      serial: 'SERIAL-2',
      holder: { ...cps.holder, nationalId: '810009876543', lastName: 'PHARMACIEN' },
    };
    cards.set('CPS', colleague);
    expect(session.get()).toMatchObject({ status: 'pin_required', professional: { serial: 'SERIAL-2' } });
  });

  it('refuses test cards in production mode', () => {
    const cards = new FakeCards();
    const session = new SessionService(cards, dossiers(), silentLogger, { production: true });
    cards.set('CPS', cps);
    expect(session.get().status).toBe('no_card');
  });

  it('records the mode and reason of a bris de glace opening and refuses it without reason', async () => {
    const cards = new FakeCards();
    const opened: string[] = [];
    const session = new SessionService(cards, dossiers(opened), silentLogger);
    cards.set('CPS', cps);
    await session.verifyPin('CPS', '1234');
    await expect(session.openDossier(dossier.insKey, 'bris_de_glace')).rejects.toThrow('Motif obligatoire.');
    await session.openDossier(dossier.insKey, 'bris_de_glace', 'Patient inconscient');
    expect(session.get().patient?.access).toMatchObject({
      mode: 'bris_de_glace',
      reason: 'Patient inconscient',
    });
    expect(session.currentAccess(dossier.insKey)).toMatchObject({
      mode: 'bris_de_glace',
      reason: 'Patient inconscient',
    });
    expect(() => session.currentAccess('1234567890123@1.2.250.1.213.1.4.10')).toThrow(/pas ouvert/);
  });
});

describe('session and card failures', () => {
  it('turns a card error during VERIFY into a French API error and still zeroes the PIN', async () => {
    const { CardError } = await import('../../../src/main/cards/errors');
    const cards = new FakeCards();
    let seen: Uint8Array | null = null;
    cards.verifyPin = async (_r, pin) => {
      seen = pin;
      throw new CardError('removed', { detail: 'SCardTransmit 0x80100069' });
    };
    const session = new SessionService(cards, dossiers(), silentLogger);
    cards.set('CPS', cps);
    const error = await session.verifyPin('CPS', '1234').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'CARD_ERROR', message: 'La carte a été retirée du lecteur.' });
    expect([...seen!]).toEqual([0, 0, 0, 0]);
  });
});
