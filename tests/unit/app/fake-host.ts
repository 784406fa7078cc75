import { ApiError, type HostSessionEnd } from '../../../src/shared/contract';
import type { DmpPort, IdentityPort } from '../../../src/main/dmp/dmp-port';
import type { OpenCardSignerOptions as CardSignerOptions } from '../../../src/main/cards/pkcs11';
import type {
  CardSigner,
  HostClient,
  HostClientStatus,
  HostConnectionOptions,
  HostSeams,
} from '../../../src/main/app/host-seams';

/**
 * A test double of the shared host's client and the card signer, for unit tests only: it records what the
 * workstation asks and answers from `answers`. The real host is exercised by the integration tests.
 */
export class FakeHost implements HostSeams {
  connections: HostConnectionOptions[] = [];
  dmpCalls: { method: string; args: unknown[] }[] = [];
  signers: Omit<CardSignerOptions, 'log'>[] = [];
  authenticated: string[] = [];
  ended = 0;
  closedSigners = 0;
  /** Set to reject connectToHost (settings that can never work), or to refuse the professional (card not from the CA). */
  connectError: Error | null = null;
  authenticateError: Error | null = null;
  signerError: Error | null = null;
  /** Set to make the host fail to record a host settings change in its audit chain. */
  recordError: Error | null = null;
  answers: Record<string, unknown> = {
    searchDossiers: [],
    searchDossiersAs: [],
    lookupByCard: { kind: 'none' },
  };
  private statusListeners = new Set<(s: HostClientStatus) => void>();
  private endListeners = new Set<(end: HostSessionEnd) => void>();
  current: HostClientStatus = { state: 'connected', message: 'Connecté', since: '2026-12-02T07:00:00.000Z' };
  client: HostClient | null = null;

  async connectToHost(options: HostConnectionOptions): Promise<HostClient> {
    this.connections.push(options);
    if (this.connectError) throw this.connectError;
    const recorder = <T extends object>(): T =>
      new Proxy({} as T, {
        get: (_t, method) =>
          typeof method !== 'string' || method === 'then'
            ? undefined
            : async (...args: unknown[]) => {
                this.dmpCalls.push({ method, args });
                this.refuseWhileDown();
                const answer = this.answers[method];
                if (answer instanceof Error) throw answer;
                return answer;
              },
      });
    this.client = {
      dmp: recorder<DmpPort>(),
      identities: recorder<IdentityPort>(),
      status: () => this.current,
      onStatus: (listener) => {
        this.statusListeners.add(listener);
        return () => this.statusListeners.delete(listener);
      },
      authenticateProfessional: async (signer: CardSigner) => {
        this.refuseWhileDown();
        if (this.authenticateError) throw this.authenticateError;
        this.authenticated.push(await signer.certificatePem());
      },
      endProfessionalSession: async () => {
        this.ended++;
      },
      recordHostSettingsChange: async (change) => {
        this.dmpCalls.push({ method: 'recordHostSettingsChange', args: [change] });
        this.refuseWhileDown();
        if (this.recordError) throw this.recordError;
      },
      onProfessionalSessionEnded: (listener) => {
        this.endListeners.add(listener);
        return () => this.endListeners.delete(listener);
      },
      close: async () => undefined,
    };
    return this.client;
  }

  async openCardSigner(options: CardSignerOptions): Promise<CardSigner> {
    const { log: _log, ...recorded } = options;
    this.signers.push(recorded);
    if (this.signerError) throw this.signerError;
    return {
      certificatePem: async () => `CERT ${options.token}`,
      sign: async (data) => data,
      close: async () => {
        this.closedSigners++;
      },
    };
  }

  /** Like the real client: while the host does not answer, every call fails with a French UNAVAILABLE. */
  private refuseWhileDown(): void {
    if (this.current.state !== 'connected') throw new ApiError('UNAVAILABLE', this.current.message);
  }

  /** As the real client does when the host answers that the professional session is over. */
  endSessionOnHost(end: HostSessionEnd): void {
    for (const listener of this.endListeners) listener(end);
  }

  setStatus(status: HostClientStatus): void {
    this.current = status;
    for (const listener of this.statusListeners) listener(status);
  }
}
