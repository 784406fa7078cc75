import { useStore } from '../../state/store';

/** After this many failed attempts the host is probably not coming back by itself. */
const HINT_AFTER_ATTEMPTS = 5;

/** True while the link to the main-process services is down: nothing shown from main is current. */
export function useLinkDown(): boolean {
  return useStore((s) => s.connection.state === 'disconnected');
}

/**
 * Shown above everything while the link is down. Patient data and the card state are hidden
 * meanwhile (events sent during the gap are lost: a card removed, a session locked), and come back
 * only once they have been read again.
 */
export function ConnectionBanner(): React.JSX.Element | null {
  const connection = useStore((s) => s.connection);
  if (connection.state !== 'disconnected') return null;
  return (
    <div className="connection-banner" role="alert" data-testid="connection-banner">
      <strong>Connexion au service local interrompue — reconnexion…</strong>
      <span>
        {' '}
        Les données du patient et l’état des cartes sont masqués, et les actions indisponibles, jusqu’au
        rétablissement de la connexion.
      </span>
      {connection.attempts >= HINT_AFTER_ATTEMPTS && (
        <span> Si le service du poste a été redémarré, rouvrez l’adresse qu’il a affichée au démarrage.</span>
      )}
    </div>
  );
}
