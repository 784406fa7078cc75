import { connect, constants, type ClientHttp2Session } from 'node:http2';
import { createSecureContext, type TLSSocket } from 'node:tls';
import { randomUUID } from 'node:crypto';
import { ApiError, type HostSessionEnd } from '../../shared/contract';
import type { DmpPort, IdentityPort } from '../dmp/dmp-port';
import { IdentityQueryError } from '../identity/identity-reference';
import {
  hostMethods,
  hostMethodNames,
  type HostArgs,
  type HostMethod,
  type HostMethodName,
  type HostResult,
  type HostSettingsChangeRecord,
} from '../host-api/methods';
import {
  apiPathPrefix,
  EXPORTER_BYTES,
  proofChallenge,
  proofExporterLabel,
  responseEnvelopeSchema,
  type HostResponse,
} from '../host-api/protocol';
import type { Logger } from '../log/logger';
import type { CardSigner } from './card-signer';
import { classifyConnectionError } from './connection-errors';

export type { CardSigner } from './card-signer';

export interface HostConnectionOptions {
  url: string;
  caPem: string;
  certPem: string;
  keyPem: string;
  log: Logger;
  /** Ping (and professional session check) period; 30 s unless a test shortens it. */
  pingEveryMs?: number;
}
export type HostState = 'connected' | 'unreachable' | 'refused';
export interface HostStatus {
  state: HostState;
  /** French, for the card bar. */
  message: string;
  since: string;
}
export interface HostClient {
  dmp: DmpPort;
  identities: IdentityPort;
  status(): HostStatus;
  onStatus(listener: (s: HostStatus) => void): () => void;
  /** After the PIN: proves the professional to the host with the card's key (PKCS#11, src/main/cards/pkcs11). */
  authenticateProfessional(signer: CardSigner): Promise<void>;
  endProfessionalSession(): Promise<void>;
  /**
   * Records this workstation's host settings change in the host's audit chain, under the
   * professional proven with the card (proved first on a new connection); refused without one.
   */
  recordHostSettingsChange(change: HostSettingsChangeRecord): Promise<void>;
  /**
   * The host ended the professional session proven through this client (card revoked, inactivity,
   * session unknown to it), as its structured answer says — learnt at the next call or at the ping
   * cycle's status check. The client has already forgotten the card by then: nothing is sent with
   * that session again until the card is authenticated anew.
   */
  onProfessionalSessionEnded(listener: (end: HostSessionEnd) => void): () => void;
  close(): Promise<void>;
}

/** How long one connection attempt may take before the host counts as unreachable. */
const connectTimeoutMs = 10_000;
/** A call without an answer this long fails (a document of 20 MB on a slow link still fits). */
const callTimeoutMs = 120_000;
/** Pings keep the connection alive through the host's idle limit and notice a host gone silent. */
const pingEveryMs = 30_000;
const maxResponseBytes = 96 * 1024 * 1024;
const retryDelaysMs = [1_000, 2_000, 5_000, 10_000, 30_000];

const messages = {
  connected: (host: string) => `Serveur DMP connecté (${host}).`,
  connecting: 'Connexion au serveur DMP…',
  closed: 'Connexion au serveur DMP fermée.',
  badReply: 'Réponse du serveur DMP non conforme : opération abandonnée.',
  cardNeeded:
    'Le serveur DMP demande la carte du professionnel : présentez votre carte et saisissez votre code.',
} as const;

/** Raised inside the client when the request never got an answer (connection lost, timeout). */
class TransportError extends Error {
  constructor(readonly underlying: unknown) {
    super('transport');
  }
}

/**
 * Connects this workstation to the DMP host. Resolves once the first attempt is over, whatever its
 * outcome: `status()` then says connected, unreachable or refused, and the client keeps trying in
 * the background. There is no fallback: while the host cannot be reached, every call fails with a
 * French `UNAVAILABLE` error and nothing is read from anywhere else. Rejects only on options that can
 * never work (not an https URL, missing certificate or key).
 */
