import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { buildApp, type App } from '../../../src/main/app/composition';
import { resourcesDir } from '../../../src/main/app/paths';
import { startLoopbackHost, type LoopbackHost } from '../../../src/main/bridge/loopback-host';
import { silentLogger } from '../../../src/main/log/logger';
import type { AccessHistoryEntry, DocumentMeta, SessionState } from '../../../src/shared/contract';

/**
 * Issue 11, played as in the report: over the browser host's WebSocket bridge, with simulated cards,
 * each profession tries to change what is not theirs. Every attempt must be refused, and the GP's
 * documents must come out unchanged.
 */
const DEMO_INS = '279035121518989@1.2.250.1.213.1.4.10';
const CPS_READER = 'Lecteur simulé CPS';
const VITALE_READER = 'Lecteur simulé Vitale';
const visible = {
  hiddenFromPatient: false,
  maskedFromProfessionals: false,
  hiddenFromLegalRepresentatives: false,
};

class BridgeClient {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    (response: { ok: boolean; value?: unknown; error?: { code: string; message: string } }) => void
  >();
  private readonly sessionWaiters: {
    match: (s: SessionState) => boolean;
    resolve: (s: SessionState) => void;
  }[] = [];

  constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as {
        id?: number;
        response?: never;
        event?: string;
        payload?: unknown;
      };
      if (message.id !== undefined && message.response) {
        this.pending.get(message.id)?.(message.response);
        this.pending.delete(message.id);
      } else if (message.event === 'session.changed') {
        const state = message.payload as SessionState;
        for (const waiter of this.sessionWaiters.splice(0)) {
          if (waiter.match(state)) waiter.resolve(state);
          else this.sessionWaiters.push(waiter);
        }
      }
    });
  }

  /** Resolves with the value, or rejects with `{ code, message }` as the renderer would see it. */
  call<T = unknown>(method: string, input: unknown = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (response) =>
        response.ok ? resolve(response.value as T) : reject(response.error),
      );
      this.ws.send(JSON.stringify({ id, method, input }));
    });
  }

  /** The next session state that matches, or the current one if it already does (events, not sleeps). */
  async sessionWhere(match: (s: SessionState) => boolean): Promise<SessionState> {
    const waiting = new Promise<SessionState>((resolve) => this.sessionWaiters.push({ match, resolve }));
    const now = await this.call<SessionState>('session.get');
    return match(now) ? now : waiting;
  }
}

let app: App;
let host: LoopbackHost;
let client: BridgeClient;
let socket: WebSocket;
const dirs: string[] = [];

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'poste-dmp-attacks-'));
  const staticDir = mkdtempSync(join(tmpdir(), 'poste-dmp-static-'));
  dirs.push(dataDir, staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>x</title>');
  app = await buildApp({
    host: 'web',
    dataDir,
    simulation: true,
    production: false,
    key: { kind: 'file', path: join(dataDir, 'store.key') },
    log: silentLogger,
    seedFiles: [join(resourcesDir(), 'demo', 'VSM_1.4_2022.01.xml')],
    identitySeedFiles: [join(resourcesDir(), 'identity', 'demo-identities.json')],
  });
  host = await startLoopbackHost({ dispatch: app.dispatch, bus: app.bus, staticDir, log: silentLogger });
  const token = new URL(host.url).hash.replace('#token=', '');
  socket = await new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(`${host.origin.replace('http', 'ws')}/bridge?token=${token}`, {
      origin: host.origin,
    });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
  client = new BridgeClient(socket);
});

