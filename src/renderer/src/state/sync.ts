import type { Api, SessionState } from '../../../shared/contract';
import { toUiError } from '../api/errors';
import { useStore } from './store';
import { loadDocuments, loadHistory } from './dossier-loaders';

/** Identifies one opening of one dossier: a new access mode (e.g. bris de glace) is a new opening. */
function openingKey(session: SessionState): string | null {
  if (session.status !== 'authenticated') return null;
  const patient = session.patient;
  const insKey = patient?.dossier?.insKey;
  if (!insKey) return null;
  return `${insKey}|${patient?.access?.mode ?? ''}|${patient?.access?.since ?? ''}`;
}

/**
 * Follows one piece of main-process state: subscribes to its event once, and reads it on demand
 * (`read`, at start and after every reconnection). A read's answer is applied only if no event
 * arrived after that read was sent: the transport does not promise that an answer and an event
 * reach the renderer in the order the main process produced them, and an event that overtook the
 * answer is at least as new as it — applying the late answer would put back a stale state
 * (« connecté » after the host went away, a card already removed). Events are delivered in order
 * among themselves, so the last one applied is the current state.
 */
function follow<T>(
  subscribe: (listener: (value: T) => void) => () => void,
  fetch: () => Promise<T>,
  apply: (value: T) => void,
): { off: () => void; read: () => Promise<void> } {
  let events = 0;
  const off = subscribe((value) => {
    events += 1;
    apply(value);
  });
  const read = async (): Promise<void> => {
    const before = events;
    try {
      const value = await fetch();
      if (events === before) apply(value);
    } catch {
      // The link dropped or main refused: the next reconnection reads again.
    }
  };
  return { off, read };
}

/**
 * Feeds the store from the contract's events, and loads the emergency summary whenever the open
 * dossier changes. Called once at start-up; returns the unsubscribe function.
 */
export function startSync(api: Api): () => void {
  const { setReaders, setAppInfo, setHostStatus } = useStore.getState();
  let summaryFor: string | null = null;
  let dossierFor: string | null = null;

  const onSession = (session: SessionState): void => {
    const store = useStore.getState();
    store.setSession(session);
    const insKey = session.status === 'authenticated' ? (session.patient?.dossier?.insKey ?? null) : null;
    if (insKey !== dossierFor) {
      // Another patient (or none, e.g. on lock): nothing loaded for the previous one may stay in memory.
      dossierFor = insKey;
      store.resetDossier();
      if (store.created && insKey !== null && store.created.insKey !== insKey) store.setCreated(null);
    }
    if (!session.patient && store.created) store.setCreated(null);
    const accessKey = openingKey(session);
    if (accessKey === summaryFor) return;
    summaryFor = accessKey;
    if (!insKey) {
      store.setSummary(null);
      return;
    }
    store.setSummary(null);
    store.setSummaryLoading(true);
    api.summary
      .get({ insKey })
      .then((summary) => {
        if (summaryFor === accessKey) useStore.getState().setSummary(summary);
      })
      .catch((err: unknown) => {
        if (summaryFor === accessKey) useStore.getState().setSummary(null, toUiError(err));
      });
  };

  const cards = follow(
    (listener) => api.on('cards.changed', listener),
    () => api.cards.list({}),
    setReaders,
  );
  const session = follow(
    (listener) => api.on('session.changed', listener),
    () => api.session.get({}),
    onSession,
  );
  const host = follow(
    (listener) => api.on('host.changed', listener),
    () => api.host.status({}),
    setHostStatus,
  );

  /**
   * The one place that (re)reads everything the renderer shows from main: at start, and after every
   * reconnection (events sent during the gap are lost). Each read follows the ordering rule above.
   * The open dossier is reloaded too — a document deposited or archived during the gap changes the
   * summary, the documents and the access history: the summary is asked again by the next session
   * state applied (read or event), the lists once the session is known.
   */
  const resync = async (): Promise<void> => {
    summaryFor = null;
    void api.app
      .info({})
      .then(setAppInfo)
      .catch(() => undefined);
    await Promise.all([cards.read(), host.read(), session.read()]);
    const { session: current, documents, history, documentFilter } = useStore.getState();
    const insKey = current?.status === 'authenticated' ? (current.patient?.dossier?.insKey ?? null) : null;
    if (insKey === null) return;
    if (documents.insKey === insKey) void loadDocuments(api, insKey, documentFilter);
    if (history.insKey === insKey) void loadHistory(api, insKey);
  };

  // Subscribed before the first read, so a reconnection during it is not missed. A `reconnected`
  // reaches the store only once the state is read again: until then the UI keeps showing the link
  // as down rather than the pre-gap state as current. A newer change (the link dropped again during
  // the resync) wins over a resync that ends after it.
  let linkChanges = 0;
  const offConnection = api.onConnection((status) => {
    const change = ++linkChanges;
    if (status.state !== 'reconnected') {
      useStore.getState().setConnection(status);
      return;
    }
    void resync().then(() => {
      if (change === linkChanges) useStore.getState().setConnection(status);
    });
  });
  void resync();
  return () => {
    offConnection();
    cards.off();
    session.off();
    host.off();
  };
}
