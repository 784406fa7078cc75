import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../../src/main/app/composition';
import { resourcesDir } from '../../../src/main/app/paths';
import { createLogger } from '../../../src/main/log/logger';
import type { ReferenceIdentity, SessionState } from '../../../src/shared/contract';
import { call, sessionWhere } from '../support/app-calls';
import { matriculeKey } from '../../../src/shared/identity/ins';
import { sharedCdaFixturesDir } from '../../support/shared-fixtures';

/**
 * Identity vigilance end to end through the composition root (simulated readers, real store,
 * identity reference seeded with the demo identities plus 61 people named MARCHETTI who each have
 * a dossier): a Vitale finds its beneficiary's own INS and the dossier of exactly that INS, never
 * a namesake's; several identities or none are said so; nothing opens before the patient authorises.
 */

const CPS = 'Lecteur simulé CPS';
const VITALE = 'Lecteur simulé Vitale';
const TEST_OID = '1.2.250.1.213.1.4.10';
const DEMO_INS = `279035121518989@${TEST_OID}`;
const demo = JSON.parse(readFileSync(join(resourcesDir(), 'identity', 'demo-identities.json'), 'utf8')) as {
  identities: (ReferenceIdentity & { cardNir?: string })[];
};
const demoIdentity = (first: string, last = 'MARCHETTI'): ReferenceIdentity & { cardNir?: string } => {
  const found = demo.identities.find(
    (i) => i.firstNames.startsWith(first) && (i.birthName === last || last === '*'),
  );
  if (!found) throw new Error(`no demo identity ${first}`);
  return { ...found, oid: TEST_OID };
};

const withKey = (body13: string): string => body13 + String(matriculeKey(body13)).padStart(2, '0');

let app: App | null = null;
const dirs: string[] = [];
afterEach(async () => {
  await app?.close();
  app = null;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** 61 MARCHETTI, each with a dossier (imported CDA) and a reference identity on a card of their own. */
function namesakes(dir: string): { cdas: string[]; identities: string } {
  const template = readFileSync(join(sharedCdaFixturesDir(), 'VAC-NOTE_2023.01.xml'), 'utf8');
  const cdas: string[] = [];
  const people = [];
  for (let i = 0; i < 61; i++) {
    const year = 1950 + (i % 50);
    const month = String(1 + (i % 12)).padStart(2, '0');
    const matricule = withKey(`2${String(year).slice(2)}${month}75056${String(100 + i).padStart(3, '0')}`);
    const first = `PRENOM${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + Math.floor(i / 26))}`;
    const birthDate = `${year}-${month}-15`;
    const xml = template
      .replaceAll('279035121518989', matricule)
      .replaceAll('PAT-TROIS', 'MARCHETTI')
      .replaceAll('DOMINIQUE MARIE-LOUISE', first)
      .replaceAll('>DOMINIQUE<', `>${first}<`)
      .replace('<birthTime value="19790328"/>', `<birthTime value="${birthDate.replaceAll('-', '')}"/>`);
    const file = join(dir, `marchetti-${i}.xml`);
    writeFileSync(file, xml);
    cdas.push(file);
    people.push({
      matricule,
      birthName: 'MARCHETTI',
      firstNames: first,
      birthDate,
      sex: 'F',
      birthPlaceCode: '75056',
      cardNir: matricule,
    });
  }
  const identities = join(dir, 'namesakes.json');
  writeFileSync(identities, JSON.stringify({ oid: TEST_OID, identities: people }));
  return { cdas, identities };
}

async function start(): Promise<{ app: App; logLines: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'poste-dmp-identity-'));
  dirs.push(dir);
  const extra = namesakes(dir);
  const logLines: string[] = [];
  app = await buildApp({
    host: 'web',
    dataDir: dir,
    simulation: true,
    production: false,
    key: { kind: 'file', path: join(dir, 'store.key') },
    log: createLogger({ sink: (l) => logLines.push(l), level: 'debug' }),
    seedFiles: [join(resourcesDir(), 'demo', 'VSM_1.4_2022.01.xml'), ...extra.cdas],
    identitySeedFiles: [join(resourcesDir(), 'identity', 'demo-identities.json'), extra.identities],
  });
  return { app, logLines };
}

const session = sessionWhere;

