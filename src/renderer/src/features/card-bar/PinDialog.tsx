import { useId, useRef, useState } from 'react';
import { getApi } from '../../api/client';
import { toUiError } from '../../api/errors';
import type { SessionState } from '../../../../shared/contract';
import { pluralTries } from './tries';
import { ErrorAlert } from '../../components/ErrorAlert';

/**
 * Asks for the CPS code porteur. Digits only, masked, tries left shown before asking; a wrong code
 * is never retried automatically. The field is cleared as soon as the code is sent.
 */
export function PinDialog({ session }: { session: SessionState }): React.JSX.Element {
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const id = useId();
  const professional = session.professional;
  const tries = session.pin?.triesLeft ?? 0;

  if (!professional) return <></>;
  if (session.endedByHost?.cause === 'card-revoked') {
    // The shared DMP host found this card revoked (its reason is in the card bar): no code to ask.
    return (
      <div className="panel panel--alert" role="alert">
        <h2>Carte révoquée</h2>
        <p>
          Cette carte ne peut plus être utilisée : retirez-la du lecteur et utilisez votre nouvelle carte.
        </p>
      </div>
    );
  }
  if (session.status === 'pin_blocked' || session.pin?.blocked) {
    return (
      <div className="panel panel--alert" role="alert">
        <h2>Carte bloquée</h2>
        <p>
          Trois codes erronés ont bloqué cette carte. Débloquez-la avec votre code de déblocage à 8 chiffres
          (procédure de l’Agence du Numérique en Santé), puis réinsérez-la.
        </p>
        <p>
          Sans code de déblocage, contactez le service client e-CPS / CPS de l’Agence du Numérique en Santé.
        </p>
      </div>
    );
  }

  const submit = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault();
    const code = pin;
    setPin('');
    setBusy(true);
    setError(null);
    try {
      const result = await getApi().session.verifyPin({ reader: professional.reader, pin: code });
      if (!result.success) {
        setError(
          result.pin.blocked
            ? 'Code erroné : la carte est maintenant bloquée.'
            : `Code erroné. ${pluralTries(result.pin.triesLeft)}.`,
        );
        inputRef.current?.focus();
      }
    } catch (err) {
      setError(toUiError(err).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="panel pin-dialog" onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Code porteur</h2>
      {session.status === 'locked' && (
        <p role="status">Session verrouillée : saisissez votre code pour la reprendre.</p>
      )}
      <p>
        {professional.holder.firstName} {professional.holder.lastName} — {professional.holder.professionLabel}
      </p>
      <p className={tries <= 1 ? 'warning' : undefined}>
        {pluralTries(tries)}
        {tries === 1 && ' : un code erroné bloquera la carte.'}
      </p>
      <label htmlFor={`${id}-pin`}>Code à 4 chiffres</label>
      <input
        id={`${id}-pin`}
        ref={inputRef}
        type="password"
        inputMode="numeric"
        autoComplete="off"
        autoFocus
        maxLength={8}
        value={pin}
        onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      <ErrorAlert id={`${id}-error`}>{error}</ErrorAlert>
      <button type="submit" disabled={busy || pin.length < 4}>
        Valider
      </button>
    </form>
  );
}
