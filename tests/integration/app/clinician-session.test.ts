import { afterEach, describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, type App } from '../../../src/main/app/composition';
import { createLogger } from '../../../src/main/log/logger';
import { resourcesDir } from '../../../src/main/app/paths';
import type { SessionState } from '../../../src/shared/contract';
import { call, nextEvent, sessionWhere } from '../support/app-calls';

const DEMO_INS = '279035121518989@1.2.250.1.213.1.4.10';
const CPS_READER = 'Lecteur simulé CPS';
const VITALE_READER = 'Lecteur simulé Vitale';

let app: App | null = null;
const dirs: string[] = [];
afterEach(async () => {
  await app?.close();
  app = null;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function start(dataDir?: string): Promise<{ app: App; dataDir: string; logLines: string[] }> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'poste-dmp-app-'));
  if (!dataDir) dirs.push(dir);
  const logLines: string[] = [];
  app = await buildApp({
    host: 'web',
    dataDir: dir,
    simulation: true,
    production: false,
    key: { kind: 'file', path: join(dir, 'store.key') },
    log: createLogger({ sink: (l) => logLines.push(l), level: 'debug' }),
    seedFiles: [join(resourcesDir(), 'demo', 'VSM_1.4_2022.01.xml')],
    identitySeedFiles: [join(resourcesDir(), 'identity', 'demo-identities.json')],
  });
  return { app, dataDir: dir, logLines };
}

/**
 * Inserts the PAT-TROIS Vitale: the session finds her identity and dossier; the GP, not yet
 * authorised, records the patient's authorisation (« Le patient présent autorise l'accès »).
 */
async function openWithVitale(a: App): Promise<SessionState> {
  const found = sessionWhere(
    a,
    (s) => s.patient?.authorizationRequired === true || Boolean(s.patient?.dossier),
  );
  await call(a, 'simulator.insert', { reader: VITALE_READER, profileId: 'vitale-pat-trois' });
  const state = await found;
  return state.patient?.dossier ? state : call<SessionState>(a, 'patient.authorizeAccess', {});
}

async function authenticate(a: App, profileId: string): Promise<void> {
  const asked = sessionWhere(a, (s) => s.status === 'pin_required');
  await call(a, 'simulator.insert', { reader: CPS_READER, profileId });
  await asked;
  const result = await call<{ success: boolean }>(a, 'session.verifyPin', {
    reader: CPS_READER,
    pin: '1234',
  });
  expect(result.success).toBe(true);
  // A card with several practice situations asks for one after the PIN (issue 11, finding 6).
  const state = await call<SessionState>(a, 'session.get');
  if (state.status === 'situation_required') await call(a, 'session.selectSituation', { index: 0 });
}

