import { useEffect, useMemo, useState } from 'react';
import type { DocumentContent, DocumentMeta } from '../../../../shared/contract';
import { getApi } from '../../api/client';
import { toUiError } from '../../api/errors';
import { Dialog } from '../../components/Dialog';
import { base64ToBytes, looksLikePdf } from '../../lib/base64';
import { downloadBlob } from '../../lib/download';
import { markFirstOccurrence } from '../../lib/mark-text';
import { frenchDate } from '../patient/format';
import { DocumentBadges } from './DocumentBadges';
import { ErrorAlert } from '../../components/ErrorAlert';

type Loaded = { content: DocumentContent; error: null } | { content: null; error: string };

/**
 * One document: warnings first, then the narrative (inert, sandboxed) and the embedded PDF if any.
 * Opened from the list (metadata known) or from the summary (only id and title known until loaded);
 * from a summary line's « Source », `markedEntry` names the line, marked in the narrative.
 */
export function DocumentViewer(props: {
  insKey: string;
  id: string;
  title: string;
  meta?: DocumentMeta;
  markedEntry?: string;
  /** The marked entry's narrative anchor, when the document gives one. */
  markedAnchor?: string;
  onClose(): void;
}): React.JSX.Element {
  const { insKey, id } = props;
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const meta = props.meta ?? loaded?.content?.meta ?? null;

  useEffect(() => {
    let current = true;
    getApi()
      .documents.get({ insKey, id })
      .then((content) => current && setLoaded({ content, error: null }))
      .catch((err: unknown) => current && setLoaded({ content: null, error: toUiError(err).message }));
    return () => {
      current = false;
    };
  }, [insKey, id]);

  return (
    <Dialog title={props.title} onClose={props.onClose}>
      <div className="viewer">
        {meta && (
          <>
            <p className="viewer__meta">
              {meta.typeLabel}
              {meta.author && ` · ${meta.author}`}
              {` · ${frenchDate(meta.date ?? meta.depositedAt)}`}
            </p>
            <DocumentBadges meta={meta} />
          </>
        )}
        {props.markedEntry && (
          <p className="viewer__entry">
            Ouvert depuis la synthèse : « <mark>{props.markedEntry}</mark> »
          </p>
        )}
        {loaded === null && (
          <p role="status" className="viewer__loading">
            Chargement du document…
          </p>
        )}
        <ErrorAlert>{loaded?.error}</ErrorAlert>
        {loaded?.content && (
          <DocumentBody
            content={loaded.content}
            markedEntry={props.markedEntry}
            markedAnchor={props.markedAnchor}
          />
        )}
        <div className="form__actions">
          <button type="button" className="secondary" onClick={props.onClose}>
            Fermer
          </button>
        </div>
      </div>
    </Dialog>
  );
}

function DocumentBody(props: {
  content: DocumentContent;
  markedEntry: string | undefined;
  markedAnchor: string | undefined;
}): React.JSX.Element {
  const { content, markedEntry, markedAnchor } = props;
  const hasBody = Boolean(content.narrativeHtml) || Boolean(content.pdfBase64);
  const narrative = useMemo(
    () =>
      content.narrativeHtml && markedEntry
        ? markFirstOccurrence(content.narrativeHtml, markedEntry, markedAnchor)
        : content.narrativeHtml,
    [content.narrativeHtml, markedEntry, markedAnchor],
  );
  return (
    <>
      {content.warnings.length > 0 && (
        <div className="viewer__warnings" role="alert" aria-label="Avertissements">
          <ul>
            {content.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      )}
      {narrative && (
        // sandbox="" (no allow-scripts, no same-origin): even if the main process let something active
        // through, it could neither run nor reach the app.
        <iframe
          className="viewer__frame"
          title={`Contenu : ${content.meta.title}`}
          sandbox=""
          srcDoc={narrative}
        />
      )}
      {content.pdfBase64 && <PdfPart base64={content.pdfBase64} title={content.meta.title} />}
      {!hasBody && <p className="empty">Ce document n’a pas de contenu affichable.</p>}
    </>
  );
}

function PdfPart({ base64, title }: { base64: string; title: string }): React.JSX.Element {
  const [pdf, setPdf] = useState<{ url: string; blob: Blob } | { error: string } | null>(null);

  useEffect(() => {
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = base64ToBytes(base64);
    } catch (err) {
      setPdf({ error: err instanceof Error ? err.message : String(err) });
      return;
    }
    if (!looksLikePdf(bytes)) {
      setPdf({ error: 'Le PDF joint au document est illisible.' });
      return;
    }
    const blob = new Blob([bytes], { type: 'application/pdf' });
    const url = URL.createObjectURL(blob);
    setPdf({ url, blob });
    return () => URL.revokeObjectURL(url);
  }, [base64]);

  if (pdf === null) return <p className="viewer__loading">Préparation du PDF…</p>;
  if ('error' in pdf) {
    return <ErrorAlert>{pdf.error}</ErrorAlert>;
  }
  return (
    <div className="viewer__pdf">
      <iframe className="viewer__frame" title={`PDF : ${title}`} src={pdf.url} />
      <button type="button" className="secondary" onClick={() => downloadBlob(pdf.blob, `${title}.pdf`)}>
        Enregistrer le PDF
      </button>
    </div>
  );
}
