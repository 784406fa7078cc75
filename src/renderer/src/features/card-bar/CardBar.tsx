import type { ReaderView, SessionState } from '../../../../shared/contract';
import { useStore } from '../../state/store';

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
  authenticated: 'Authentifié',
  locked: 'Session verrouillée',
};

/** Every reader, the card it holds and the session state: always visible. */
export function CardBar(): React.JSX.Element {
  const readers = useStore((s) => s.readers);
  const session = useStore((s) => s.session);
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
      <p className={`session-status session-status--${session?.status ?? 'no_card'}`} role="status">
        {statusLabel[session?.status ?? 'no_card']}
        {session?.pin && session.status !== 'authenticated' && !session.pin.blocked && (
          <> · {session.pin.triesLeft} essai{session.pin.triesLeft > 1 ? 's' : ''} restant{session.pin.triesLeft > 1 ? 's' : ''}</>
        )}
      </p>
    </section>
  );
}

function ReaderCard({ reader }: { reader: ReaderView }): React.JSX.Element {
  if (reader.busy) return <span className="reader__card">Lecture…</span>;
  if (reader.error) return <span className="reader__card reader__card--error">{reader.error}</span>;
  const card = reader.card;
  if (!card) return <span className="reader__card reader__card--none">Vide</span>;
  if (card.kind === 'vitale') {
    const n = card.beneficiaries.length;
    return (
      <span className="reader__card">
        {kindLabel.vitale} · {n} bénéficiaire{n > 1 ? 's' : ''}
        {card.status !== 'production' && <strong className="badge badge--test"> carte de {card.status}</strong>}
      </span>
    );
  }
  if ('holder' in card) {
    return (
      <span className="reader__card">
        {kindLabel[card.kind]} · {card.holder.firstName} {card.holder.lastName} · {card.holder.professionLabel}
        {card.holder.specialtyLabel ? ` (${card.holder.specialtyLabel})` : ''}
      </span>
    );
  }
  return <span className="reader__card reader__card--error">{kindLabel[card.kind]} : {card.reason}</span>;
}
