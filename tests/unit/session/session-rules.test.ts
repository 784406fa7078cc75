import { describe, expect, it } from 'vitest';
import type { CpxCardInfo, DossierRef, VitaleCardInfo } from '../../../src/shared/contract';
import { ApiError } from '../../../src/shared/contract';
import { SessionService, type SessionDossiers } from '../../../src/main/session/session-service';
import { toDomainActor } from '../../../src/main/dmp/actors';
import { silentLogger } from '../../../src/main/log/logger';
import { FakeCards } from './fake-cards';
import { ManualClock } from './manual-clock';
import type { Scheduler } from '../../../src/main/session/session-rules';

const MINUTE = 60_000;

const cabinet = { label: 'Cabinet médical du Parc' };
const samu = { label: 'SAMU 75 — Centre 15, régulation médicale' };

function cpsWith(situations: CpxCardInfo['holder']['situations']): CpxCardInfo {
  return {
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
      situations,
    },
    pin: { triesLeft: 3, triesMax: 3, blocked: false },
  };
}

const vitale: VitaleCardInfo = {
  kind: 'vitale',
  atr: '3B75',
  status: 'test',
  beneficiaries: [
    {
      index: 0,
      lastName: 'PAT',
      firstName: 'UN',
      birthDate: '2015-01-01',
      nir: '279035121518989',
      nirKeyValid: true,
    },
  ],
};
const dossier: DossierRef = {
  insKey: '279035121518989@1.2.250.1.213.1.4.10',
  ins: { matricule: '279035121518989', oid: '1.2.250.1.213.1.4.10', status: 'qualified' },
  identity: { birthName: 'PAT', firstNames: 'UN', birthDate: '2015-01-01', sex: 'F' },
  status: 'active',
  testIdentity: true,
};

const opened: string[] = [];
const identity = {
  matricule: '279035121518989',
  oid: '1.2.250.1.213.1.4.10',
  birthName: 'PAT',
  firstNames: 'UN',
  birthDate: '2015-01-01',
  sex: 'F',
  birthPlaceCode: '75056',
} as const;
const dossiers: SessionDossiers = {
  identifyBeneficiary: async () => ({ kind: 'identity', identity }),
  openForIdentity: async (actor) => {
    opened.push(`${dossier.insKey}|${actor.mode}|${actor.professional.situationIndex ?? '-'}`);
    return { kind: 'open', dossier };
  },
  authorizeAndOpen: async () => ({ kind: 'open', dossier }),
  open: async (actor, insKey) => {
    opened.push(`${insKey}|${actor.mode}|${actor.professional.situationIndex ?? '-'}`);
    return dossier;
  },
};

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

async function signedIn(situations: CpxCardInfo['holder']['situations'] = [cabinet], rules = {}) {
  const cards = new FakeCards();
  const clock = new ManualClock();
  const session = new SessionService(cards, dossiers, silentLogger, {
    production: false,
    scheduler: clock,
    rules,
  });
  cards.set('CPS', cpsWith(situations));
  await session.verifyPin('CPS', '1234');
  return { cards, clock, session };
}

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof ApiError ? err.code : 'not an ApiError';
  }
};

describe('inactivity lock (finding 6)', () => {
  it('locks after 10 minutes without a request by default, closes the patient, and resumes with the PIN', async () => {
    const { cards, clock, session } = await signedIn();
    cards.set('Vitale', vitale);
    await flush();
    expect(session.get().patient?.dossier?.insKey).toBe(dossier.insKey);

    clock.advance(9 * MINUTE);
    expect(session.get().status).toBe('authenticated');
    session.currentAccess(dossier.insKey); // a request: the clinician is working
    clock.advance(9 * MINUTE);
    expect(session.get().status).toBe('authenticated');
    clock.advance(1 * MINUTE + 1);
    expect(session.get().status).toBe('locked');
    expect(session.get().patient).toBeNull();
    expect(code(() => session.actor())).toBe('LOCKED');

    await session.verifyPin('CPS', '1234');
    expect(session.get().status).toBe('authenticated');
  });

  it('takes its delay from the rules', async () => {
    const { clock, session } = await signedIn([cabinet], { inactivityLockMs: 2 * MINUTE });
    clock.advance(2 * MINUTE - 1);
    expect(session.get().status).toBe('authenticated');
    clock.advance(1);
    expect(session.get().status).toBe('locked');
  });
});

