import type { Api, SessionState } from '../../../shared/contract';
import { toUiError } from '../api/errors';
import { useStore } from './store';

/** Identifies one opening of one dossier: a new access mode (e.g. bris de glace) is a new opening. */
function openingKey(session: SessionState): string | null {
  if (session.status !== 'authenticated') return null;
  const patient = session.patient;
  const insKey = patient?.dossier?.insKey;
  if (!insKey) return null;
  return `${insKey}|${patient?.access?.mode ?? ''}|${patient?.access?.since ?? ''}`;
}

/**
 * Follows one piece of main-process state: subscribes to its event first, then reads it once. The
 * read's answer is applied only if no event arrived after the read was sent: the transport does not
 * promise that an answer and an event reach the renderer in the order the main process produced
 * them, and an event that overtook the answer is at least as new as it — applying the late answer
 * would put back a stale state (« connecté » after the host went away, a card already removed).
 * Events are delivered in order among themselves, so the last one applied is the current state.
 */
function follow<T>(
  subscribe: (listener: (value: T) => void) => () => void,
  read: () => Promise<T>,
  apply: (value: T) => void,
): () => void {
  let events = 0;
  const off = subscribe((value) => {
    events += 1;
    apply(value);
  });
  const before = events;
  void read()
    .then((value) => {
      if (events === before) apply(value);
    })
    .catch(() => undefined);
  return off;
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

  const offCards = follow(
    (listener) => api.on('cards.changed', listener),
    () => api.cards.list({}),
    setReaders,
  );
  const offSession = follow(
    (listener) => api.on('session.changed', listener),
    () => api.session.get({}),
    onSession,
  );
  const offHost = follow(
    (listener) => api.on('host.changed', listener),
    () => api.host.status({}),
    setHostStatus,
  );
  void api.app
    .info({})
    .then(setAppInfo)
    .catch(() => undefined);
  return () => {
    offCards();
    offSession();
    offHost();
  };
}
