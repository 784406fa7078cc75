import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/shared/contract';
import { createLogger } from '../../../src/main/log/logger';
import { connectLocalImport, LocalImportRefused } from '../../../src/main/local-import/client';
import { handedOffImportActor, type ImportTarget } from '../../../src/main/local-import/import-step';
import { encodeFrame, FrameReader, localImportVersion } from '../../../src/main/local-import/protocol';
import { startLocalImportServer, type LocalImportServer } from '../../../src/main/local-import/server';

let dir: string;
let logLines: string[];
const servers: LocalImportServer[] = [];
const log = () => createLogger({ sink: (l) => logLines.push(l), level: 'debug' });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'poste-dmp-local-import-'));
  logLines = [];
});
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Records what the instance was asked; `importCda` waits for `release` when one is set. */
function fakeTarget() {
  const calls: { method: string; args: unknown[] }[] = [];
  const target: ImportTarget = {
    async importCda(bytes, opts) {
      calls.push({ method: 'importCda', args: [Buffer.from(bytes).toString(), opts] });
      if (Buffer.from(bytes).toString() === 'duplicate')
        throw new ApiError('CONFLICT', 'Ce document a déjà été déposé.');
      return { insKey: 'k', documentId: 'd1', created: true, counts: { sections: 2 } };
    },
    refuseImportFile(cause, message, actor) {
      calls.push({ method: 'refuseImportFile', args: [cause, message, actor] });
      return Promise.reject(new ApiError('INVALID_INPUT', message));
    },
  };
  return { target, calls };
}

async function serve(target: ImportTarget | null): Promise<LocalImportServer> {
  const server = await startLocalImportServer({
    socketPath: join(dir, 'import.sock'),
    target: target ? { kind: 'embedded', dmp: target } : { kind: 'remote' },
    log: log(),
  });
  if (!server) throw new Error('not offered');
  servers.push(server);
  return server;
}

const importRequest = (text: string) =>
  ({
    v: localImportVersion,
    type: 'import',
    create: true,
    contentBase64: Buffer.from(text).toString('base64'),
  }) as const;

describe('local import protocol', () => {
  it('cuts frames split across chunks and several frames in one chunk; a frame over the cap is refused from its length alone', () => {
    const a = encodeFrame({ v: 1, type: 'hello' });
    const b = encodeFrame({ v: 1, type: 'ready' });
    const reader = new FrameReader(1000);
    const all = Buffer.concat([a, b]);
    const texts = (frames: Buffer[] | 'too-large') => (frames === 'too-large' ? frames : frames.map(String));
    expect(reader.push(all.subarray(0, 2))).toEqual([]);
    expect(texts(reader.push(all.subarray(2, a.length + 3)))).toEqual(['{"v":1,"type":"hello"}']);
    expect(reader.partial).toBe(true);
    expect(texts(reader.push(all.subarray(a.length + 3)))).toEqual(['{"v":1,"type":"ready"}']);
    expect(reader.partial).toBe(false);
    expect(reader.push(Buffer.concat([a, a])).length).toBe(2);

    const head = Buffer.alloc(4);
    head.writeUInt32BE(1001);
    expect(new FrameReader(1000).push(head)).toBe('too-large');
  });
});

describe('local import socket', () => {
  it('imports as the handed-off CLI actor and answers each file with its outcome', async () => {
    const { target, calls } = fakeTarget();
    const server = await serve(target);
    const session = await connectLocalImport(server.path);
    expect(session).not.toBeNull();
    expect(await session!.send(importRequest('<cda/>'))).toEqual({
      ok: true,
      documentId: 'd1',
      created: true,
      counts: { sections: 2 },
    });
    expect(await session!.send(importRequest('duplicate'))).toEqual({
      ok: false,
      message: 'Ce document a déjà été déposé.',
    });
    expect(await session!.send({ v: 1, type: 'refused-file', cause: 'file: too large' })).toMatchObject({
      ok: false,
    });
    session!.close();
    expect(calls).toEqual([
      { method: 'importCda', args: ['<cda/>', { create: true, depositor: handedOffImportActor }] },
      { method: 'importCda', args: ['duplicate', { create: true, depositor: handedOffImportActor }] },
      {
        method: 'refuseImportFile',
        args: ['file: too large', expect.any(String), handedOffImportActor],
      },
    ]);
    // Each import logs how long the instance took over it (the CLI's share is its process).
    const handedOff = logLines
      .map((line) => JSON.parse(line) as { msg: string; ms?: unknown })
      .filter((line) => line.msg === 'CLI import handed off');
    expect(handedOff).toHaveLength(3);
    for (const line of handedOff) expect(line.ms).toEqual(expect.any(Number));
  });

  it('close lets an import in progress finish, then removes the socket', async () => {
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const server = await serve({
      async importCda() {
        entered();
        await released;
        return { insKey: 'k', documentId: 'd1', created: false, counts: {} };
      },
      refuseImportFile: () => Promise.reject(new Error('unused')),
    });
    const session = await connectLocalImport(server.path);
    const answered = session!.send(importRequest('<cda/>'));
    await inside;
    let closed = false;
    const closing = server.close().then(() => (closed = true));
    // Whatever the machine's speed, close cannot have finished while the import is held.
    await new Promise((r) => setImmediate(r));
    expect(closed).toBe(false);
    release();
    expect((await answered).ok).toBe(true);
    await closing;
    expect(existsSync(server.path)).toBe(false);
  });

  it('replaces a socket file left behind, never removes one that is not its own, and is 0600', async () => {
    writeFileSync(join(dir, 'import.sock'), 'left by a killed process');
    const server = await serve(fakeTarget().target);
    expect(statSync(server.path).isSocket()).toBe(true);
    expect(statSync(server.path).mode & 0o777).toBe(0o600);
    rmSync(server.path);
    writeFileSync(server.path, 'someone else');
    await server.close();
    expect(existsSync(server.path)).toBe(true);
  });

  it('the CLI finds nobody when there is no socket or only a file left behind', async () => {
    expect(await connectLocalImport(join(dir, 'import.sock'))).toBeNull();
    writeFileSync(join(dir, 'import.sock'), '');
    expect(await connectLocalImport(join(dir, 'import.sock'))).toBeNull();
  });

  it('a workstation on the shared host refuses in French: no local store', async () => {
    const server = await serve(null);
    const refused = connectLocalImport(server.path);
    await expect(refused).rejects.toBeInstanceOf(LocalImportRefused);
    await expect(refused).rejects.toThrow(/serveur DMP partagé/);
  });

  it('is not offered (and says so in the log) when the folder path is too long for a Unix socket', async () => {
    const server = await startLocalImportServer({
      socketPath: join(dir, 'x'.repeat(120), 'import.sock'),
      target: { kind: 'remote' },
      log: log(),
    });
    expect(server).toBeNull();
    expect(logLines.join('\n')).toMatch(/path too long/);
  });
});
