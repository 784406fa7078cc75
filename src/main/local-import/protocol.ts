import { defaultXmlLimits } from '../cda/xml/limits';
import {
  anyOf,
  base64,
  boolean,
  count,
  literal,
  oneOf,
  record,
  strictObject,
  string,
  type Checked,
} from './json-check';

/**
 * The local import socket's protocol: `cli import` hands its files to the running instance that
 * holds the data folder (see README.md beside this file). One frame = a 4-byte big-endian length,
 * then that many bytes of UTF-8 JSON. The client speaks first (`hello`), then sends one `import` or
 * `refused-file` per file and reads one `result` for each, in order. File names are not sent: the
 * CLI prints them, and a name may be a patient's. The instance checks requests and the CLI answers
 * with the checks below (`json-check.ts`, not zod: see why there).
 */
export const localImportVersion = 1;

/** A file is at most the import's own cap; its base64 and the envelope fit in this. */
export const maxRequestFrameBytes = Math.ceil((defaultXmlLimits.maxBytes * 4) / 3) + 64 * 1024;
/** Answers are a line of text and a few counts. */
export const maxAnswerFrameBytes = 64 * 1024;
/** Requests are flat objects; anything nested deeper is not one of ours. */
export const maxRequestDepth = 4;

const version = literal(localImportVersion);

/** Why the CLI could not read a file (the causes of `ImportFileError`): audited as a refusal. */
export const unreadableCauses = ['file: unreadable', 'file: not a regular file', 'file: too large'] as const;

export const isLocalImportRequest = anyOf(
  strictObject({ v: version, type: literal('hello') }),
  strictObject({
    v: version,
    type: literal('import'),
    create: boolean,
    contentBase64: base64(maxRequestFrameBytes),
  }),
  strictObject({ v: version, type: literal('refused-file'), cause: oneOf(unreadableCauses) }),
);
export type LocalImportRequest = Checked<typeof isLocalImportRequest>;

/** What became of one file: what the CLI prints for it, wherever the import ran. */
const isImportOutcome = anyOf(
  strictObject({
    ok: literal(true),
    documentId: string(200),
    created: boolean,
    counts: record(string(100), count),
  }),
  strictObject({ ok: literal(false), message: string(4000) }),
);
export type ImportOutcome = Checked<typeof isImportOutcome>;

export const isLocalImportAnswer = anyOf(
  strictObject({ v: version, type: literal('ready') }),
  strictObject({ v: version, type: literal('result'), outcome: isImportOutcome }),
  /** The instance refuses the connection (French message) and closes it. */
  strictObject({
    v: version,
    type: literal('refused'),
    code: oneOf(['VERSION', 'BAD_FRAME', 'TOO_LARGE', 'NO_LOCAL_STORE', 'BUSY', 'CLOSING']),
    message: string(4000),
  }),
);
export type LocalImportAnswer = Checked<typeof isLocalImportAnswer>;

/**
 * One frame: length prefix and JSON, written into one buffer (a request carries a whole document in
 * base64: no second copy of it for the concatenation).
 */
export function encodeFrame(message: LocalImportRequest | LocalImportAnswer): Buffer {
  const json = JSON.stringify(message);
  const length = Buffer.byteLength(json, 'utf8');
  const frame = Buffer.allocUnsafe(4 + length);
  frame.writeUInt32BE(length, 0);
  frame.write(json, 4, 'utf8');
  return frame;
}

/**
 * Cuts a byte stream into frames. A frame announced over `maxBytes` is reported as soon as its
 * length is read, before any of it is buffered; chunks are joined once per frame, not per chunk.
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(private readonly maxBytes: number) {}

  /** Frames completed by `chunk`, or `too-large` (the stream is then unusable). */
  push(chunk: Buffer): Buffer[] | 'too-large' {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: Buffer[] = [];
    while (this.buffered >= 4) {
      const head = this.chunks[0]!.length >= 4 ? this.chunks[0]! : this.join();
      const length = head.readUInt32BE(0);
      if (length > this.maxBytes) return 'too-large';
      if (this.buffered < 4 + length) break;
      const all = this.join();
      frames.push(all.subarray(4, 4 + length));
      const rest = all.subarray(4 + length);
      this.chunks = rest.length ? [rest] : [];
      this.buffered = rest.length;
    }
    return frames;
  }

  /** True when a frame has started but not ended (the peer hung up in the middle of it). */
  get partial(): boolean {
    return this.buffered > 0;
  }

  private join(): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    this.chunks = [all];
    return all;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A frame's JSON, or null when it is not valid UTF-8 JSON. */
export function parseFrameJson(frame: Buffer): unknown {
  try {
    return JSON.parse(utf8.decode(frame)) as unknown;
  } catch {
    return null;
  }
}
