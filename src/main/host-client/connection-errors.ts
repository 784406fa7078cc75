import type { HostState } from './index';

/**
 * What a failed connection means for the card bar: `refused` when TLS said no (this workstation's
 * certificate not accepted by the host, or the host's certificate not from the deployment CA) —
 * retrying will not help until someone fixes a certificate; `unreachable` for everything on the way
 * (no route, refused port, timeout, connection cut).
 */
export function classifyConnectionError(err: unknown): {
  state: Exclude<HostState, 'connected'>;
  message: string;
} {
  const code = (err as { code?: unknown } | null)?.code;
  const text = typeof code === 'string' ? code : '';
  if (
    text === 'ERR_HOST_CLOSED_AFTER_HANDSHAKE' ||
    /^ERR_SSL_.*ALERT_(CERTIFICATE_REQUIRED|UNKNOWN_CA|BAD_CERTIFICATE|CERTIFICATE_EXPIRED|CERTIFICATE_REVOKED|CERTIFICATE_UNKNOWN|UNSUPPORTED_CERTIFICATE|ACCESS_DENIED|DECRYPT_ERROR)/.test(
      text,
    )
  ) {
    return {
      state: 'refused',
      message:
        'Serveur DMP : connexion refusée — le certificat de ce poste n’est pas accepté par le serveur.',
    };
  }
  if (
    /^(UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|CERT_HAS_EXPIRED|CERT_NOT_YET_VALID|CERT_UNTRUSTED|CERT_REJECTED|ERR_TLS_CERT_ALTNAME_INVALID|CERT_SIGNATURE_FAILURE)$/.test(
      text,
    )
  ) {
    return {
      state: 'refused',
      message:
        'Serveur DMP non reconnu : son certificat n’est pas valide pour ce déploiement — connexion refusée par ce poste.',
    };
  }
  if (text === 'ERR_SSL_HOST_REFUSED') {
    // The host accepted the handshake, then refused the workstation and said why (certificate revoked,
    // revocation unknown, not a workstation's certificate): its French words, not a generic guess.
    const hostMessage = (err as { hostMessage?: unknown }).hostMessage;
    if (typeof hostMessage === 'string' && hostMessage.trim() !== '')
      return {
        state: 'refused',
        message: `Serveur DMP : connexion refusée — ${hostMessage.trim().slice(0, 300)}`,
      };
  }
  if (/^ERR_SSL_/.test(text)) {
    return {
      state: 'refused',
      message: 'Serveur DMP : connexion sécurisée refusée (TLS 1.3 et certificat exigés).',
    };
  }
  return { state: 'unreachable', message: 'Serveur DMP injoignable — aucune donnée affichée.' };
}
