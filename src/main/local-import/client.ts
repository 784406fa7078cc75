import { createConnection, type Socket } from 'node:net';
import {
  encodeFrame,
  FrameReader,
  isLocalImportAnswer,
  localImportVersion,
  maxAnswerFrameBytes,
  parseFrameJson,
  type ImportOutcome,
  type LocalImportAnswer,
  type LocalImportRequest,
} from './protocol';

/** The instance answered, and refused (its French message): nothing more will be sent. */
export class LocalImportRefused extends Error {}
/** The connection ended or broke before the answer: whether the file went in is not known. */
export class LocalImportLost extends Error {}

export interface LocalImportSession {
  /** One file: its outcome, as the instance's import gave it. */
  send(request: Exclude<LocalImportRequest, { type: 'hello' }>): Promise<ImportOutcome>;
  close(): void;
}

/** Long enough for an instance under heavy load; an instance that holds the folder answers at once. */
const helloTimeoutMs = 60_000;

/**
 * Connects to the instance holding the data folder. Null when nobody answers there: no socket, a
 * socket file left by a killed process, or an instance that closed before saying it is ready; the
 * caller then opens the store itself. Throws `LocalImportRefused` when the instance refuses.
 */
export async function connectLocalImport(socketPath: string): Promise<LocalImportSession | null> {
  const socket = await new Promise<Socket | null>((resolve) => {
    const s = createConnection({ path: socketPath });
    s.once('connect', () => {
      s.removeAllListeners('error');
      resolve(s);
    });
    s.once('error', () => resolve(null));
  });
  if (!socket) return null;

  const waiting: { resolve(a: LocalImportAnswer): void; reject(e: Error): void }[] = [];
  let broken: Error | null = null;
  const fail = (err: Error): void => {
    broken ??= err;
    for (const w of waiting.splice(0)) w.reject(broken);
    socket.destroy();
  };
  const reader = new FrameReader(maxAnswerFrameBytes);
  socket.on('data', (chunk: Buffer) => {
    const frames = reader.push(chunk);
    if (frames === 'too-large') return fail(new LocalImportLost('answer over the size cap'));
    for (const frame of frames) {
      const answer = parseFrameJson(frame);
      if (!isLocalImportAnswer(answer)) return fail(new LocalImportLost('malformed answer'));
      waiting.shift()?.resolve(answer);
    }
  });
  socket.on('error', (err) => fail(new LocalImportLost(err.message)));
  socket.on('close', () => fail(new LocalImportLost('connection closed')));

  const ask = (request: LocalImportRequest): Promise<LocalImportAnswer> => {
    if (broken) return Promise.reject(broken);
    const answer = new Promise<LocalImportAnswer>((resolve, reject) => waiting.push({ resolve, reject }));
    socket.write(encodeFrame(request));
    return answer;
  };

  let timer: NodeJS.Timeout | undefined;
  let hello: LocalImportAnswer;
  try {
    hello = await Promise.race([
      ask({ v: localImportVersion, type: 'hello' }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new LocalImportRefused(
                `l’instance qui utilise le dossier de données ne répond pas (${socketPath}).`,
              ),
            ),
          helloTimeoutMs,
        );
      }),
    ]);
  } catch (err) {
    socket.destroy();
    if (err instanceof LocalImportRefused) throw err;
    // Closed before it said it was ready (an instance on its way out): the caller opens the store.
    return null;
  } finally {
    clearTimeout(timer);
  }
  if (hello.type === 'refused') {
    socket.destroy();
    throw new LocalImportRefused(hello.message);
  }
  return {
    async send(request) {
      const answer = await ask(request);
      if (answer.type === 'result') return answer.outcome;
      socket.destroy();
      throw answer.type === 'refused'
        ? new LocalImportRefused(answer.message)
        : new LocalImportLost('unexpected answer');
    },
    close: () => socket.end(),
  };
}
