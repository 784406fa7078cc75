import type { Api, SessionState } from '../../../shared/contract';
import { toUiError } from '../api/errors';
import { useStore } from './store';

/**
 * Feeds the store from the contract's events, and loads the emergency summary whenever the open
 * dossier changes. Called once at start-up; returns the unsubscribe function.
 */
export function startSync(api: Api): () => void {
  const { setReaders, setSession, setAppInfo } = useStore.getState();
  let summaryFor: string | null = null;

  const onSession = (session: SessionState): void => {
    setSession(session);
    const insKey = session.status === 'authenticated' ? (session.patient?.dossier?.insKey ?? null) : null;
    const accessKey = insKey ? `${insKey}|${session.patient?.access?.mode}|${session.patient?.access?.since}` : null;
    if (accessKey === summaryFor) return;
    summaryFor = accessKey;
    const { setSummary, setSummaryLoading } = useStore.getState();
    if (!insKey) {
      setSummary(null);
      return;
    }
    setSummaryLoading(true);
    api.summary
      .get({ insKey })
      .then((summary) => {
        if (summaryFor === accessKey) setSummary(summary);
      })
      .catch((err: unknown) => {
        if (summaryFor === accessKey) setSummary(null, toUiError(err));
      });
  };

  const offCards = api.on('cards.changed', setReaders);
  const offSession = api.on('session.changed', onSession);
  void api.app.info({}).then(setAppInfo).catch(() => undefined);
  void api.cards.list({}).then(setReaders).catch(() => undefined);
  void api.session.get({}).then(onSession).catch(() => undefined);
  return () => {
    offCards();
    offSession();
  };
}
