import type { Api } from '../../../shared/contract';
import { toUiError } from '../api/errors';
import { useStore, type DocumentFilter } from './store';

let documentsRequest = 0;
let historyRequest = 0;

/** Only the latest request may write: a slow answer for an older filter or patient is dropped. */
export async function loadDocuments(api: Api, insKey: string, filter: DocumentFilter): Promise<void> {
  const request = ++documentsRequest;
  const { setDocuments, documents } = useStore.getState();
  setDocuments({
    insKey,
    data: documents.insKey === insKey ? documents.data : null,
    loading: true,
    error: null,
  });
  try {
    const data = await api.documents.list({ insKey, filter: compactFilter(filter) });
    if (request === documentsRequest) setDocuments({ insKey, data, loading: false, error: null });
  } catch (err) {
    if (request === documentsRequest)
      setDocuments({ insKey, data: null, loading: false, error: toUiError(err) });
  }
}

export async function loadHistory(api: Api, insKey: string): Promise<void> {
  const request = ++historyRequest;
  const { setHistory, history } = useStore.getState();
  setHistory({ insKey, data: history.insKey === insKey ? history.data : null, loading: true, error: null });
  try {
    const data = await api.dossier.accessHistory({ insKey });
    if (request === historyRequest) setHistory({ insKey, data, loading: false, error: null });
  } catch (err) {
    if (request === historyRequest) setHistory({ insKey, data: null, loading: false, error: toUiError(err) });
  }
}

let summaryRequest = 0;

/**
 * After a deposit, an archive or a visibility change the summary shown is stale: reload it in place
 * (the previous one stays on screen meanwhile). Only when the summary shown is this dossier's.
 */
export async function refreshSummary(api: Api, insKey: string): Promise<void> {
  if (useStore.getState().summary?.dossier.insKey !== insKey) return;
  const request = ++summaryRequest;
  const stillCurrent = (): boolean =>
    request === summaryRequest && useStore.getState().summary?.dossier.insKey === insKey;
  try {
    const summary = await api.summary.get({ insKey });
    if (stillCurrent()) useStore.getState().setSummary(summary);
  } catch (err) {
    const { summary, setSummary } = useStore.getState();
    if (stillCurrent()) setSummary(summary, toUiError(err));
  }
}

/** The contract's filter is strict: send only the fields the user actually set. */
export function compactFilter(filter: DocumentFilter): DocumentFilter {
  const out: DocumentFilter = {};
  if (filter.category) out.category = filter.category;
  if (filter.from) out.from = filter.from;
  if (filter.to) out.to = filter.to;
  if (filter.includeArchived) out.includeArchived = true;
  return out;
}