export async function connectToHost(options: HostConnectionOptions): Promise<HostClient> {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new Error(`Adresse du serveur DMP invalide : « ${options.url.slice(0, 200)} ».`);
  }
  if (url.protocol !== 'https:' || url.pathname.replace(/\/+$/, '') !== '' || url.search || url.username) {
    throw new Error('Adresse du serveur DMP invalide : https://hôte:port attendu.');
  }
  try {
    // Loads the PEMs as the connection will (and checks the key is the certificate's) before any attempt.
    createSecureContext({ ca: options.caPem, cert: options.certPem, key: options.keyPem });
  } catch (err) {
    throw new Error(
      `Connexion au serveur DMP impossible : le certificat du poste, sa clé ou l’autorité du déploiement est illisible (${
        err instanceof Error ? err.message.slice(0, 120) : 'PEM'
      }).`,
    );
  }
  const client = new RemoteHost(url, options);
  await client.start();
  return client;
}

class RemoteHost implements HostClient {
  readonly dmp: DmpPort;
  readonly identities: IdentityPort;
  private readonly log: Logger;
  private readonly listeners = new Set<(s: HostStatus) => void>();
  private readonly endListeners = new Set<(end: HostSessionEnd) => void>();
  /** A ping-time status check is under way (one at a time). */
  private checkingSession = false;
  private current: HostStatus;
  private session: ClientHttp2Session | null = null;
  private connecting: Promise<ClientHttp2Session | null> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private retries = 0;
  private closed = false;
  private signer: CardSigner | null = null;
  /** The connection the professional was last proven on; any other one needs a new proof. */
  private provenOn: ClientHttp2Session | null = null;

  constructor(
    private readonly url: URL,
    private readonly options: HostConnectionOptions,
  ) {
    this.log = options.log;
    this.current = { state: 'unreachable', message: messages.connecting, since: new Date().toISOString() };
    this.dmp = this.namespace('dmp') as unknown as DmpPort;
    this.identities = this.namespace('identities') as unknown as IdentityPort;
  }

  /** The port objects, generated from the method table (the compiler checks it against the ports). */
  private namespace(prefix: 'dmp' | 'identities'): Record<string, (...args: unknown[]) => Promise<unknown>> {
    const api: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
    for (const name of hostMethodNames) {
      if (!name.startsWith(`${prefix}.`)) continue;
      api[name.slice(prefix.length + 1)] = (...args: unknown[]) => this.invoke(name, args);
    }
    return api;
  }

  status(): HostStatus {
    return this.current;
  }

