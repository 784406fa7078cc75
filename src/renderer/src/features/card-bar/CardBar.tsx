import { useState } from 'react';
import type { CpxCardInfo, ReaderDisplay, SessionState } from '../../../../shared/contract';
import { getApi } from '../../api/client';
import { toUiError } from '../../api/errors';
import { useStore } from '../../state/store';
import { pluralTries } from './tries';
import { HostIndicator } from '../host/HostIndicator';
import { useLinkDown } from '../connection/ConnectionBanner';
import { ErrorAlert } from '../../components/ErrorAlert';

const kindLabel: Record<string, string> = {
  vitale: 'Carte Vitale',
  cps: 'CPS',
  cpe: 'CPE',
  cpf: 'CPF',
  unsupported: 'Carte non prise en charge',
  unknown: 'Carte inconnue',
};

const statusLabel: Record<SessionState['status'], string> = {
  no_card: 'Aucune carte professionnelle',
  pin_required: 'Code porteur requis',
  pin_blocked: 'Carte bloquée',
  situation_required: 'Situation d’exercice à choisir',
  authenticated: 'Authentifié',
  locked: 'Session verrouillée',
};

/** Every reader, the card it holds and the session state: always visible. */
export function CardBar(): React.JSX.Element {
  const readers = useStore((s) => s.readers);
  const status = useStore((s) => s.session?.status ?? 'no_card');
  const pin = useStore((s) => s.session?.pin ?? null);
  const endedByHost = useStore((s) => s.session?.endedByHost ?? null);
  const [error, setError] = useState<string | null>(null);
  const linkDown = useLinkDown();

  const lock = (): void => {
    setError(null);
    getApi()
      .session.lock({})
      .catch((err: unknown) => setError(toUiError(err).message));
  };

  if (linkDown) {
    // Cards may have been inserted or removed during the gap: show no card rather than a stale one.
    return (
      <section className="card-bar" aria-label="Lecteurs de cartes">
        <ul className="readers">
          <li className="reader reader--empty">État des lecteurs inconnu (connexion interrompue)</li>
        </ul>
        <p className="session-status" role="status">
          État de la session inconnu
        </p>
      </section>
    );
  }

  return (
    <section className="card-bar" aria-label="Lecteurs de cartes">
      <ul className="readers">
        {readers.length === 0 && <li className="reader reader--empty">Aucun lecteur détecté</li>}
        {readers.map((reader) => (
          <li key={reader.name} className="reader" data-testid={`reader-${reader.name}`}>
            <span className="reader__name">{reader.name}</span>
            <ReaderCard reader={reader} />
          </li>
        ))}
      </ul>
      <p className={`session-status session-status--${status}`} role="status">
        {statusLabel[status]}
        {pin && status !== 'authenticated' && !pin.blocked && <> · {pluralTries(pin.triesLeft)}</>}
      </p>
      {endedByHost && (
        <p className="session-ended" role="alert" data-testid="session-ended-by-host">
          {endedByHost.message}
        </p>
      )}
      <HostIndicator />
      {status === 'authenticated' && (
        <button type="button" className="link" onClick={lock}>
          Verrouiller
        </button>
      )}
      <ErrorAlert>{error}</ErrorAlert>
    </section>
  );
}

function ReaderCard({ reader }: { reader: ReaderDisplay }): React.JSX.Element {
  if (reader.busy) return <span className="reader__card">Lecture…</span>;
  if (reader.error) return <span className="reader__card reader__card--error">{reader.error}</span>;
  const card = reader.card;
  if (!card) return <span className="reader__card reader__card--none">Vide</span>;
  if (card.kind === 'vitale-hidden') {
    return (
      <span className="reader__card">
        {kindLabel.vitale} présente · identité affichée après votre code
        <CardStatusBadge status={card.status} />
      </span>
    );
  }
  if (card.kind === 'vitale') {
    const n = card.beneficiaries.length;
    return (
      <span className="reader__card">
        {kindLabel.vitale} · {n} bénéficiaire{n > 1 ? 's' : ''}
        <CardStatusBadge status={card.status} />
      </span>
    );
  }
  if (!('holder' in card)) {
    return (
      <span className="reader__card reader__card--error">
        {kindLabel[card.kind]} : {card.reason}
      </span>
    );
  }
  return <CpxCard card={card} />;
}

function CpxCard({ card }: { card: CpxCardInfo }): React.JSX.Element {
  const holder = card.holder;
  return (
    <span className="reader__card">
      {kindLabel[card.kind]} · {holder.firstName} {holder.lastName} · {holder.professionLabel}
      {holder.specialtyLabel ? ` (${holder.specialtyLabel})` : ''}
      {' · '}
      <span
        className={
          card.pin.blocked || card.pin.triesLeft <= 1 ? 'reader__pin reader__pin--alert' : 'reader__pin'
        }
      >
        {card.pin.blocked
          ? 'code bloqué'
          : `code : ${pluralTries(card.pin.triesLeft)} sur ${card.pin.triesMax}`}
      </span>
      <CardStatusBadge status={card.status} />
    </span>
  );
}

function CardStatusBadge({ status }: { status: CpxCardInfo['status'] }): React.JSX.Element | null {
  if (status === 'production') return null;
  return (
    <strong className="badge badge--test"> carte de {status === 'test' ? 'test' : 'démonstration'}</strong>
  );
}
