import { mkdtempSync, openSync, closeSync, ftruncateSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CdaError } from '../../../src/main/cda/errors';
import { parseCda } from '../../../src/main/cda/import';
import { DmpService } from '../../../src/main/dmp/dmp-service';
import { ImportFileError, readImportFile } from '../../../src/main/dmp/import-file';
import { dmpMigrations } from '../../../src/main/dmp/migrations';
import { silentLogger } from '../../../src/main/log/logger';
import { openMemoryStore } from '../../../src/main/store/memory-store';
import { sharedCorpusDir } from '../../support/shared-fixtures';
import { minimalCda, readShared, structuredBody } from './support/fixtures';

function refusal(fn: () => unknown): CdaError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CdaError) return err;
    throw err;
  }
  throw new Error('expected a CdaError');
}

describe('robust intake (issue 10, finding 9)', () => {
  it('imports a CI-SIS « auto-présentable » document (ClinicalDocument inside an XSL stylesheet)', () => {
    const doc = parseCda(readFileSync(join(sharedCorpusDir(), 'BIO-CR-BIO_2021.01_Auto-Presentable.xml')));
    expect(doc.header.type.code).toBe('11502-2');
    expect(doc.entries.filter((e) => e.kind === 'labResult').length).toBeGreaterThan(0);
  });

  it('still refuses a stylesheet that wraps no CDA', () => {
    const xsl =
      '<?xml version="1.0"?><xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"><xsl:template match="/"/></xsl:stylesheet>';
    expect(refusal(() => parseCda(Buffer.from(xsl))).code).toBe('not-cda');
  });

  it('reads UTF-8 bytes declared ISO-8859-1 as UTF-8, with a note, never garbled', () => {
    const raw = readShared('VSM_1.4_2022.01.xml').toString('utf8');
    expect(raw).toMatch(/encoding="UTF-8"/i);
    const mislabelled = Buffer.from(raw.replace(/encoding="UTF-8"/i, 'encoding="ISO-8859-1"'), 'utf8');
    const doc = parseCda(mislabelled);
    expect(doc.header.author?.organization).toBe('Centre de soins le Belvédère');
    expect(doc.warnings.join(' ')).toMatch(/encodage déclaré \(ISO-8859-1\) ne correspond pas/);
  });

  it('refuses text that was encoded twice (« Ã© » for « é ») instead of storing it', () => {
    const raw = readShared('VSM_1.4_2022.01.xml').toString('utf8');
    const doubled = Buffer.from(Buffer.from(raw, 'utf8').toString('latin1'), 'utf8');
    const err = refusal(() => parseCda(doubled));
    expect(err.code).toBe('encoding');
    expect(err.userMessage).toMatch(/caractères accentués du document sont altérés/);
  });

  it('refuses a truncated PDF body (no %%EOF trailer)', () => {
    const raw = readShared('DOC_NON_STRUCTURE_CDA-R2-N1.xml').toString('utf8');
    const b64 = /representation="B64"[^>]*>([^<]+)</.exec(raw)?.[1] as string;
    const pdf = Buffer.from(b64.replace(/\s+/g, ''), 'base64');
    const truncated = pdf.subarray(0, pdf.length - 2048).toString('base64');
    const err = refusal(() => parseCda(Buffer.from(raw.replace(b64, truncated))));
    expect(err.code).toBe('bad-body');
    expect(err.userMessage).toMatch(/PDF joint est incomplet/);
  });

  it('caps the entries of one document with a clear French warning', () => {
    const allergy = (i: number) =>
      `<entry><observation classCode="OBS" moodCode="EVN"><templateId root="1.3.6.1.4.1.19376.1.5.3.1.4.6"/><code code="420134006" displayName="allergie"/>` +
      `<participant typeCode="CSM"><participantRole><playingEntity><code code="A${i}" displayName="Agent ${i}"/></playingEntity></participantRole></participant></observation></entry>`;
    const section = `<section><code code="48765-2"/><title>Allergies</title><text>Allergies</text>${Array.from({ length: 2100 }, (_, i) => allergy(i)).join('')}</section>`;
    const doc = parseCda(Buffer.from(minimalCda({ body: structuredBody(section) })));
    expect(doc.entries.length).toBe(2000);
    expect(doc.warnings.join(' ')).toMatch(
      /contient 2\s100 entrées structurées : seules les 2\s000 premières sont reprises/,
    );
  });

  it('checks the size before reading a file to import', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'poste-dmp-import-'));
    const huge = join(dir, 'enorme.xml');
    // A sparse 1 GB file: refused on its size, never loaded into memory.
    const fd = openSync(huge, 'w');
    ftruncateSync(fd, 1024 * 1024 * 1024);
    closeSync(fd);
    const err = await readImportFile(huge).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportFileError);
    expect((err as ImportFileError).reason).toBe('file: too large');
    expect((err as ImportFileError).userMessage).toMatch(
      /dépasse la taille maximale de 30 Mo : il n’a pas été lu/,
    );
    const small = join(dir, 'petit.xml');
    writeFileSync(small, '<a/>');
    expect(Buffer.from(await readImportFile(small)).toString()).toBe('<a/>');
  });

  it('logs and audits every refused import', async () => {
    const store = await openMemoryStore(dmpMigrations);
    const dmp = new DmpService({
      store,
      log: silentLogger,
      now: () => new Date('2024-01-01T00:00:00Z'),
      random: () => new Uint8Array(16),
    });
    await expect(
      dmp.importCda(Buffer.from('<html><body>pas un CDA</body></html>'), {
        create: true,
        depositor: 'system',
      }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/^Document CDA illisible : ce n'est pas un document CDA/),
    });
    await expect(dmp.refuseImportFile('file: too large', 'trop gros')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    const rows = await store.all<{ action: string; target: string }>(
      "SELECT action, target FROM audit_log WHERE action = 'document.refused' ORDER BY seq",
    );
    expect(rows).toEqual([
      { action: 'document.refused', target: 'cda: not-cda' },
      { action: 'document.refused', target: 'file: too large' },
    ]);
  });
});
