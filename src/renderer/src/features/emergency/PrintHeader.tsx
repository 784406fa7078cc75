import { useEffect, useState } from 'react';
import { flushSync } from 'react-dom';
import type { AccessMode, DossierRef } from '../../../../shared/contract';
import { formatMatricule, rnivStatusLabels } from '../../../../shared/identity/ins';
import {
  accessModeLabel,
  bornLabel,
  displayName,
  frenchDate,
  frenchDateAtTime,
  sexLabel,
} from '../patient/format';

/**
 * Printed at the top of every page (inside the summary's <thead>, which Chromium repeats on each
 * printed page): whose summary, which INS, as of when, and who printed it when. Hidden on screen,
 * where the patient banner says the same.
 */
export function PrintHeader(props: {
  dossier: DossierRef;
  asOf: string;
  lastUpdate: string | undefined;
  printedBy: string | undefined;
  access: AccessMode | undefined;
}): React.JSX.Element {
  const { dossier } = props;
  const printedAt = usePrintTime();
  const id = dossier.identity;
  return (
    <div className="print-header" data-testid="print-header">
      <p className="print-header__title">
        <strong>Synthèse d’urgence — {displayName(dossier)}</strong>
        {id.usedName && id.usedName !== id.birthName && ` (nom utilisé : ${id.usedName})`}
      </p>
      <p>
        {bornLabel(id.sex)} le {frenchDate(id.birthDate)} · {sexLabel[id.sex]} · INS{' '}
        {formatMatricule(dossier.ins.matricule)} · {rnivStatusLabels[dossier.ins.status]}
        {props.access && props.access !== 'normal' && ` · ${accessModeLabel[props.access]}`}
      </p>
      <p>
        Synthèse au {frenchDateAtTime(props.asOf)}
        {props.lastUpdate && ` · dernière mise à jour du dossier le ${frenchDateAtTime(props.lastUpdate)}`}
      </p>
      <p>
        Imprimé par {props.printedBy ?? 'un professionnel non identifié'} le {frenchDateAtTime(printedAt)}
      </p>
    </div>
  );
}

/** The time of printing: refreshed, synchronously, when the browser announces a print (button or Ctrl+P). */
function usePrintTime(): string {
  const [printedAt, setPrintedAt] = useState(() => new Date().toISOString());
  useEffect(() => {
    const refresh = (): void => flushSync(() => setPrintedAt(new Date().toISOString()));
    window.addEventListener('beforeprint', refresh);
    return () => window.removeEventListener('beforeprint', refresh);
  }, []);
  return printedAt;
}