async function signIn(a: App, profileId: string): Promise<void> {
  // After a CPS was removed the session stays « verrouillée » until a PIN is entered.
  const asked = session(
    a,
    (s) => (s.status === 'pin_required' || s.status === 'locked') && s.professional !== null,
  );
  await call(a, 'simulator.insert', { reader: CPS, profileId });
  await asked;
  await call(a, 'session.verifyPin', { reader: CPS, pin: '1234' });
  // A card with several practice situations asks which one after the PIN.
  const state = await call<SessionState>(a, 'session.get');
  if (state.status === 'situation_required') await call(a, 'session.selectSituation', { index: 0 });
}

const settled = (s: SessionState): boolean =>
  s.patient !== null &&
  s.patient.selectedIndex !== null &&
  (s.patient.notice !== undefined || s.patient.dossier !== null);

async function insertVitale(a: App, profileId: string): Promise<SessionState> {
  const shown = session(a, (s) => s.patient?.source === 'vitale');
  await call(a, 'simulator.insert', { reader: VITALE, profileId });
  return shown;
}

async function pick(a: App, index: number): Promise<SessionState> {
  await call(a, 'patient.selectBeneficiary', { index });
  return call<SessionState>(a, 'session.get');
}

/** What the desk does in the creation wizard: check, then create with the representative’s consent for a minor. */
async function create(
  a: App,
  beneficiaryIndex: number,
  identity: ReferenceIdentity,
  minor: boolean,
  extra: object = {},
) {
  await call(a, 'dossier.checkCreation', {
    beneficiaryIndex,
    identity: { matricule: identity.matricule, oid: identity.oid },
  });
  return call<{ dossier: { insKey: string } }>(a, 'dossier.create', {
    beneficiaryIndex,
    identity: { matricule: identity.matricule, oid: identity.oid },
    identityDocumentChecked: true,
    legalRepresentatives: minor ? [{ lastName: 'MARCHETTI', firstNames: 'Paul', relation: 'père' }] : [],
    consent: {
      givenBy: minor ? 'legal-representative' : 'patient',
      informed: true,
      brisDeGlaceOpposition: false,
      centre15Opposition: false,
    },
    ...extra,
  });
}

