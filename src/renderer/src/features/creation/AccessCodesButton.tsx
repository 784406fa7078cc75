import { useState } from 'react';
import type { AccessCodes } from '../../state/store';
import { base64ToBytes, looksLikePdf } from '../../lib/base64';
import { downloadBlob } from '../../lib/download';
import { ErrorAlert } from '../../components/ErrorAlert';

/** Saves the access-code PDF the main process produced, under the name it chose, for printing. */
export function AccessCodesButton({ accessCodes }: { accessCodes: AccessCodes }): React.JSX.Element {
  const [error, setError] = useState<string | null>(null);
  const print = (): void => {
    setError(null);
    try {
      const bytes = base64ToBytes(accessCodes.pdfBase64);
      if (!looksLikePdf(bytes)) throw new Error('Le document des codes d’accès reçu n’est pas un PDF.');
      downloadBlob(new Blob([bytes], { type: 'application/pdf' }), accessCodes.fileName);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <div>
      <button type="button" onClick={print}>
        Imprimer les codes d’accès
      </button>
      <ErrorAlert>{error}</ErrorAlert>
    </div>
  );
}
