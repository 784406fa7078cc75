import { afterEach, describe, expect, it } from 'vitest';
import { startSync } from '../../../src/renderer/src/state/sync';
import { useStore } from '../../../src/renderer/src/state/store';
import { createFakeApi } from './support/fake-api';
import { demoDossier, documentMeta, patientContext, session, summary } from './support/fixtures';
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
