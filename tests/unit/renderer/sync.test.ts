import { afterEach, describe, expect, it } from 'vitest';
import { startSync } from '../../../src/renderer/src/state/sync';
import { useStore } from '../../../src/renderer/src/state/store';
import { createFakeApi } from './support/fake-api';
import {
  cpsReader,
  demoDossier,
  documentMeta,
  historyEntry,
  patientContext,
  session,
  summary,
} from './support/fixtures';
import type { EmergencySummary, HostStatus, ReaderDisplay } from '../../../src/shared/contract';

const initial = useStore.getState();
afterEach(() => useStore.setState(initial, true));

const flush = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('startSync', () => {
  it('loads the summary once per opening, reloads on a new access mode, and clears it on lock', async () => {
    const fake = createFakeApi({ 'summary.get': () => summary() });
    const stop = startSync(fake.api);
    const open = session({ patient: patientContext() });
    fake.emit('session.changed', open);
    fake.emit('session.changed', open);
    await flush();
    expect(useStore.getState().summary?.allergies[0]?.label).toBe('Paracétamol');
    expect(fake.callsTo('summary.get')).toHaveLength(1);

    fake.emit(
      'session.changed',
      session({
        patient: patientContext({
          access: { mode: 'bris_de_glace', reason: 'x', since: '2026-11-23T12:00:00Z' },
        }),
      }),
    );
    await flush();
    expect(fake.callsTo('summary.get')).toHaveLength(2);

    useStore
      .getState()
      .setDocuments({ insKey: demoDossier.insKey, data: [documentMeta()], loading: false, error: null });
    fake.emit('session.changed', session({ status: 'locked', patient: patientContext() }));
    expect(useStore.getState().summary).toBeNull();
    expect(useStore.getState().documents.data).toBeNull();
    stop();
  });

  it('drops a late summary for a dossier that is no longer open', async () => {
    let release: (s: EmergencySummary) => void = () => undefined;
    const fake = createFakeApi({
      'summary.get': () => new Promise<EmergencySummary>((resolve) => (release = resolve)),
    });
    const stop = startSync(fake.api);
    fake.emit('session.changed', session({ patient: patientContext() }));
    fake.emit('session.changed', session({ patient: null }));
    release(summary());
    await flush();
    expect(useStore.getState().summary).toBeNull();
    expect(useStore.getState().summaryLoading).toBe(false);
    stop();
  });

  it('keeps the reader list in step with cards.changed', () => {
    const fake = createFakeApi();
    const stop = startSync(fake.api);
    fake.emit('cards.changed', [{ name: 'Lecteur A', card: null }]);
    expect(useStore.getState().readers.map((r) => r.name)).toEqual(['Lecteur A']);
    stop();
    fake.emit('cards.changed', []);
    expect(useStore.getState().readers).toHaveLength(1);
  });

  const remote = (state: 'connected' | 'unreachable', since: string): HostStatus => ({
    mode: 'remote',
    url: 'https://dmp.example:8443',
    state,
    message: state === 'connected' ? '' : 'Serveur DMP injoignable — aucune donnée affichée.',
    since,
  });

  it('a host.changed event that overtakes the answer to host.status wins: the late answer does not bring « connecté » back', async () => {
    let answer: (status: HostStatus) => void = () => undefined;
    const fake = createFakeApi({
      'host.status': () => new Promise<HostStatus>((resolve) => (answer = resolve)),
    });
    const stop = startSync(fake.api);
    await flush();
    expect(fake.callsTo('host.status')).toHaveLength(1);
    // The host went away after main answered « connected », and the event arrived first.
    fake.emit('host.changed', remote('unreachable', '2026-12-02T10:00:01Z'));
    answer(remote('connected', '2026-12-02T10:00:00Z'));
    await flush();
    expect(useStore.getState().hostStatus).toMatchObject({ state: 'unreachable' });
    stop();
  });

  it('applies the answer to host.status when no event came after it was asked', async () => {
    const fake = createFakeApi({ 'host.status': () => remote('connected', '2026-12-02T10:00:00Z') });
    const stop = startSync(fake.api);
    await flush();
    expect(useStore.getState().hostStatus).toMatchObject({ state: 'connected' });
    fake.emit('host.changed', remote('unreachable', '2026-12-02T10:00:01Z'));
    expect(useStore.getState().hostStatus).toMatchObject({ state: 'unreachable' });
    stop();
  });

  it('a cards.changed event that overtakes the answer to cards.list wins (no removed card shown again)', async () => {
    let answer: (readers: ReaderDisplay[]) => void = () => undefined;
    const fake = createFakeApi({
      'cards.list': () => new Promise<ReaderDisplay[]>((resolve) => (answer = resolve)),
    });
    const stop = startSync(fake.api);
    await flush();
    fake.emit('cards.changed', [{ name: 'Lecteur A', card: null }]);
    answer([
      { name: 'Lecteur A', card: null },
      { name: 'Lecteur B', card: null },
    ]);
    await flush();
    expect(useStore.getState().readers.map((r) => r.name)).toEqual(['Lecteur A']);
    stop();
  });
});

