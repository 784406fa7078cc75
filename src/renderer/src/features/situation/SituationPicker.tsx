import { useState } from 'react';
import { getApi } from '../../api/client';
import { toUiError } from '../../api/errors';
import type { SessionState } from '../../../../shared/contract';
import { ErrorAlert } from '../../components/ErrorAlert';

/**
 * After the PIN, a card with several practice situations (lieu et mode d'exercice) asks which one
 * applies to this session: access rules — Centre 15 in particular — depend on it.
 */
export function SituationPicker({ session }: { session: SessionState }): React.JSX.Element {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const situations = session.professional?.holder.situations ?? [];

  const choose = (index: number): void => {
    setBusy(true);
    setError(null);
    getApi()
      .session.selectSituation({ index })
      .catch((err: unknown) => setError(toUiError(err).message))
      .finally(() => setBusy(false));
  };

  return (
    <section className="panel" aria-labelledby="situation-title">
      <h2 id="situation-title">Situation d’exercice</h2>
      <p>
        Votre carte porte plusieurs situations d’exercice. Choisissez celle dans laquelle vous travaillez
        maintenant.
      </p>
      <ul className="situations">
        {situations.map((situation, index) => (
          <li key={`${index}-${situation.label}`}>
            <button type="button" disabled={busy} onClick={() => choose(index)}>
              {situation.label}
            </button>
          </li>
        ))}
      </ul>
      <ErrorAlert>{error}</ErrorAlert>
    </section>
  );
}
