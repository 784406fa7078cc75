import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CdaParserPool,
  cdaParserMessages,
  defaultCdaParserWorkers,
} from '../../../src/main/dmp/cda-parser-pool';
import { inlineCdaParser, parseCdaOrThrow, type CdaParser } from '../../../src/main/dmp/parse-cda';
import { DmpService } from '../../../src/main/dmp/dmp-service';
import { dmpMigrations } from '../../../src/main/dmp/migrations';
import { workerEntryAt } from '../../../src/main/concurrency/worker-entry';
import { createLogger, silentLogger } from '../../../src/main/log/logger';
import { openMemoryStore } from '../../../src/main/store/memory-store';
import { ApiError } from '../../../src/shared/contract';
import type { CdaDocument } from '../../../src/main/cda/types';
import { sharedCdaFixturesDir, sharedCorpusDir } from '../../support/shared-fixtures';
import { localFixtureDir, minimalCda, readShared } from './support/fixtures';

const pools: CdaParserPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

function pool(options: Partial<ConstructorParameters<typeof CdaParserPool>[0]> = {}): CdaParserPool {
  const made = new CdaParserPool({ workers: 2, log: silentLogger, ...options });
  pools.push(made);
  return made;
}

function capture(): { log: ReturnType<typeof createLogger>; lines: string[] } {
  const lines: string[] = [];
  return { log: createLogger({ sink: (l) => lines.push(l), level: 'debug' }), lines };
}

const faultyWorker = workerEntryAt(new URL('./support/faulty-cda-worker.ts', import.meta.url));

/** Byte arrays compared as such (vitest's deep equality walks a 1.5 MB array element by element). */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );
}

/** A document with its binary payload (if any) replaced by its length, for a quick deep comparison. */
function comparable(document: CdaDocument): object {
  return document.body.kind === 'unstructured'
    ? { ...document, body: { ...document.body, content: document.body.content.byteLength } }
    : document;
}

/** What the inline parser throws or returns for these bytes. */
function inline(bytes: Uint8Array): { ok: true; value: CdaDocument } | { ok: false; error: object } {
  try {
    return { ok: true, value: parseCdaOrThrow(bytes) };
  } catch (err) {
    const e = err as ApiError;
    return { ok: false, error: { code: e.code, message: e.message, logDetail: e.logDetail } };
  }
}

