import { readFile } from 'node:fs/promises';
import { ApiError, type HostSettings, type HostStatus } from '../../shared/contract';
import type { DmpPort, IdentityPort } from '../dmp/dmp-port';
import type { Logger } from '../log/logger';
import type { HostClient, HostClientStatus, HostSeams } from './host-seams';

/** Shown wherever patient data would be: the workstation has nothing else to show instead. */
export const hostUnavailableMessage = 'Serveur DMP injoignable : aucune donnée patient affichée.';

export interface RemoteDmpOptions {
  settings: HostSettings;
  seams: HostSeams;
  log: Logger;
  /** Delay before trying again to reach a host that did not answer at start (doubles up to 60 s). */
  retryMs?: number;
  now?: () => Date;
}

/**
 * This workstation's DMP when it is a client of the shared host: the host client's `dmp` and
 * `identities`, kept behind stable objects so the session and handlers are built once even when the
 * host was unreachable at start (it is tried again in the background). While there is no client,
 * every DMP call is refused with UNAVAILABLE — never answered from anywhere else.
 */
export interface RemoteDmp {
  dmp: DmpPort;
  identities: IdentityPort;
  status(): HostStatus;
  onStatus(listener: (status: HostStatus) => void): () => void;
  /** After the card accepted the PIN: the card signs the host's challenge (PKCS#11). Throws ApiError in French. */
  authenticateProfessional(card: { serial: string }, pin: Uint8Array): Promise<void>;
  endProfessionalSession(): Promise<void>;
  close(): Promise<void>;
}

const pemLabels = {
  caFile: 'certificat de l’autorité (CA) du déploiement',
  certFile: 'certificat du poste',
  keyFile: 'clé privée du poste',
} as const;

/**
 * Reads the workstation's TLS material (a missing file is a configuration error that stops the
 * start, in French), then connects. Never opens anything in the data folder.
 */
export async function connectRemoteDmp(options: RemoteDmpOptions): Promise<RemoteDmp> {
  const { settings, seams, log } = options;
  const pem: Record<keyof typeof pemLabels, string> = { caFile: '', certFile: '', keyFile: '' };
  for (const field of Object.keys(pemLabels) as (keyof typeof pemLabels)[]) {
    try {
      pem[field] = await readFile(settings[field], 'utf8');
    } catch (err) {
      throw new ApiError(
        'UNAVAILABLE',
        `Serveur DMP partagé : ${pemLabels[field]} illisible (${settings[field]}). Corrigez les réglages du serveur DMP.`,
        `cannot read ${field}: ${err instanceof Error ? err.message : 'unknown'}`,
      );
    }
  }
  const now = (): string => (options.now?.() ?? new Date()).toISOString();
  const listeners = new Set<(status: HostStatus) => void>();
  let client: HostClient | null = null;
  let offClientStatus: (() => void) | null = null;
  let closed = false;
  let retryTimer: NodeJS.Timeout | null = null;
  let retryMs = options.retryMs ?? 5_000;
  let current: HostStatus = {
    mode: 'remote',
    url: settings.url,
    state: 'unreachable',
    message: 'Connexion au serveur DMP en cours…',
    since: now(),
  };
  const publish = (status: HostClientStatus): void => {
    const next: HostStatus = { mode: 'remote', url: settings.url, ...status };
    const changed =
      current.mode !== 'remote' || current.state !== next.state || current.message !== next.message;
    current = next;
    if (changed) {
      log.info('host status', { state: status.state });
      for (const listener of listeners) listener(structuredClone(current));
    }
  };

  const attempt = async (): Promise<void> => {
    try {
      const connected = await seams.connectToHost({
        url: settings.url,
        caPem: pem.caFile,
        certPem: pem.certFile,
        keyPem: pem.keyFile,
        log: log.child('host-client'),
      });
      if (closed) {
        await connected.close();
        return;
      }
      client = connected;
      offClientStatus = connected.onStatus(publish);
      publish(connected.status());
    } catch (err) {
      log.warn('host not reached', { error: err instanceof Error ? err.message : 'unknown' });
      publish({
        state: 'unreachable',
        message: err instanceof ApiError ? err.message : hostUnavailableMessage,
        since: now(),
      });
      if (closed) return;
      retryTimer = setTimeout(() => void attempt(), retryMs);
      retryTimer.unref();
      retryMs = Math.min(retryMs * 2, 60_000);
    }
  };
  await attempt();

  const connectedClient = (): HostClient => {
    if (!client) throw new ApiError('UNAVAILABLE', hostUnavailableMessage, 'no host client yet');
    return client;
  };

  return {
    dmp: forwarding<DmpPort>(() => connectedClient().dmp),
    identities: forwarding<IdentityPort>(() => connectedClient().identities),
    status: () => structuredClone(current),
    onStatus(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async authenticateProfessional(card, pin) {
      const host = connectedClient();
      const modulePath = settings.pkcs11Module;
      if (!modulePath)
        throw new ApiError(
          'UNAVAILABLE',
          'Module PKCS#11 de la carte non configuré : le serveur DMP partagé ne peut pas vérifier votre carte. Renseignez-le dans « Paramètres ».',
        );
      let signer;
      try {
        signer = await seams.openCardSigner({
          modulePath,
          token: card.serial,
          // PKCS#11 C_Login takes the PIN as bytes; this string lives only for the call.
          pin: new TextDecoder().decode(pin),
          log: log.child('pkcs11'),
        });
      } catch (err) {
        throw refusal(
          err,
          'Votre carte n’a pas pu être utilisée pour vous authentifier auprès du serveur DMP.',
        );
      }
      try {
        await host.authenticateProfessional(signer);
        log.info('professional authenticated by the host');
      } catch (err) {
        throw refusal(err, 'Le serveur DMP a refusé votre carte : accès impossible.');
      } finally {
        await signer.close().catch(() => undefined);
      }
    },
    async endProfessionalSession() {
      if (!client) return;
      await client.endProfessionalSession();
    },
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      offClientStatus?.();
      listeners.clear();
      await client?.close();
    },
  };
}

/** French for the user: the seam's own ApiError when it gave one, else the generic sentence. */
function refusal(err: unknown, generic: string): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError('FORBIDDEN', generic, err instanceof Error ? err.message : 'unknown');
}

/**
 * An object whose every method calls the same method on `target()` at call time: the port keeps
 * one identity while the client behind it changes. A missing client rejects like the call would;
 * a failure that is not the host's own refusal (ApiError) becomes UNAVAILABLE.
 */
function forwarding<T extends object>(target: () => T): T {
  return new Proxy({} as T, {
    get(_unused, property) {
      if (typeof property !== 'string' || property === 'then') return undefined;
      return (...args: unknown[]): unknown => {
        let object: T;
        try {
          object = target();
        } catch (err) {
          return Promise.reject(err);
        }
        const method = (object as Record<string, unknown>)[property];
        if (typeof method !== 'function')
          return Promise.reject(new Error(`host client has no method ${property}`));
        return Promise.resolve((method as (...a: unknown[]) => unknown).apply(object, args)).catch(
          (err: unknown) => {
            // A refusal from the host keeps its French message; anything else is the link failing.
            if (err instanceof ApiError) throw err;
            throw new ApiError(
              'UNAVAILABLE',
              hostUnavailableMessage,
              `${property}: ${err instanceof Error ? err.message : 'unknown'}`,
            );
          },
        );
      };
    },
  });
}