describe('bris de glace and Centre 15 cover one patient for a limited time (finding 6)', () => {
  it('ends bris de glace when the patient’s context closes: the dossier can no longer be read in that mode', async () => {
    const { session } = await signedIn();
    await session.openDossier(dossier.insKey, 'bris_de_glace', 'Patient inconscient');
    expect(session.currentAccess(dossier.insKey).mode).toBe('bris_de_glace');
    session.closePatient();
    expect(code(() => session.currentAccess(dossier.insKey))).toBe('FORBIDDEN');
    // Another patient opened normally afterwards is in normal mode.
    await session.openDossier(dossier.insKey, 'normal');
    expect(session.currentAccess(dossier.insKey).mode).toBe('normal');
  });

  it('ends bris de glace after 60 minutes by default, shows the end time, and refuses further reads', async () => {
    const { clock, session } = await signedIn([cabinet], { inactivityLockMs: 24 * 60 * MINUTE });
    const state = await session.openDossier(dossier.insKey, 'bris_de_glace', 'Patient inconscient');
    expect(state.patient?.access?.until).toBe(new Date(clock.now() + 60 * MINUTE).toISOString());
    clock.advance(59 * MINUTE);
    expect(session.currentAccess(dossier.insKey).mode).toBe('bris_de_glace');
    clock.advance(1 * MINUTE);
    expect(session.get().patient).toBeNull();
    expect(code(() => session.currentAccess(dossier.insKey))).toBe('FORBIDDEN');
  });

  it('refuses an expired emergency access even if the timer has not fired yet', async () => {
    const cards = new FakeCards();
    let now = Date.parse('2026-03-02T08:00:00Z');
    const lazy: Scheduler = { now: () => now, setTimeout: () => 0, clearTimeout: () => undefined };
    const session = new SessionService(cards, dossiers, silentLogger, {
      production: false,
      scheduler: lazy,
      rules: { emergencyAccessMs: 30 * MINUTE },
    });
    cards.set('CPS', cpsWith([cabinet]));
    await session.verifyPin('CPS', '1234');
    await session.openDossier(dossier.insKey, 'bris_de_glace', 'Patient inconscient');
    now += 30 * MINUTE;
    expect(code(() => session.currentAccess(dossier.insKey))).toBe('FORBIDDEN');
    expect(session.get().patient).toBeNull();
  });
});

describe('practice situation chosen after the PIN (finding 6)', () => {
  it('asks for the situation when the card has several, refuses patient actions until then, then opens the Vitale', async () => {
    opened.length = 0;
    const { cards, session } = await signedIn([cabinet, samu]);
    expect(session.get().status).toBe('situation_required');
    cards.set('Vitale', vitale);
    await flush();
    expect(session.get().patient).toBeNull();
    expect(code(() => session.actor('normal'))).toBe('LOCKED');

    const state = await session.selectSituation(1);
    expect(state.status).toBe('authenticated');
    expect(state.professional).toMatchObject({ situationIndex: 1, centre15Regulation: true });
    await flush();
    expect(session.get().patient?.dossier?.insKey).toBe(dossier.insKey);
    expect(opened).toEqual([`${dossier.insKey}|normal|1`]);
    await expect(session.selectSituation(5)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('does not ask again when the card has a single situation, nor after a lock of the same card', async () => {
    const { session } = await signedIn([cabinet]);
    expect(session.get().professional).toMatchObject({ situationIndex: 0, centre15Regulation: false });
    const several = await signedIn([cabinet, samu]);
    await several.session.selectSituation(0);
    several.session.lock();
    await several.session.verifyPin('CPS', '1234');
    expect(several.session.get()).toMatchObject({
      status: 'authenticated',
      professional: { situationIndex: 0 },
    });
  });
});

describe('Centre 15 follows the selected situation, not any situation on the card (finding 6)', () => {
  it('makes the actor a regulator only while working in the regulation situation', async () => {
    const { session } = await signedIn([cabinet, samu]);
    await session.selectSituation(0);
    expect(toDomainActor(session.actor('normal').professional).centre15Regulation).toBe(false);
    await session.selectSituation(1);
    expect(toDomainActor(session.actor('normal').professional).centre15Regulation).toBe(true);
  });
});