describe('clinician session through the composition root (simulated readers, real store)', () => {
  it('GP: wrong then right PIN, Vitale opens the demo dossier, summary from the imported VSM', async () => {
    const { app, logLines } = await start();
    const asked = sessionWhere(app, (s) => s.status === 'pin_required');
    await call(app, 'simulator.insert', { reader: CPS_READER, profileId: 'cps-medecin-generaliste' });
    expect((await asked).pin?.triesLeft).toBe(3);
    const wrong = await call<{ success: boolean; pin: { triesLeft: number } }>(app, 'session.verifyPin', {
      reader: CPS_READER,
      pin: '9999',
    });
    expect(wrong).toMatchObject({ success: false, pin: { triesLeft: 2 } });
    await call(app, 'session.verifyPin', { reader: CPS_READER, pin: '1234' });
    expect((await call<SessionState>(app, 'session.get')).status).toBe('authenticated');

    const found = sessionWhere(app, (s) => s.patient?.authorizationRequired === true);
    await call(app, 'simulator.insert', { reader: VITALE_READER, profileId: 'vitale-pat-trois' });
    // Found by exact INS from the identity reference; not opened until the patient authorises.
    expect((await found).patient).toMatchObject({
      dossier: null,
      dossierExists: true,
      identity: { matricule: '279035121518989' },
    });
    await expect(call(app, 'summary.get', { insKey: DEMO_INS })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const opened = await call<SessionState>(app, 'patient.authorizeAccess', {});
    expect(opened.patient).toMatchObject({
      dossier: { insKey: DEMO_INS, ins: { status: 'qualified' } },
      access: { mode: 'normal' },
    });
    const history = await call<{ action: string }[]>(app, 'dossier.accessHistory', { insKey: DEMO_INS });
    // Newest first: this reading of the history (itself audited), the opening, the patient's authorisation.
    expect(history.map((h) => h.action).slice(0, 3)).toEqual([
      'dossier.read',
      'dossier.read',
      'access.authorize',
    ]);

    const summary = await call<{
      allergies: { label: string; provenance: { documentTitle: string } }[];
      otherMedications: { label: string; state: string }[];
    }>(app, 'summary.get', { insKey: DEMO_INS });
    expect(summary.allergies.map((a) => a.label.toUpperCase()).join(' ')).toContain('PARACETAMOL');
    // The demo VSM dates from 2020: its open-ended treatments are shown apart, « à vérifier » (issue 10).
    expect(
      summary.otherMedications
        .filter((m) => m.state === 'unknown')
        .map((m) => m.label)
        .join(' '),
    ).toMatch(/PLAVIX/);
    expect(summary.allergies[0]?.provenance.documentTitle).toBeTruthy();
    // Nothing identifying reached the log.
    const log = logLines.join('\n');
    expect(log).not.toContain('279035121518989');
    expect(log).not.toContain('PAT-TROIS');
    expect(log).not.toContain('1234"');
  });

  it('removing the CPS locks the session and forgets the patient; the PIN is needed again', async () => {
    const { app } = await start();
    await authenticate(app, 'cps-medecin-generaliste');
    await openWithVitale(app);
    const locked = sessionWhere(app, (s) => s.status === 'locked');
    await call(app, 'simulator.remove', { reader: CPS_READER });
    expect(await locked).toMatchObject({ status: 'locked', patient: null, professional: null });
    await expect(call(app, 'summary.get', { insKey: DEMO_INS })).rejects.toMatchObject({ code: 'LOCKED' });
    const again = sessionWhere(app, (s) => s.status === 'locked' && s.professional !== null);
    await call(app, 'simulator.insert', { reader: CPS_READER, profileId: 'cps-medecin-generaliste' });
    await again;
    await expect(call(app, 'summary.get', { insKey: DEMO_INS })).rejects.toMatchObject({ code: 'LOCKED' });
  });

  it('removing the Vitale closes the patient unless the clinician keeps the dossier open', async () => {
    const { app } = await start();
    await authenticate(app, 'cps-medecin-generaliste');
    await openWithVitale(app);
    const closed = sessionWhere(app, (s) => s.patient === null);
    await call(app, 'simulator.remove', { reader: VITALE_READER });
    await closed;

    // Authorised once, the GP is let in directly the next time the card is inserted.
    const opened = sessionWhere(app, (s) => Boolean(s.patient?.dossier));
    await call(app, 'simulator.insert', { reader: VITALE_READER, profileId: 'vitale-pat-trois' });
    await opened;
    await call(app, 'patient.keepOpen', { keep: true });
    const cardsGone = nextEvent<{ name: string; card: unknown }[]>(app, 'cards.changed', (r) =>
      r.every((x) => x.name !== VITALE_READER || x.card === null),
    );
    await call(app, 'simulator.remove', { reader: VITALE_READER });
    await cardsGone;
    expect((await call<SessionState>(app, 'session.get')).patient?.dossier?.insKey).toBe(DEMO_INS);
  });

  it('emergency doctor: bris de glace needs a reason, is audited, and shows in the access history', async () => {
    const { app } = await start();
    await authenticate(app, 'cps-medecin-urgentiste');
    await expect(
      call(app, 'patient.open', { insKey: DEMO_INS, mode: 'bris_de_glace' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const state = await call<SessionState>(app, 'patient.open', {
      insKey: DEMO_INS,
      mode: 'bris_de_glace',
      reason: 'Patiente inconsciente, admise au SAU',
    });
    expect(state.patient?.access).toMatchObject({
      mode: 'bris_de_glace',
      reason: 'Patiente inconsciente, admise au SAU',
    });
    const summary = await call<{ allergies: unknown[] }>(app, 'summary.get', { insKey: DEMO_INS });
    expect(summary.allergies.length).toBeGreaterThan(0);
    const history = await call<{ mode?: string; reason?: string; action: string }[]>(
      app,
      'dossier.accessHistory',
      { insKey: DEMO_INS },
    );
    expect(
      history.some((h) => h.mode === 'bris_de_glace' && h.reason === 'Patiente inconsciente, admise au SAU'),
    ).toBe(true);
  });

  it('a secretary (CPE) cannot read medical content', async () => {
    const { app } = await start();
    await authenticate(app, 'cpe-secretaire-medicale');
    await expect(call(app, 'patient.open', { insKey: DEMO_INS, mode: 'normal' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(call(app, 'summary.get', { insKey: DEMO_INS })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('keeps the store across restarts and does not import the demo document twice', async () => {
    const first = await start();
    await authenticate(first.app, 'cps-medecin-urgentiste');
    await call(first.app, 'patient.open', {
      insKey: DEMO_INS,
      mode: 'bris_de_glace',
      reason: 'Test de persistance',
    });
    const before = await call<unknown[]>(first.app, 'documents.list', { insKey: DEMO_INS });
    await first.app.close();
    app = null;
    const second = await start(first.dataDir);
    await authenticate(second.app, 'cps-medecin-urgentiste');
    await call(second.app, 'patient.open', {
      insKey: DEMO_INS,
      mode: 'bris_de_glace',
      reason: 'Test de persistance',
    });
    const after = await call<unknown[]>(second.app, 'documents.list', { insKey: DEMO_INS });
    expect(after).toHaveLength(before.length);
    const history = await call<{ reason?: string }[]>(second.app, 'dossier.accessHistory', {
      insKey: DEMO_INS,
    });
    expect(history.filter((h) => h.reason === 'Test de persistance').length).toBeGreaterThanOrEqual(2);
  });
});

describe('store recovery reaches the administrator', () => {
  it('drops a torn journal tail on restart, keeps every acknowledged write, and says so in app.info', async () => {
    const first = await start();
    await authenticate(first.app, 'cps-medecin-urgentiste');
    await call(first.app, 'patient.open', {
      insKey: DEMO_INS,
      mode: 'bris_de_glace',
      reason: 'Avant la coupure',
    });
    await first.app.close();
    app = null;
    // A write interrupted mid-record, as a power cut would leave it.
    const storeDir = join(first.dataDir, 'store');
    const journal = readdirSync(storeDir)
      .filter((f) => f.startsWith('journal.'))
      .sort()
      .pop();
    expect(journal).toBeDefined();
    appendFileSync(join(storeDir, journal!), Buffer.from([0, 0, 1, 0, 42, 42, 42]));

    const second = await start(first.dataDir);
    const info = await call<{ warnings: string[] }>(second.app, 'app.info');
    expect(info.warnings.join(' ')).toMatch(/interrompue avant d’avoir été confirmée/);
    await authenticate(second.app, 'cps-medecin-urgentiste');
    await call(second.app, 'patient.open', {
      insKey: DEMO_INS,
      mode: 'bris_de_glace',
      reason: 'Après la coupure',
    });
    const history = await call<{ reason?: string }[]>(second.app, 'dossier.accessHistory', {
      insKey: DEMO_INS,
    });
    expect(history.some((h) => h.reason === 'Avant la coupure')).toBe(true);
  });
});
