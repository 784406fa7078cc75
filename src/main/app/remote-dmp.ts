import { readFile } from 'node:fs/promises';
import { ApiError, type HostSessionEnd, type HostSettings, type HostStatus } from '../../shared/contract';
import type { DmpPort, IdentityPort } from '../dmp/dmp-port';
import type { Logger } from '../log/logger';
import type { HostSettingsTrail } from '../audit/security-events';
import { resolvePkcs11Module } from '../cards/pkcs11';
import { isCardError } from '../cards/errors';
import type { CardSigner, HostClient, HostClientStatus, HostSeams } from './host-seams';

/** Shown wherever patient data would be: the workstation has nothing else to show instead. */
export const hostUnavailableMessage = 'Serveur DMP injoignable : aucune donnée patient affichée.';

export interface RemoteDmpOptions {
  settings: HostSettings;
  seams: HostSeams;
  log: Logger;
  /** A production workstation never signs with a software token (see resolvePkcs11Module). */
  production: boolean;
  env?: NodeJS.ProcessEnv;
}

/**
 * This workstation's DMP when it is a client of the shared host: the host client's `dmp` and
 * `identities` (which refuse every call with UNAVAILABLE while the host is not answering — never
 * answered from anywhere else), its status in the contract's shape, and the card proof after the PIN.
 */
export interface RemoteDmp {
  dmp: DmpPort;
  identities: IdentityPort;
  status(): HostStatus;
  onStatus(listener: (status: HostStatus) => void): () => void;
  /** After the card accepted the PIN: the card signs the host's challenge (PKCS#11). Throws ApiError in French. */
  authenticateProfessional(card: { serial: string }, pin: Uint8Array): Promise<void>;
  endProfessionalSession(): Promise<void>;
  /** The host ended the professional's session on its side (the card signer is closed first). */
  onProfessionalSessionEnded(listener: (end: HostSessionEnd) => void): () => void;
  /**
   * This workstation's host settings changes, in the host's audit chain: the workstation has no
   * local one. The host names the professional proven with the card, never what is sent.
   */
  settingsTrail: HostSettingsTrail;
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
  let client: HostClient;
  try {
    // Resolves after its first attempt whatever the outcome (status says it); rejects only on
    // settings that can never work — then the start stops, in French.
    client = await seams.connectToHost({
      url: settings.url,
      caPem: pem.caFile,
      certPem: pem.certFile,
      keyPem: pem.keyFile,
      log: log.child('host-client'),
    });
  } catch (err) {
    throw err instanceof ApiError
      ? err
      : new ApiError(
          'UNAVAILABLE',
          err instanceof Error ? err.message : hostUnavailableMessage,
          'connectToHost rejected',
        );
  }
  const toStatus = (status: HostClientStatus): HostStatus => ({
    mode: 'remote',
    url: settings.url,
    ...status,
  });
  let openSigner: CardSigner | null = null;
  const closeSigner = async (): Promise<void> => {
    const signer = openSigner;
    openSigner = null;
    await signer
      ?.close()
      .catch((err: unknown) =>
        log.warn('card signer close failed', { error: err instanceof Error ? err.message : 'unknown' }),
      );
  };
  const offLog = client.onStatus((status) => log.info('host status', { state: status.state }));
  // The client has forgotten the card already; the token session goes too (a new PIN opens another).
  const offEnded = client.onProfessionalSessionEnded((end) => {
    log.warn('professional session ended by the host', { cause: end.cause });
    void closeSigner();
  });

  return {
    dmp: client.dmp,
    identities: client.identities,
    status: () => toStatus(client.status()),
    onStatus: (listener) => client.onStatus((status) => listener(toStatus(status))),
    async authenticateProfessional(card, pin) {
      await closeSigner();
      let signer: CardSigner;
      try {
        // Settings, then POSTE_DMP_PKCS11_MODULE, then the known CryptoLib/OpenSC places (SoftHSM2 on a test workstation).
        const { modulePath } = resolvePkcs11Module(
          {
            ...(settings.pkcs11Module ? { modulePath: settings.pkcs11Module } : {}),
            production: options.production,
          },
          options.env ?? process.env,
        );
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
        await client.authenticateProfessional(signer);
      } catch (err) {
        await signer.close().catch(() => undefined);
        throw refusal(err, 'Le serveur DMP a refusé votre carte : accès impossible.');
      }
      // Kept open while the professional is authenticated: the client proves the card again on
      // a new connection after a network cut, without asking for the PIN.
      openSigner = signer;
      log.info('professional authenticated by the host');
    },
    async endProfessionalSession() {
      try {
        await client.endProfessionalSession();
      } finally {
        await closeSigner();
      }
    },
    onProfessionalSessionEnded: (listener) => client.onProfessionalSessionEnded(listener),
    settingsTrail: {
      whose: 'host',
      async record({ outcome, cause, actor, oldUrl, newUrl }) {
        // Nobody authenticated: the host would refuse the entry (no proven card); the log has it.
        if (!actor) throw new Error('no professional authenticated: not recordable on the host');
        await client.recordHostSettingsChange({ outcome, ...(cause ? { cause } : {}), oldUrl, newUrl });
      },
    },
    async close() {
      offLog();
      offEnded();
      try {
        await client.close();
      } finally {
        await closeSigner();
      }
    },
  };
}

/** French for the user: the seam's own ApiError when it gave one, else the generic sentence. */
function refusal(err: unknown, generic: string): ApiError {
  if (err instanceof ApiError) return err;
  // The card layer's errors are French already (wrong PIN, token absent, no PKCS#11 module).
  if (isCardError(err))
    return new ApiError('CARD_ERROR', err.message, `card error ${err.kind}: ${err.detail ?? ''}`);
  return new ApiError('FORBIDDEN', generic, err instanceof Error ? err.message : 'unknown');
}