describe('CDA parser pool (worker threads)', () => {
  it('sizes itself from the cores: one left to the event loop, 1 to 4 workers', () => {
    expect([1, 2, 3, 4, 8, 64].map((n) => defaultCdaParserWorkers(n))).toEqual([1, 1, 2, 3, 4, 4]);
  });

  it(
    'gives the same document, or the same French refusal, as the inline parser for every CI-SIS document and the hostile fixtures',
    { timeout: 180_000 },
    async () => {
      const parser = pool();
      const inputs = [
        ...[sharedCdaFixturesDir(), sharedCorpusDir(), localFixtureDir].flatMap((dir) =>
          readdirSync(dir)
            .filter((f) => /\.(xml|bin)$/.test(f))
            .sort()
            .map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(join(dir, f))) })),
        ),
        {
          name: 'no INS',
          bytes: new Uint8Array(Buffer.from(minimalCda({ body: '<structuredBody/>', patientIds: '' }))),
        },
        {
          name: 'truncated',
          bytes: new Uint8Array(Buffer.from('<ClinicalDocument xmlns="urn:hl7-org:v3"><id')),
        },
      ];
      let refusals = 0;
      let unstructured = 0;
      for (const { name, bytes } of inputs) {
        const expected = inline(bytes);
        const copy = bytes.slice();
        try {
          const parsed = await parser.parse(bytes);
          expect(expected.ok, name).toBe(true);
          const value = (expected as { value: CdaDocument }).value;
          expect(comparable(parsed.document), name).toEqual(comparable(value));
          expect(sameBytes(parsed.bytes, copy), name).toBe(true);
          if (parsed.document.body.kind === 'unstructured' && value.body.kind === 'unstructured') {
            unstructured++;
            expect(parsed.document.body.content).toBeInstanceOf(Uint8Array);
            expect(sameBytes(parsed.document.body.content, value.body.content)).toBe(true);
          }
        } catch (err) {
          expect(err, name).toBeInstanceOf(ApiError);
          const e = err as ApiError;
          expect({ code: e.code, message: e.message, logDetail: e.logDetail }, name).toEqual(
            (expected as { error: object }).error,
          );
          refusals++;
        }
      }
      // The comparison covered both outcomes and the binary payload of an unstructured document.
      expect(refusals).toBeGreaterThanOrEqual(5);
      expect(unstructured).toBeGreaterThanOrEqual(1);
    },
  );

  it(
    'moves a buffer the caller owns to the worker and back instead of copying it; a shared one is copied',
    { timeout: 60_000 },
    async () => {
      const parser = pool({ workers: 1 });
      const owned = new Uint8Array(readShared('VSM_1.4_2022.01.xml'));
      const content = owned.slice();
      const parsed = await parser.parse(owned);
      expect(owned.byteLength).toBe(0); // detached: the memory went to the worker
      expect(sameBytes(parsed.bytes, content)).toBe(true);

      // A view on part of a larger buffer (Node's pooled Buffers are such views) must stay untouched.
      const slab = new Uint8Array(content.byteLength + 16);
      slab.set(content, 8);
      const view = slab.subarray(8, 8 + content.byteLength);
      const again = await parser.parse(view);
      expect(view.byteLength).toBe(content.byteLength);
      expect(sameBytes(again.bytes, content)).toBe(true);
    },
  );

  it(
    'answers other requests of the process while a deposit is parsed (the inline parser cannot)',
    { timeout: 120_000 },
    async () => {
      // The IPS-FR four times over in one document: a parse long enough to be caught in progress.
      const ips = readShared('IPS-FR_2024.01.xml').toString('utf8');
      const sections = /<component>\s*<structuredBody>([\s\S]*)<\/structuredBody>/.exec(ips)![1]!;
      const heavy = ips.replace(sections, sections.repeat(4));

      async function answeredDuringParse(parser: CdaParser): Promise<number> {
        const store = await openMemoryStore(dmpMigrations);
        let parsing = false;
        let answeredWhileParsing = 0;
        const watched: CdaParser = {
          parse: async (bytes) => {
            parsing = true;
            try {
              return await parser.parse(bytes);
            } finally {
              parsing = false;
            }
          },
        };
        const dmp = new DmpService({ store, log: silentLogger, cdaParser: watched });
        let done = false;
        const deposit = dmp
          .importCda(new Uint8Array(Buffer.from(heavy)), { create: true, depositor: 'system' })
          .finally(() => (done = true));
        // Cheap requests one after another, each started from a fresh turn of the event loop.
        while (!done) {
          await new Promise((resolve) => setImmediate(resolve));
          const startedWhileParsing = parsing;
          await dmp.searchDossiers({ insKey: '279035121518989@1.2.250.1.213.1.4.10' });
          if (startedWhileParsing && parsing) answeredWhileParsing++;
        }
        await deposit;
        return answeredWhileParsing;
      }

      expect(await answeredDuringParse(inlineCdaParser)).toBe(0);
      expect(await answeredDuringParse(pool({ workers: 1 }))).toBeGreaterThan(0);
    },
  );

  it(
    'a crashed worker fails only its document, in French, with a precise log; the pool replaces it',
    { timeout: 120_000 },
    async () => {
      const { log, lines } = capture();
      const parser = pool({ workers: 1, entry: faultyWorker, log });
      const vsm = () => new Uint8Array(readShared('VSM_1.4_2022.01.xml'));
      await expect(parser.parse(vsm())).resolves.toBeDefined();
      for (const fault of ['CRASH', 'EXIT']) {
        await expect(parser.parse(new Uint8Array(Buffer.from(fault)))).rejects.toMatchObject({
          code: 'INTERNAL',
          message: cdaParserMessages.crashed,
        });
        const parsed = await parser.parse(vsm());
        expect(parsed.document.header.type.code).toBeTruthy();
      }
      const crashes = lines.filter((l) => l.includes('cda parser worker crashed'));
      expect(crashes).toHaveLength(2);
      expect(crashes[0]).toContain('injected crash');
      expect(crashes[1]).toContain('exited with code 3');
    },
  );

  it(
    'a parse over its time budget is stopped and refused (audited as a CDA refusal); the next document is parsed',
    { timeout: 120_000 },
    async () => {
      const { log, lines } = capture();
      const parser = pool({ workers: 1, entry: faultyWorker, log, timeoutMs: 3_000 });
      const store = await openMemoryStore(dmpMigrations);
      const dmp = new DmpService({ store, log, cdaParser: parser });
      await expect(
        dmp.importCda(new Uint8Array(Buffer.from('HANG <ClinicalDocument/>')), {
          create: true,
          depositor: 'system',
        }),
      ).rejects.toMatchObject({ code: 'INVALID_INPUT', message: cdaParserMessages.timeout(3) });
      expect(lines.some((l) => l.includes('cda parse over its time budget'))).toBe(true);
      const audit = await dmp.verifyAudit();
      expect(audit.ok).toBe(true);
      expect(lines.some((l) => l.includes('cda: timeout'))).toBe(true);
      const imported = await dmp.importCda(new Uint8Array(readShared('VSM_1.4_2022.01.xml')), {
        create: true,
        depositor: 'system',
      });
      expect(imported.created).toBe(true);
      expect(parser.workers).toBe(1);
    },
  );

  it(
    'a parse that outgrows the worker heap is refused in French; the pool goes on',
    { timeout: 120_000 },
    async () => {
      const { log, lines } = capture();
      const parser = pool({ workers: 1, entry: faultyWorker, log, maxHeapMb: 96 });
      await expect(parser.parse(new Uint8Array(Buffer.from('OOM')))).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        message: cdaParserMessages.memory,
      });
      expect(lines.some((l) => l.includes('out of memory'))).toBe(true);
      await expect(parser.parse(new Uint8Array(readShared('VSM_1.4_2022.01.xml')))).resolves.toBeDefined();
    },
  );

  it('a worker that cannot start (entry file missing from the bundle) refuses the document in French, logged', async () => {
    const { log, lines } = capture();
    const parser = pool({
      workers: 1,
      log,
      entry: { url: new URL('file:///nonexistent/out/host/cda-parser-worker.js'), tsBootstrap: null },
    });
    await expect(parser.parse(new Uint8Array(readShared('VSM_1.4_2022.01.xml')))).rejects.toMatchObject({
      code: 'INTERNAL',
      message: cdaParserMessages.unavailable,
    });
    expect(lines.some((l) => l.includes('cda parser worker failed to start'))).toBe(true);
    expect(parser.workers).toBe(0);
  });

  it(
    'refuses « serveur occupé » beyond its queue instead of holding every document in memory',
    { timeout: 120_000 },
    async () => {
      const parser = pool({ workers: 1, entry: faultyWorker, maxQueued: 2, timeoutMs: 60_000 });
      // The worker started (a document parsed), then one document holds it; two wait; the fourth is refused at once.
      await parser.parse(new Uint8Array(readShared('VSM_1.4_2022.01.xml')));
      const hang = parser.parse(new Uint8Array(Buffer.from('HANG')));
      hang.catch(() => undefined);
      const waiting = [0, 1].map(() => parser.parse(new Uint8Array(readShared('VSM_1.4_2022.01.xml'))));
      for (const w of waiting) w.catch(() => undefined);
      await expect(parser.parse(new Uint8Array(readShared('VSM_1.4_2022.01.xml')))).rejects.toMatchObject({
        code: 'UNAVAILABLE',
        message: cdaParserMessages.busy,
      });
      // Closing refuses what waits and what runs, and stops the spinning worker (no hanging process).
      await parser.close();
      for (const p of [hang, ...waiting])
        await expect(p).rejects.toMatchObject({ code: 'UNAVAILABLE', message: cdaParserMessages.closing });
      expect(parser.workers).toBe(0);
      await expect(parser.parse(new Uint8Array(1))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    },
  );
});
