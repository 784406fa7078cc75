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

  const offCards = api.on('cards.changed', setReaders);
  const offSession = api.on('session.changed', onSession);
  const offHost = api.on('host.changed', setHostStatus);
  void api.app
    .info({})
    .then(setAppInfo)
    .catch(() => undefined);
  void api.host
    .status({})
    .then(setHostStatus)
    .catch(() => undefined);
  void api.cards
    .list({})
    .then(setReaders)
    .catch(() => undefined);
  void api.session
    .get({})
    .then(onSession)
    .catch(() => undefined);
  return () => {
    offCards();
    offSession();
    offHost();
  };
}
