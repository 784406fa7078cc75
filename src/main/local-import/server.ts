import { chmodSync, renameSync, statSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { jsonDepthExceeds } from '../bridge/frame-limits';
import type { Logger } from '../log/logger';
import { unlinkIfExists } from '../store/durable-fs';
import { handedOffImportActor, importOne, type ImportTarget } from './import-step';
import {
  encodeFrame,
  FrameReader,
  isLocalImportRequest,
  localImportVersion,
  maxRequestDepth,
  maxRequestFrameBytes,
  parseFrameJson,
  type LocalImportAnswer,
  type LocalImportRequest,
} from './protocol';

/** Linux's `sun_path` holds 108 bytes with the final NUL. */
const maxSocketPathBytes = 107;
/** Hand-offs are one CLI at a time in practice; each may buffer a 40 MB frame. */
const maxConnections = 4;
/** A connection that sends nothing for this long (and has nothing in progress) is dropped. */
const idleMs = 120_000;

export type LocalImportTarget =
  /** The embedded store: files are imported into it. */
  | { kind: 'embedded'; dmp: ImportTarget }
  /** A workstation on the shared DMP host has no local store: every request is refused in French. */
  | { kind: 'remote' };

export interface LocalImportServer {
  readonly path: string;
  /** Stops accepting, lets the imports in progress finish, removes the socket file. */
  close(): Promise<void>;
}

const noLocalStore =
  'Ce poste utilise le serveur DMP partagé : il n’a pas de base locale où importer. ' +
  'Déposez les documents sur le serveur DMP.';

/**
 * Listens on the data folder's import socket for `cli import` (see README.md beside this file). The
 * caller holds the data-folder lock, so a socket file already there was left by a process that was
 * killed: it is replaced. Returns null (logged) when the socket cannot be offered; the instance runs
 * without it and the CLI then reports the folder as in use, as before the hand-off existed.
 */
export async function startLocalImportServer(options: {
  socketPath: string;
  target: LocalImportTarget;
  log: Logger;
}): Promise<LocalImportServer | null> {
  const { socketPath, target, log } = options;
  // Bound under a private name, restricted, then renamed into place: the socket is never reachable
  // with the process umask's permissions, even for an instant.
  const bindPath = `${socketPath}.tmp`;
  if (Buffer.byteLength(bindPath) > maxSocketPathBytes) {
    log.warn('local import socket not offered: data folder path too long for a Unix socket', {
      bytes: Buffer.byteLength(bindPath),
    });
    return null;
  }
  const connections = new Set<Socket>();
  const inProgress = new Set<Promise<void>>();
  let closing = false;
  const server = createServer((socket) => {
    if (closing || connections.size >= maxConnections) {
      refuse(socket, closing ? 'CLOSING' : 'BUSY');
      return;
    }
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    serveConnection(socket, target, log, inProgress, () => closing);
  });
  server.on('error', (err) => log.warn('local import socket error', { error: err.message }));
  try {
    unlinkIfExists(socketPath);
    unlinkIfExists(bindPath);
    await listen(server, bindPath);
    chmodSync(bindPath, 0o600);
    renameSync(bindPath, socketPath);
  } catch (err) {
    server.close();
    unlinkIfExists(bindPath);
    log.warn('local import socket not offered', { error: err instanceof Error ? err.message : 'unknown' });
    return null;
  }
  const inode = statSync(socketPath).ino;
  log.info('local import socket listening', { mode: target.kind });
  return {
    path: socketPath,
    async close() {
      if (closing) return;
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Removed only if it is still ours.
      try {
        if (statSync(socketPath).ino === inode) unlinkIfExists(socketPath);
      } catch {
        // Already gone.
      }
      await Promise.allSettled([...inProgress]);
      for (const socket of connections) socket.destroy();
      await closed;
    },
  };
}

function listen(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ path, readableAll: false, writableAll: false }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

const refusals: Record<
  Exclude<Extract<LocalImportAnswer, { type: 'refused' }>['code'], 'NO_LOCAL_STORE'>,
  string
> = {
  VERSION: 'Version du protocole d’import local non prise en charge : utilisez la même version de Poste DMP.',
  BAD_FRAME: 'Requête d’import local invalide.',
  TOO_LARGE: 'Requête d’import local trop volumineuse.',
  BUSY: 'Trop d’imports en cours sur cette instance : réessayez dans un instant.',
  CLOSING: 'L’instance se ferme : réessayez dans un instant.',
};

function refuse(socket: Socket, code: keyof typeof refusals): void {
  answerAndClose(socket, { v: localImportVersion, type: 'refused', code, message: refusals[code] });
}

function answerAndClose(socket: Socket, answer: LocalImportAnswer): void {
  socket.on('error', () => undefined);
  socket.removeAllListeners('data');
  socket.end(encodeFrame(answer));
  // Whatever the peer still sends is not read; the connection goes once the answer is out.
  socket.on('finish', () => socket.destroy());
}

function serveConnection(
  socket: Socket,
  target: LocalImportTarget,
  log: Logger,
  inProgress: Set<Promise<void>>,
  isClosing: () => boolean,
): void {
  const reader = new FrameReader(maxRequestFrameBytes);
  const queue: Buffer[] = [];
  let busy = false;
  let ended = false;
  socket.on('error', (err) => log.debug('local import connection error', { error: err.message }));
  socket.setTimeout(idleMs, () => {
    if (!busy) socket.destroy();
  });

  const badFrame = (code: 'BAD_FRAME' | 'TOO_LARGE' | 'VERSION', reason: string): void => {
    ended = true;
    queue.length = 0;
    log.warn('local import socket: request refused', { reason });
    refuse(socket, code);
  };

  const next = (): void => {
    if (busy || ended) return;
    const frame = queue.shift();
    if (!frame) {
      socket.resume();
      return;
    }
    busy = true;
    log.debug('local import request', { bytes: frame.length });
    const request = decode(frame);
    if ('refusal' in request) {
      busy = false;
      badFrame(request.refusal, request.reason);
      return;
    }
    const work = answer(request.ok, target, isClosing, log)
      .then((reply) => {
        if (ended || socket.destroyed) return;
        if (reply.type === 'refused') {
          ended = true;
          answerAndClose(socket, reply);
        } else socket.write(encodeFrame(reply));
      })
      .catch((err: unknown) => {
        // importOne answers every failure as an outcome; reaching here is a bug: close, keep running.
        log.error('local import request failed', { error: err instanceof Error ? err.message : 'unknown' });
        socket.destroy();
      })
      .finally(() => {
        inProgress.delete(work);
        busy = false;
        next();
      });
    inProgress.add(work);
  };

  socket.on('data', (chunk: Buffer) => {
    const frames = reader.push(chunk);
    if (frames === 'too-large') {
      badFrame('TOO_LARGE', 'frame over the size cap');
      return;
    }
    queue.push(...frames);
    // One request at a time per connection; the peer waits for each answer anyway.
    if (queue.length > 0) socket.pause();
    next();
  });
}

function decode(
  frame: Buffer,
): { ok: LocalImportRequest } | { refusal: 'BAD_FRAME' | 'VERSION'; reason: string } {
  if (jsonDepthExceeds(frame, maxRequestDepth)) return { refusal: 'BAD_FRAME', reason: 'nested too deep' };
  const json = parseFrameJson(frame);
  if (json === null) return { refusal: 'BAD_FRAME', reason: 'not UTF-8 JSON' };
  if (isLocalImportRequest(json)) return { ok: json };
  const v = typeof json === 'object' && !Array.isArray(json) ? (json as { v?: unknown }).v : undefined;
  if (v !== undefined && v !== localImportVersion) {
    return { refusal: 'VERSION', reason: `version ${JSON.stringify(v)}` };
  }
  return { refusal: 'BAD_FRAME', reason: 'not a local import request' };
}

async function answer(
  request: LocalImportRequest,
  target: LocalImportTarget,
  isClosing: () => boolean,
  log: Logger,
): Promise<LocalImportAnswer> {
  if (target.kind === 'remote') {
    return { v: localImportVersion, type: 'refused', code: 'NO_LOCAL_STORE', message: noLocalStore };
  }
  if (request.type === 'hello') return { v: localImportVersion, type: 'ready' };
  if (isClosing())
    return { v: localImportVersion, type: 'refused', code: 'CLOSING', message: refusals.CLOSING };
  const started = performance.now();
  const outcome =
    request.type === 'import'
      ? await importOne(
          target.dmp,
          { bytes: new Uint8Array(Buffer.from(request.contentBase64, 'base64')) },
          request.create,
          handedOffImportActor,
        )
      : await importOne(
          target.dmp,
          // The CLI prints its own wording (it knows the size); the cause is what is audited.
          { refused: { cause: request.cause, userMessage: 'fichier illisible pour l’import.' } },
          false,
          handedOffImportActor,
        );
  log.info('CLI import handed off', {
    ok: outcome.ok,
    refusedBeforeReading: request.type === 'refused-file',
    // The instance's share of a handed-off import's time (the rest is the CLI process).
    ms: Math.round(performance.now() - started),
  });
  return { v: localImportVersion, type: 'result', outcome };
}