describe('Vitale → identity reference → dossier by exact INS (issue 9)', () => {
  it('finding 2 and twins: among 61 namesakes, a child on her parent’s card gets her own INS and dossier, and her twin his', async () => {
    const { app } = await start();
    await signIn(app, 'cpe-secretaire-medicale');
    await insertVitale(app, 'vitale-famille');
    const lea = demoIdentity('LEA');
    const noe = demoIdentity('NOE');
    let state = await pick(app, 2);
    expect(state.patient).toMatchObject({
      identity: { matricule: lea.matricule, firstNames: 'LEA MARIE' },
      dossierExists: false,
    });
    expect(lea.matricule).not.toBe(lea.cardNir);
    const leaKey = (await create(app, 2, lea, true)).dossier.insKey;
    state = await pick(app, 3);
    expect(state.patient).toMatchObject({ identity: { matricule: noe.matricule }, dossierExists: false });
    const noeKey = (await create(app, 3, noe, true)).dossier.insKey;
    expect(noeKey).not.toBe(leaKey);
    await call(app, 'simulator.remove', { reader: VITALE });
    await call(app, 'simulator.remove', { reader: CPS });

    await signIn(app, 'cps-medecin-generaliste');
    await insertVitale(app, 'vitale-famille');
    state = await pick(app, 2);
    expect(state.patient).toMatchObject({
      dossier: null,
      dossierExists: true,
      authorizationRequired: true,
      identity: { matricule: lea.matricule },
    });
    state = await call<SessionState>(app, 'patient.authorizeAccess');
    expect(state.patient?.dossier?.insKey).toBe(leaKey);
    state = await pick(app, 3);
    expect(state.patient).toMatchObject({
      authorizationRequired: true,
      identity: { matricule: noe.matricule },
    });
    state = await call<SessionState>(app, 'patient.authorizeAccess');
    expect(state.patient?.dossier?.insKey).toBe(noeKey);
    // Nobody else's dossier was authorised on the way.
    const authorisations = await call<{ action: string }[]>(app, 'dossier.accessHistory', { insKey: noeKey });
    expect(authorisations.filter((h) => h.action === 'access.authorize')).toHaveLength(1);
  });

  it('a partial birth date on the card (day unknown) finds the identity; the card NIR key is checked', async () => {
    const { app } = await start();
    await signIn(app, 'cpe-secretaire-medicale');
    const state = await insertVitale(app, 'vitale-date-partielle').then(() => session(app, settled));
    const nguyen = demoIdentity('VAN AN', 'NGUYEN');
    expect(state.patient).toMatchObject({
      identity: { matricule: nguyen.matricule, birthDate: '1962-03-00' },
      dossierExists: false,
    });
    await create(app, 0, nguyen, false);
    await call(app, 'simulator.remove', { reader: VITALE });
    const again = await insertVitale(app, 'vitale-date-partielle').then(() => session(app, settled));
    expect(again.patient).toMatchObject({
      dossierExists: true,
      notice: expect.stringMatching(/déjà un DMP/),
    });
  });

  it('finding 1: a card with a wrong-key NIR and a partial date opens nothing and authorises no one', async () => {
    const { app } = await start();
    await signIn(app, 'cps-medecin-urgentiste');
    const state = await insertVitale(app, 'vitale-nir-altere').then(() => session(app, settled));
    expect(state.patient).toMatchObject({ dossier: null, notice: expect.stringMatching(/clé est fausse/) });
    expect(state.patient?.identity).toBeUndefined();
    expect(state.patient?.dossierExists).toBeUndefined();
    await expect(call(app, 'patient.authorizeAccess')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // The emergency doctor still has no access to PAT-TROIS Dominique's dossier.
    await expect(call(app, 'summary.get', { insKey: DEMO_INS })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const bdg = await call<SessionState>(app, 'patient.open', {
      insKey: DEMO_INS,
      mode: 'bris_de_glace',
      reason: 'contrôle',
    });
    expect(bdg.patient?.dossier?.insKey).toBe(DEMO_INS);
    const history = await call<{ action: string }[]>(app, 'dossier.accessHistory', { insKey: DEMO_INS });
    expect(history.some((h) => h.action === 'access.authorize')).toBe(false);
  });

  it('finding 3: a secretary with the card of a patient who has a DMP cannot create a second one', async () => {
    const { app } = await start();
    await signIn(app, 'cpe-secretaire-medicale');
    const state = await insertVitale(app, 'vitale-pat-trois').then(() => session(app, settled));
    expect(state.patient).toMatchObject({
      dossierExists: true,
      dossier: null,
      notice: expect.stringMatching(/déjà un DMP/),
    });
    const identity = state.patient?.identity as ReferenceIdentity;
    await expect(
      call(app, 'dossier.checkCreation', {
        beneficiaryIndex: 0,
        identity: { matricule: identity.matricule, oid: identity.oid },
      }),
    ).resolves.toMatchObject({
      existing: { insKey: DEMO_INS },
    });
    await expect(create(app, 0, identity, false)).rejects.toMatchObject({ code: 'CONFLICT' });
    // The same matricule under the NIR OID is the same person: refused too (and unknown to a test card).
    await expect(create(app, 0, { ...identity, oid: '1.2.250.1.213.1.4.8' }, false)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('homonyms: a card unknown to the reference, the traits search answers two namesakes side by side, the desk chooses', async () => {
    const { app } = await start();
    await signIn(app, 'cpe-secretaire-medicale');
    const state = await insertVitale(app, 'vitale-martin').then(() => session(app, settled));
    expect(state.patient).toMatchObject({ notice: expect.stringMatching(/introuvable/) });
    expect(state.patient?.identity).toBeUndefined();
    const found = await call<ReferenceIdentity[]>(app, 'identity.searchByTraits', {
      birthName: 'Martin',
      firstNames: 'Claire',
      birthDate: '1985-05-12',
      sex: 'F',
    });
    expect(found.map((f) => f.birthPlaceCode).sort()).toEqual(['69123', '75056']);
    const first = found.find((f) => f.birthPlaceCode === '75056') as ReferenceIdentity;
    const second = found.find((f) => f.birthPlaceCode === '69123') as ReferenceIdentity;
    await create(app, 0, first, false);
    const check = await call<{ homonyms: { insKey: string }[] }>(app, 'dossier.checkCreation', {
      beneficiaryIndex: 0,
      identity: { matricule: second.matricule, oid: second.oid },
    });
    // Different birth places: not the same five traits, so not a homonym to confirm.
    expect(check.homonyms).toEqual([]);
    const narrowed = await call<ReferenceIdentity[]>(app, 'identity.searchByTraits', {
      birthName: 'MARTIN',
      firstNames: 'CLAIRE',
      birthDate: '1985-05-12',
      sex: 'F',
      birthPlaceCode: '69123',
    });
    expect(narrowed).toEqual([second]);
    await expect(
      call(app, 'dossier.checkCreation', {
        beneficiaryIndex: 0,
        identity: { matricule: first.matricule, oid: first.oid },
      }),
    ).resolves.toMatchObject({ existing: { insKey: `${first.matricule}@${TEST_OID}` } });
  });
});