  onStatus(listener: (s: HostStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onProfessionalSessionEnded(listener: (end: HostSessionEnd) => void): () => void {
    this.endListeners.add(listener);
    return () => this.endListeners.delete(listener);
  }

  async start(): Promise<void> {
    await this.ensureSession();
  }

  async authenticateProfessional(signer: CardSigner): Promise<void> {
    this.signer = signer;
    this.provenOn = null;
    try {
      await this.prove();
    } catch (err) {
      this.signer = null;
      throw err;
    }
  }

  async endProfessionalSession(): Promise<void> {
    this.signer = null;
    this.provenOn = null;
    // The host also ends it when this connection closes; if it cannot be told now, it has no session to keep.
    if (this.session && !this.session.destroyed) {
      try {
        await this.call('session.end', []);
      } catch (err) {
        this.log.warn('could not tell the host the professional session ended', {
          error: err instanceof Error ? err.message : 'unknown',
        });
      }
    }
  }

  async recordHostSettingsChange(change: HostSettingsChangeRecord): Promise<void> {
    await this.invoke('settings.recordHostChange', [change]);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.signer = null;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const session = this.session;
    this.session = null;
    if (session && !session.destroyed) {
      await new Promise<void>((resolve) => session.close(() => resolve()));
    }
  }

  // ── Calls ──────────────────────────────────────────────────────────────────────────────────

  private async invoke(name: HostMethodName, args: unknown[]): Promise<unknown> {
    const spec: HostMethod = hostMethods[name];
    // Trailing `undefined` (an optional parameter not given) is not sent.
    while (args.length > 0 && args[args.length - 1] === undefined) args = args.slice(0, -1);
    const encoded = spec.args.safeEncode(args);
    if (!encoded.success) {
      this.log.error('host call with arguments outside the table', {
        method: name,
        detail: encoded.error.issues.map((i) => `${i.path.join('.')}:${i.code}`).join(', '),
      });
      throw new ApiError(
        'INVALID_INPUT',
        `Requête invalide (${name}) : refusée avant l’envoi au serveur DMP.`,
      );
    }
    // One id per call: the retry below resends the same one, so the host applies the write once.
    const requestId = spec.write ? randomUUID() : undefined;
    const body = JSON.stringify({ args: encoded.data, ...(requestId ? { requestId } : {}) });
    const response = await this.send(name, body, { needsProfessional: true });
    if (!response.ok) throw this.errorOf(response);
    const decoded = spec.result.safeDecode(response.value);
    if (!decoded.success) {
      this.log.error('host reply outside the table', { method: name });
      throw new ApiError('INTERNAL', messages.badReply);
    }
    return decoded.data;
  }

  /** A connection-level call (hello, challenge, proof, end), typed by the table. */
  private async call<M extends HostMethodName>(name: M, args: HostArgs<M>): Promise<HostResult<M>> {
    const spec: HostMethod = hostMethods[name];
    const body = JSON.stringify({ args: spec.args.encode(args) });
    const response = await this.send(name, body, { needsProfessional: false });
    if (!response.ok) throw this.errorOf(response);
    const decoded = spec.result.safeDecode(response.value);
    if (!decoded.success) throw new ApiError('INTERNAL', messages.badReply);
    return decoded.data as HostResult<M>;
  }

  private errorOf(response: Extract<HostResponse, { ok: false }>): Error {
    const { code, message, reason } = response.error;
    if (reason === 'identity-query') return new IdentityQueryError(message, 'refused by the DMP host');
    return new ApiError(code, message, reason ? `host: ${reason}` : 'host refusal');
  }

  /**
   * Sends one request on the current connection (opening one if needed), proving the professional
   * first when this connection has not seen the card yet. A request that got no answer is sent once
   * more on a new connection, with the same body — hence the same request id.
   */
  private async send(
    name: HostMethodName,
    body: string,
    opts: { needsProfessional: boolean },
  ): Promise<HostResponse> {
    for (let attempt = 0; ; attempt++) {
      const session = await this.ensureSession();
      if (!session) throw new ApiError('UNAVAILABLE', this.current.message);
      try {
        if (opts.needsProfessional && this.signer && this.provenOn !== session) await this.prove();
        const response = await this.request(session, name, body);
        if (!response.ok && response.error.sessionEnded && opts.needsProfessional)
          this.sessionEndedBy(session, {
            cause: response.error.sessionEnded,
            message: response.error.message,
          });
        return response;
      } catch (err) {
        if (!(err instanceof TransportError)) throw err;
        this.lost(session, err.underlying);
        if (attempt >= 1) throw new ApiError('UNAVAILABLE', this.current.message, 'transport');
      }
    }
  }

  private async prove(): Promise<void> {
    const signer = this.signer;
    if (!signer) throw new ApiError('FORBIDDEN', messages.cardNeeded);
    const session = await this.ensureSession();
    if (!session) throw new ApiError('UNAVAILABLE', this.current.message);
    const { nonce } = await this.call('session.challenge', []);
    const exported = (session.socket as TLSSocket).exportKeyingMaterial(
      EXPORTER_BYTES,
      proofExporterLabel,
      Buffer.alloc(0),
    );
    const signature = await signer.sign(proofChallenge(nonce, exported));
    const certificatePem = await signer.certificatePem();
    await this.call('session.prove', [{ nonce, certificatePem, signature }]);
    this.provenOn = session;
  }

  /**
   * The host says the session proven on `session` is over: forget the card (no proof again with it,
   * no retry) and tell the listeners once. Ignored when this client holds no such session (already
   * ended here, or proven on another connection since).
   */
  private sessionEndedBy(session: ClientHttp2Session, end: HostSessionEnd): void {
    if (!this.signer || this.provenOn !== session) return;
    this.signer = null;
    this.provenOn = null;
    this.log.warn('professional session ended by the DMP host', { cause: end.cause });
    for (const listener of this.endListeners) {
      try {
        listener(end);
      } catch (err) {
        this.log.error('professional session end listener failed', {
          error: err instanceof Error ? err.message : 'unknown',
        });
      }
    }
  }

  /**
   * On the ping cycle, while a professional is proven on this connection: one small `session.status`
   * call, so that a session the host ended (card revoked, inactivity) locks the workstation without
   * waiting for a clinician's action. It does not count as activity on the host. A failure is left
   * to the next ping and the next call.
   */
  private checkProfessionalSession(session: ClientHttp2Session): void {
    if (this.checkingSession || !this.signer || this.provenOn !== session) return;
    this.checkingSession = true;
    this.request(session, 'session.status', JSON.stringify({ args: [] }))
      .then((response) => {
        if (!response.ok) return;
        const decoded = hostMethods['session.status'].result.safeParse(response.value);
        if (!decoded.success) {
          this.log.warn('host reply outside the table', { method: 'session.status' });
          return;
        }
        if (decoded.data.state === 'ended')
          this.sessionEndedBy(session, { cause: decoded.data.cause, message: decoded.data.message });
      })
      .catch((err: unknown) =>
        this.log.debug('professional session check failed', {
          error: err instanceof TransportError ? 'transport' : err instanceof Error ? err.message : 'unknown',
        }),
      )
      .finally(() => (this.checkingSession = false));
  }

  private request(session: ClientHttp2Session, name: HostMethodName, body: string): Promise<HostResponse> {
    return new Promise<HostResponse>((resolve, reject) => {
      let stream;
      try {
        stream = session.request({
          ':method': 'POST',
          ':path': `${apiPathPrefix}${name}`,
          'content-type': 'application/json; charset=utf-8',
        });
      } catch (err) {
        return reject(new TransportError(err));
      }
      const chunks: Buffer[] = [];
      let size = 0;
      let answered = false;
      stream.setTimeout(callTimeoutMs, () => {
        stream.close(constants.NGHTTP2_CANCEL);
        reject(new TransportError(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
      });
      stream.on('response', () => (answered = true));
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxResponseBytes) {
          stream.close(constants.NGHTTP2_CANCEL);
          reject(new ApiError('INTERNAL', messages.badReply, 'response too large'));
        } else chunks.push(chunk);
      });
      stream.on('error', (err) => reject(new TransportError(err)));
      stream.on('end', () => {
        if (!answered) return reject(new TransportError(new Error('no response')));
        let parsed: unknown;
        try {
          parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          return reject(new ApiError('INTERNAL', messages.badReply, 'reply not JSON'));
        }
        const envelope = responseEnvelopeSchema.safeParse(parsed);
        if (!envelope.success) return reject(new ApiError('INTERNAL', messages.badReply, 'reply envelope'));
        resolve(envelope.data);
      });
      stream.end(body);
    });
  }

  // ── Connection and status ───────────────────────────────────────────────────────────────────

  private ensureSession(): Promise<ClientHttp2Session | null> {
    if (this.closed) {
      this.setStatus('unreachable', messages.closed);
      return Promise.resolve(null);
    }
    if (this.session && !this.session.destroyed && !this.session.closed) return Promise.resolve(this.session);
    this.connecting ??= this.open().finally(() => (this.connecting = null));
    return this.connecting;
  }

  private async open(): Promise<ClientHttp2Session | null> {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    let session: ClientHttp2Session;
    try {
      session = connect(this.url.origin, {
        ca: this.options.caPem,
        cert: this.options.certPem,
        key: this.options.keyPem,
        minVersion: 'TLSv1.3',
        maxVersion: 'TLSv1.3',
      });
    } catch (err) {
      this.failed(err);
      return null;
    }
    let failure: unknown = null;
    let handshakeDone = false;
    session.on('connect', () => (handshakeDone = true));
    session.on('error', (err) => {
      failure ??= err;
      this.log.warn('DMP host connection error', { code: (err as { code?: string }).code ?? err.message });
    });
    session.on('close', () => this.lost(session, failure));
    session.on('goaway', () => this.lost(session, failure));
    const timer = setTimeout(() => {
      failure ??= Object.assign(new Error('connect timeout'), { code: 'ETIMEDOUT' });
      session.destroy();
    }, connectTimeoutMs);
    try {
      // The handshake is only known to have been accepted once the host answers: with TLS 1.3 a
      // refused client certificate shows up as an alert after `connect`.
      const hello = await this.request(session, 'host.hello', JSON.stringify({ args: [] }));
      if (!hello.ok)
        throw Object.assign(new Error('hello refused'), {
          code: 'ERR_SSL_HOST_REFUSED',
          hostMessage: hello.error.message,
        });
      clearTimeout(timer);
      this.session = session;
      this.retries = 0;
      const ping = setInterval(() => {
        if (session.destroyed || session.closed) return clearInterval(ping);
        session.ping((err) => {
          if (err) this.lost(session, err);
          else this.checkProfessionalSession(session);
        });
      }, this.options.pingEveryMs ?? pingEveryMs);
      ping.unref();
      session.on('close', () => clearInterval(ping));
      session.unref();
      this.setStatus('connected', messages.connected(this.url.host));
      return session;
    } catch (err) {
      clearTimeout(timer);
      let cause = err instanceof TransportError ? (failure ?? err.underlying) : (failure ?? err);
      const code = (cause as { code?: unknown } | null)?.code;
      if (
        handshakeDone &&
        (code === undefined || code === 'ECONNRESET' || code === 'ERR_HTTP2_STREAM_CANCEL')
      ) {
        // The host hung up right after the handshake, before answering anything: that is how it
        // refuses a certificate whose chain it rejects (Node checks it after OpenSSL's handshake).
        cause = { code: 'ERR_HOST_CLOSED_AFTER_HANDSHAKE' };
      }
      session.destroy();
      this.failed(cause);
      return null;
    }
  }

  /** A connection that was up (or being opened) is gone: report it and try again later. */
  private lost(session: ClientHttp2Session, cause: unknown): void {
    if (this.session !== session) return;
    this.session = null;
    if (!session.destroyed) session.destroy();
    this.log.warn('DMP host connection lost', {
      code: (cause as { code?: string } | null)?.code ?? 'closed',
    });
    if (!this.closed) this.failed(cause);
  }

  private failed(cause: unknown): void {
    const { state, message } = classifyConnectionError(cause);
    this.setStatus(state, message);
    if (this.closed || this.retryTimer) return;
    const delay = retryDelaysMs[Math.min(this.retries++, retryDelaysMs.length - 1)]!;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.ensureSession();
    }, delay);
    this.retryTimer.unref();
  }

  private setStatus(state: HostState, message: string): void {
    if (this.current.state === state && this.current.message === message) return;
    this.current = { state, message, since: new Date().toISOString() };
    this.log.info('DMP host status', { state });
    for (const listener of this.listeners) {
      try {
        listener(this.current);
      } catch (err) {
        this.log.error('host status listener failed', {
          error: err instanceof Error ? err.message : 'unknown',
        });
      }
    }
  }
}
