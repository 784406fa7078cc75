import { useStore } from '../../state/store';
import { hostBlockedMessage, hostModeLabel } from './host-wording';

/** Card bar: which DMP this workstation uses, and a clear alert when the shared host is not answering. */
export function HostIndicator(): React.JSX.Element | null {
  const status = useStore((s) => s.hostStatus);
  if (!status) return null;
  if (status.mode === 'embedded' || status.state === 'connected') {
    return (
      <p className="host-status" data-testid="host-status">
        {hostModeLabel(status)}
        {status.mode === 'remote' && ' · connecté'}
      </p>
    );
  }
  return (
    <div className="host-status host-status--down" role="alert" data-testid="host-status">
      <strong>{hostBlockedMessage[status.state]}</strong>
      <span className="host-status__detail">
        {' '}
        · {hostModeLabel(status)}
        {status.message &&
          status.message !== `${hostBlockedMessage[status.state]}.` &&
          ` — ${status.message}`}
      </span>
    </div>
  );
}

/** Where patient data would be, while the shared host is not answering. */
export function HostUnavailableNotice(): React.JSX.Element | null {
  const status = useStore((s) => s.hostStatus);
  if (status?.mode !== 'remote' || status.state === 'connected') return null;
  return (
    <p className="error host-notice" role="alert" data-testid="host-notice">
      {hostBlockedMessage[status.state]}.
    </p>
  );
}