describe('startSync: after the link to main comes back', () => {
  const up = { state: 'reconnected', attempts: 0 } as const;
  const down = { state: 'disconnected', attempts: 1 } as const;
  const embedded: HostStatus = { mode: 'embedded' };

  it('re-reads cards, session and host, asks the open dossier again, and says « reconnected » only once read', async () => {
    const truth = {
      readers: [cpsReader()] as ReaderDisplay[],
      session: session({ patient: patientContext() }),
    };
    let releaseSession: () => void = () => undefined;
    let holdSession = false;
    const fake = createFakeApi({
      'cards.list': () => truth.readers,
      'host.status': () => embedded,
      'session.get': () =>
        holdSession
          ? new Promise((resolve) => (releaseSession = () => resolve(truth.session)))
          : truth.session,
      'summary.get': () => summary(),
      'documents.list': () => [documentMeta()],
      'dossier.accessHistory': () => [historyEntry()],
    });
    const stop = startSync(fake.api);
    await flush();
    expect(fake.callsTo('summary.get')).toHaveLength(1);
    // The documents and history tabs were opened for this dossier.
    useStore.getState().setDocuments({ insKey: demoDossier.insKey, data: [], loading: false, error: null });
    useStore.getState().setHistory({ insKey: demoDossier.insKey, data: [], loading: false, error: null });

    fake.setConnection(down);
    expect(useStore.getState().connection.state).toBe('disconnected');
    // During the gap the CPS was pulled (event lost); a document was deposited.
    truth.readers = [{ name: 'Lecteur CPS', card: null }];
    holdSession = true;
    fake.setConnection(up);
    await flush();
    expect(useStore.getState().readers).toEqual(truth.readers);
    // The session is not read yet: the screen still says the link is down.
    expect(useStore.getState().connection.state).toBe('disconnected');
    releaseSession();
    await flush();
    await flush();
    expect(useStore.getState().connection.state).toBe('reconnected');
    expect(fake.callsTo('cards.list')).toHaveLength(2);
    expect(fake.callsTo('host.status')).toHaveLength(2);
    expect(fake.callsTo('session.get')).toHaveLength(2);
    expect(fake.callsTo('summary.get')).toHaveLength(2);
    expect(fake.callsTo('documents.list')).toHaveLength(1);
    expect(fake.callsTo('dossier.accessHistory')).toHaveLength(1);
    expect(useStore.getState().documents.data).toHaveLength(1);
    expect(useStore.getState().history.data).toHaveLength(1);
    stop();
  });

  it('an event that overtakes the answer to a resync read wins, as at start', async () => {
    let answer: (readers: ReaderDisplay[]) => void = () => undefined;
    let calls = 0;
    const fake = createFakeApi({
      'cards.list': () => {
        calls += 1;
        return calls === 1 ? [] : new Promise<ReaderDisplay[]>((resolve) => (answer = resolve));
      },
    });
    const stop = startSync(fake.api);
    await flush();
    fake.setConnection(down);
    fake.setConnection(up);
    await flush();
    fake.emit('cards.changed', [{ name: 'Lecteur A', card: null }]);
    answer([cpsReader()]);
    await flush();
    expect(calls).toBe(2);
    expect(useStore.getState().readers.map((r) => r.name)).toEqual(['Lecteur A']);
    stop();
  });

  it('a drop during the resync keeps the link shown as down', async () => {
    let answer: (readers: ReaderDisplay[]) => void = () => undefined;
    const fake = createFakeApi({
      'cards.list': () => new Promise<ReaderDisplay[]>((resolve) => (answer = resolve)),
    });
    const stop = startSync(fake.api);
    fake.setConnection(down);
    fake.setConnection(up);
    fake.setConnection(down);
    answer([]);
    await flush();
    expect(useStore.getState().connection.state).toBe('disconnected');
    stop();
  });
});
