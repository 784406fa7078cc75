import { useEffect, useState } from 'react';
import type { DocumentMeta } from '../../../../shared/contract';
import { getApi } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { toUiError } from '../../api/errors';
import { loadDocuments, refreshSummary } from '../../state/dossier-loaders';
import { useStore, type DocumentFilter } from '../../state/store';
import { frenchDate } from '../patient/format';
import { DepositDialog } from './DepositDialog';
import { DocumentBadges } from './DocumentBadges';
import { DocumentFilters } from './DocumentFilters';
import { DocumentViewer } from './DocumentViewer';
import { VisibilityDialog } from './VisibilityDialog';
import { categoryLabel } from './labels';
import { ErrorAlert } from '../../components/ErrorAlert';

/** The dossier's documents: filter, open, deposit, archive or restore. */
export function DocumentsTab({ insKey }: { insKey: string }): React.JSX.Element {
  const documents = useStore((s) => s.documents);
  const filter = useStore((s) => s.documentFilter);
  const setFilter = useStore((s) => s.setDocumentFilter);
  const sourceRequest = useStore((s) => s.sourceRequest);
  const closeSource = useStore((s) => s.closeSource);
  const [opened, setOpened] = useState<DocumentMeta | null>(null);
  const [depositing, setDepositing] = useState(false);
  const [editingVisibility, setEditingVisibility] = useState<DocumentMeta | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [archiving, setArchiving] = useState<DocumentMeta | null>(null);

  useEffect(() => {
    void loadDocuments(getApi(), insKey, filter);
  }, [insKey, filter]);

  /** After a change: the list, and the summary built from these documents. */
  const reload = (): void => {
    void loadDocuments(getApi(), insKey, filter);
    void refreshSummary(getApi(), insKey);
  };
  const applyFilter = (next: DocumentFilter): void => setFilter(next);

  const toggleArchive = async (meta: DocumentMeta): Promise<void> => {
    setActionError(null);
    try {
      await getApi().documents.update({
        insKey,
        id: meta.id,
        status: meta.status === 'archived' ? 'approved' : 'archived',
      });
      reload();
    } catch (err) {
      setActionError(toUiError(err).message);
    }
  };

  const rows = documents.insKey === insKey ? documents.data : null;

  return (
    <div className="documents">
      <div className="documents__toolbar">
        <DocumentFilters filter={filter} onChange={applyFilter} />
        <button type="button" onClick={() => setDepositing(true)}>
          Déposer un document
        </button>
      </div>
      <ErrorAlert>{documents.error?.message}</ErrorAlert>
      <ErrorAlert>{actionError}</ErrorAlert>
      <p className="sr-only" role="status">
        {documents.loading
          ? 'Chargement des documents…'
          : rows
            ? `${rows.length} document${rows.length > 1 ? 's' : ''}`
            : ''}
      </p>
      <table className="doc-table" aria-busy={documents.loading}>
        <caption className="sr-only">Documents du dossier</caption>
        <thead>
          <tr>
            <th scope="col">Document</th>
            <th scope="col">Catégorie</th>
            <th scope="col">Auteur</th>
            <th scope="col">Date</th>
            <th scope="col">Visibilité et statut</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {rows === null && documents.loading && <SkeletonRows />}
          {rows?.length === 0 && (
            <tr>
              <td colSpan={6} className="empty">
                Aucune donnée
              </td>
            </tr>
          )}
          {rows?.map((meta) => (
            <tr key={meta.id} className={meta.status === 'approved' ? undefined : 'doc-table__row--inactive'}>
              <td>
                <strong>{meta.title}</strong>
                <br />
                <span className="muted">{meta.typeLabel}</span>
                {meta.version > 1 && <span className="muted"> · version {meta.version}</span>}
              </td>
              <td>{categoryLabel(meta.category)}</td>
              <td>
                {meta.author ?? '—'}
                {meta.authorProfession && <span className="muted"> ({meta.authorProfession})</span>}
              </td>
              <td>{frenchDate(meta.date ?? meta.depositedAt)}</td>
              <td>
                <DocumentBadges meta={meta} />
              </td>
              <td className="doc-table__actions">
                <button type="button" onClick={() => setOpened(meta)} aria-label={`Ouvrir « ${meta.title} »`}>
                  Ouvrir
                </button>
                <button
                  type="button"
                  className="secondary"
                  onClick={() => setEditingVisibility(meta)}
                  aria-label={`Visibilité de « ${meta.title} »`}
                >
                  Visibilité
                </button>
                {meta.status !== 'obsolete' && (
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => setArchiving(meta)}
                    aria-label={`${meta.status === 'archived' ? 'Restaurer' : 'Archiver'} « ${meta.title} »`}
                  >
                    {meta.status === 'archived' ? 'Restaurer' : 'Archiver'}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {opened && (
        <DocumentViewer
          insKey={insKey}
          id={opened.id}
          title={opened.title}
          meta={opened}
          onClose={() => setOpened(null)}
        />
      )}
      {sourceRequest && (
        <DocumentViewer
          insKey={insKey}
          id={sourceRequest.documentId}
          title={sourceRequest.documentTitle}
          markedEntry={sourceRequest.entryLabel}
          markedAnchor={sourceRequest.anchor}
          onClose={closeSource}
        />
      )}
      {editingVisibility && (
        <VisibilityDialog
          insKey={insKey}
          meta={editingVisibility}
          onClose={() => setEditingVisibility(null)}
          onSaved={() => {
            setEditingVisibility(null);
            reload();
          }}
        />
      )}
      {archiving && (
        <ConfirmDialog
          title={archiving.status === 'archived' ? 'Restaurer le document' : 'Archiver le document'}
          text={
            archiving.status === 'archived'
              ? `« ${archiving.title} » reviendra dans la liste des documents à jour de tous les professionnels.`
              : `« ${archiving.title} » n’apparaîtra plus dans la liste des documents à jour des autres professionnels (il reste consultable parmi les documents archivés).`
          }
          confirmLabel={archiving.status === 'archived' ? 'Restaurer' : 'Archiver'}
          onConfirm={() => {
            const meta = archiving;
            setArchiving(null);
            void toggleArchive(meta);
          }}
          onClose={() => setArchiving(null)}
        />
      )}
      {depositing && (
        <DepositDialog
          insKey={insKey}
          onClose={() => setDepositing(false)}
          onDeposited={() => {
            setDepositing(false);
            reload();
          }}
        />
      )}
    </div>
  );
}

function SkeletonRows(): React.JSX.Element {
  return (
    <>
      {[0, 1, 2].map((i) => (
        <tr key={i} className="skeleton-row" aria-hidden="true">
          <td colSpan={6}>
            <span className="skeleton" />
          </td>
        </tr>
      ))}
    </>
  );
}
