import { z } from 'zod';
import { defaultXmlLimits } from '../cda/xml/limits';

/**
 * The local import socket's protocol: `cli import` hands its files to the running instance that
 * holds the data folder (see README.md beside this file). One frame = a 4-byte big-endian length,
 * then that many bytes of UTF-8 JSON. The client speaks first (`hello`), then sends one `import` or
 * `refused-file` per file and reads one `result` for each, in order. File names are not sent: the
 * CLI prints them, and a name may be a patient's.
 */
export const localImportVersion = 1;

/** A file is at most the import's own cap; its base64 and the envelope fit in this. */
export const maxRequestFrameBytes = Math.ceil((defaultXmlLimits.maxBytes * 4) / 3) + 64 * 1024;
/** Answers are a line of text and a few counts. */
export const maxAnswerFrameBytes = 64 * 1024;
/** Requests are flat objects; anything nested deeper is not one of ours. */
export const maxRequestDepth = 4;

const version = z.literal(localImportVersion);

/** Why the CLI could not read a file (the causes of `ImportFileError`): audited as a refusal. */
export const unreadableCauses = ['file: unreadable', 'file: not a regular file', 'file: too large'] as const;

export const localImportRequestSchema = z.discriminatedUnion('type', [
  z.strictObject({ v: version, type: z.literal('hello') }),
  z.strictObject({
    v: version,
    type: z.literal('import'),
    create: z.boolean(),
    contentBase64: z.base64().max(maxRequestFrameBytes),
  }),
  z.strictObject({ v: version, type: z.literal('refused-file'), cause: z.enum(unreadableCauses) }),
]);
export type LocalImportRequest = z.infer<typeof localImportRequestSchema>;

/** What became of one file: what the CLI prints for it, wherever the import ran. */
export const importOutcomeSchema = z.discriminatedUnion('ok', [
  z.strictObject({
    ok: z.literal(true),
    documentId: z.string().max(200),
    created: z.boolean(),
    counts: z.record(z.string().max(100), z.number().int().nonnegative()),
  }),
  z.strictObject({ ok: z.literal(false), message: z.string().max(4000) }),
]);
export type ImportOutcome = z.infer<typeof importOutcomeSchema>;

export const localImportAnswerSchema = z.discriminatedUnion('type', [
  z.strictObject({ v: version, type: z.literal('ready') }),
  z.strictObject({ v: version, type: z.literal('result'), outcome: importOutcomeSchema }),
  /** The instance refuses the connection (French message) and closes it. */
  z.strictObject({
    v: version,
    type: z.literal('refused'),
    code: z.enum(['VERSION', 'BAD_FRAME', 'TOO_LARGE', 'NO_LOCAL_STORE', 'BUSY', 'CLOSING']),
    message: z.string().max(4000),
  }),
]);
export type LocalImportAnswer = z.infer<typeof localImportAnswerSchema>;

/** One frame: length prefix and JSON. */
export function encodeFrame(message: LocalImportRequest | LocalImportAnswer): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length, 0);
  return Buffer.concat([head, body]);
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