afterAll(async () => {
  socket?.close();
  await host?.close();
  await app?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function login(profileId: string): Promise<void> {
  const state = await client.call<SessionState>('session.get');
  if (state.professional) {
    await client.call('simulator.remove', { reader: CPS_READER });
    await client.sessionWhere((s) => s.professional === null);
  }
  await client.call('simulator.insert', { reader: CPS_READER, profileId });
  // A new card after a locked session asks for the PIN from the lock screen: either status will do.
  await client.sessionWhere(
    (s) => s.professional !== null && (s.status === 'pin_required' || s.status === 'locked'),
  );
  expect(
    await client.call<{ success: boolean }>('session.verifyPin', { reader: CPS_READER, pin: '1234' }),
  ).toMatchObject({ success: true }); // A card with several practice situations asks which one after the PIN.
  const afterPin = await client.call<SessionState>('session.get');
  if (afterPin.status === 'situation_required') await client.call('session.selectSituation', { index: 0 });
}

/** The patient hands over their Vitale: the dossier opens, after the patient's explicit authorisation if needed. */
async function patientArrives(): Promise<void> {
  const readers = await client.call<{ name: string; card: unknown }[]>('cards.list');
  if (readers.find((r) => r.name === VITALE_READER)?.card)
    await client.call('simulator.remove', { reader: VITALE_READER });
  await client.call('simulator.insert', { reader: VITALE_READER, profileId: 'vitale-pat-trois' });
  const state = await client.sessionWhere(
    (s) => Boolean(s.patient?.dossier) || s.patient?.authorizationRequired === true,
  );
  if (!state.patient?.dossier) await client.call('patient.authorizeAccess');
  await client.sessionWhere((s) => s.patient?.dossier?.insKey === DEMO_INS);
}

/** The patient leaves with their card; the professional keeps the dossier open. */
async function patientLeaves(): Promise<void> {
  await client.call('patient.keepOpen', { keep: true });
  await client.call('simulator.remove', { reader: VITALE_READER });
  const readers = await client.call<{ name: string; card: unknown }[]>('cards.list');
  expect(readers.find((r) => r.name === VITALE_READER)?.card ?? null).toBeNull();
}

const b64 = (text: string): string => Buffer.from(text).toString('base64');
const refused = (code: string) => expect.objectContaining({ code });

describe('write attacks over the WebSocket bridge, as each profession (issue 11)', () => {
  const ids = { vsm: '', letter: '', psy: '' };

  it('GP, patient present: deposits their documents', async () => {
    await login('cps-medecin-generaliste');
    await patientArrives();
    const deposit = (title: string, typeCode: string, visibility = visible) =>
      client.call<DocumentMeta>('documents.deposit', {
        insKey: DEMO_INS,
        fileName: `${title}.txt`,
        contentBase64: b64(`${title} : texte`),
        title,
        typeCode,
        visibility,
      });
    ids.letter = (
      await deposit('Lettre au cardiologue', '11488-4', { ...visible, hiddenFromPatient: true })
    ).id;
    ids.psy = (await deposit('Synthèse psychiatrique', '68599-0')).id;
    const docs = await client.call<DocumentMeta[]>('documents.list', { insKey: DEMO_INS });
    ids.vsm = docs.find((d) => d.format === 'cda-structured')?.id ?? '';
    expect(ids.vsm).not.toBe('');
    await client.call('simulator.remove', { reader: VITALE_READER });
  });

  it('pharmacist: cannot un-hide, mask, archive, delete or replace the GP’s documents, nor close the DMP, nor list patients', async () => {
    await login('cps-pharmacien');
    await patientArrives();
    await patientLeaves();
    await expect(
      client.call('documents.update', { insKey: DEMO_INS, id: ids.letter, visibility: visible }),
    ).rejects.toEqual(refused('FORBIDDEN'));
    // Claiming the patient's request does not help when the patient is not there.
    await expect(
      client.call('documents.update', {
        insKey: DEMO_INS,
        id: ids.letter,
        visibility: visible,
        atPatientRequest: true,
      }),
    ).rejects.toEqual(refused('FORBIDDEN'));
    await expect(
      client.call('documents.update', {
        insKey: DEMO_INS,
        id: ids.vsm,
        visibility: { ...visible, maskedFromProfessionals: true },
      }),
    ).rejects.toEqual(refused('FORBIDDEN'));
    await expect(
      client.call('documents.update', { insKey: DEMO_INS, id: ids.vsm, status: 'archived' }),
    ).rejects.toEqual(refused('FORBIDDEN'));
    await expect(client.call('documents.delete', { insKey: DEMO_INS, id: ids.vsm })).rejects.toEqual(
      refused('FORBIDDEN'),
    );
    await expect(
      client.call('documents.deposit', {
        insKey: DEMO_INS,
        fileName: 'psy.txt',
        contentBase64: b64('remplacement'),
        typeCode: '68599-0',
        visibility: visible,
        replacesId: ids.psy,
      }),
    ).rejects.toEqual(refused('FORBIDDEN'));
    await expect(
      client.call('dossier.close', { insKey: DEMO_INS, reason: 'test', atPatientRequest: false }),
    ).rejects.toEqual(refused('FORBIDDEN'));
    await expect(client.call('patient.search', { birthDate: '1979-00-00' })).rejects.toEqual(
      refused('INVALID_INPUT'),
    );
    await expect(client.call('patient.search', { name: 'PA', birthDate: '1979-03-05' })).rejects.toEqual(
      refused('INVALID_INPUT'),
    );
    const outcomes = await Promise.allSettled(
      Array.from({ length: 12 }, () => client.call('patient.search', { insKey: DEMO_INS })),
    );
    const limited = outcomes.find((o) => o.status === 'rejected');
    expect(limited).toMatchObject({
      status: 'rejected',
      reason: { code: 'UNAVAILABLE', message: expect.stringMatching(/Trop de recherches/) },
    });
  });

  it('nurse in bris de glace: reads, but changes nothing and cannot close the DMP', async () => {
    await login('cps-infirmier');
    await client.call('patient.open', {
      insKey: DEMO_INS,
      mode: 'bris_de_glace',
      reason: 'Malaise, patiente inconsciente',
    });
    expect(
      (await client.call<DocumentMeta[]>('documents.list', { insKey: DEMO_INS })).length,
    ).toBeGreaterThan(0);
    await expect(client.call('documents.delete', { insKey: DEMO_INS, id: ids.vsm })).rejects.toEqual(
      refused('FORBIDDEN'),
    );
    await expect(
      client.call('documents.update', { insKey: DEMO_INS, id: ids.vsm, status: 'archived' }),
    ).rejects.toEqual(refused('FORBIDDEN'));
    await expect(
      client.call('dossier.close', { insKey: DEMO_INS, reason: 'test', atPatientRequest: true }),
    ).rejects.toEqual(refused('FORBIDDEN'));
  });

  it('secretary (CPE): cannot close or reactivate a DMP without the patient, nor touch documents', async () => {
    await login('cpe-secretaire-medicale');
    await expect(
      client.call('dossier.close', { insKey: DEMO_INS, reason: 'test', atPatientRequest: true }),
    ).rejects.toEqual(refused('FORBIDDEN'));
    await expect(
      client.call('dossier.reactivate', { insKey: DEMO_INS, reason: 'test', atPatientRequest: false }),
    ).rejects.toEqual(refused('FORBIDDEN'));
    await expect(client.call('documents.delete', { insKey: DEMO_INS, id: ids.vsm })).rejects.toEqual(
      refused('FORBIDDEN'),
    );
  });

  it('another doctor: cannot delete the GP’s letter; reads a history without internal ids or the nurse’s reason', async () => {
    await login('cps-medecin-urgentiste');
    await patientArrives();
    await patientLeaves();
    await expect(client.call('documents.delete', { insKey: DEMO_INS, id: ids.letter })).rejects.toEqual(
      refused('FORBIDDEN'),
    );
    const history = await client.call<AccessHistoryEntry[]>('dossier.accessHistory', { insKey: DEMO_INS });
    const text = JSON.stringify(history);
    for (const id of Object.values(ids)) expect(text).not.toContain(id);
    expect(text).not.toMatch(
      /write\.not-author|normal\.not-in-care-team|document\.habilitation-matrix|279035121518989/,
    );
    expect(text).not.toContain('Malaise, patiente inconsciente');
    expect(history.some((h) => h.mode === 'bris_de_glace' && h.reasonWithheld === true)).toBe(true);
    expect(history[0]?.description).toBe('A consulté l’historique des accès au dossier.');
    expect(history.map((h) => h.description)).toContain(
      'Accès refusé : seul l’auteur d’un document peut le modifier.',
    );
    expect(history.map((h) => h.description)).toContain(
      'Accès refusé : un accès en urgence ne permet aucune modification.',
    );
  });

  it('GP: their documents came through every attempt unchanged', async () => {
    await login('cps-medecin-generaliste');
    await patientArrives();
    const docs = await client.call<DocumentMeta[]>('documents.list', {
      insKey: DEMO_INS,
      filter: { includeArchived: true },
    });
    const byId = new Map(docs.map((d) => [d.id, d]));
    expect(byId.get(ids.letter)).toMatchObject({
      status: 'approved',
      visibility: { ...visible, hiddenFromPatient: true },
    });
    expect(byId.get(ids.vsm)).toMatchObject({ status: 'approved', visibility: visible });
    expect(byId.get(ids.psy)).toMatchObject({ status: 'approved', version: 1 });
    expect(await client.call<SessionState>('session.get')).toMatchObject({
      patient: { dossier: { status: 'active' } },
    });
  });
});
