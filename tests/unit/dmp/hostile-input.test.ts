import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ApiError } from '../../../src/shared/contract';
import { accessCodesPdf } from '../../../src/main/dmp/access-codes-pdf';
import { dataOptions, parseCommandArgs, UsageError } from '../../../src/main/cli/cli-context';
import { DmpService } from '../../../src/main/dmp/dmp-service';
import { dmpMigrations } from '../../../src/main/dmp/migrations';
import { normaliseName } from '../../../src/main/dmp/names';
import { createLogger, silentLogger } from '../../../src/main/log/logger';
import { openTestStore } from '../../support/test-store';
import { actor, fixture, professional, testInsKey } from './helpers';

describe('hostile or malformed input', () => {
  it('answers arbitrary bytes with a French ApiError, never a crash or a partial write', async () => {
    const store = await openTestStore(dmpMigrations);
    const dmp = new DmpService({ store, log: silentLogger });
    const xmlish = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc
        .string({ maxLength: 300 })
        .map((s) =>
          new TextEncoder().encode(`<?xml version="1.0"?><ClinicalDocument xmlns="urn:hl7-org:v3">${s}`),
        ),
      fc.integer({ min: 1, max: 5000 }).map((cut) => fixture('VAC-NOTE_2023.01.xml').subarray(0, cut)),
    );
    await fc.assert(
      fc.asyncProperty(xmlish, async (bytes) => {
        const error = await dmp.importCda(bytes, { create: true, depositor: 'system' }).then(
          () => null,
          (err: unknown) => err,
        );
        expect(error).toBeInstanceOf(ApiError);
        expect((error as ApiError).code).toBe('INVALID_INPUT');
      }),
      { numRuns: 60 },
    );
    expect(await store.all('SELECT ins_key FROM dossiers')).toEqual([]);
    // Every refusal is audited (issue 10), and nothing else was written: one 'document.refused' line per run.
    const audited = await store.all<{ action: string }>('SELECT action FROM audit_log');
    expect(audited.length).toBeGreaterThanOrEqual(60);
    expect(new Set(audited.map((a) => a.action))).toEqual(new Set(['document.refused']));
    expect(await dmp.verifyAudit()).toEqual({ ok: true, count: audited.length });
  });

  it('refuses an XML bomb (entity expansion) as invalid input', async () => {
    const store = await openTestStore(dmpMigrations);
    const dmp = new DmpService({ store, log: silentLogger });
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><ClinicalDocument>&lol2;</ClinicalDocument>`;
    await expect(
      dmp.importCda(new TextEncoder().encode(bomb), { create: true, depositor: 'system' }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('never logs the NIR or the patient name while importing and reading', async () => {
    const lines: string[] = [];
    const store = await openTestStore(dmpMigrations);
    const dmp = new DmpService({ store, log: createLogger({ sink: (l) => lines.push(l), level: 'debug' }) });
    await dmp.importCda(fixture('VSM_1.4_2022.01.xml'), { create: true, depositor: 'system' });
    const doctor = professional();
    await dmp.authorize(actor(doctor), testInsKey);
    await dmp.getSummary(actor(doctor), testInsKey);
    await expect(
      dmp.getSummary(actor(professional({ nationalId: '0999', cardKind: 'cpe' })), testInsKey),
    ).rejects.toBeInstanceOf(ApiError);
    const [dossier] = await dmp.searchDossiers({ insKey: testInsKey });
    expect(lines.length).toBeGreaterThan(0);
    const logged = lines.join('\n');
    expect(logged).not.toContain('279035121518989');
    expect(logged).not.toContain(dossier?.identity.birthName as string);
  });
});

describe('small helpers', () => {
  it('normalises names to upper-case A–Z words only', () => {
    expect(normaliseName('  Élise-Marie d’Arc  ')).toBe('ELISE MARIE D ARC');
    expect(normaliseName('Œdipe Straße')).toBe('OEDIPE STRASSE');
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(normaliseName(s)).toMatch(/^(?:[A-Z]+(?: [A-Z]+)*)?$/);
      }),
    );
  });

  it('draws the access codes sheet whatever characters the name holds', async () => {
    const pdf = await accessCodesPdf({
      patientName: 'Łukasz 王 Ñúñez 🙂',
      birthDate: '2012-06-14',
      matricule: '212067512378912',
      login: 'ABCD-EFGH-JKLM',
      oneTimeCode: 'PQRS2345',
      validUntil: '2026-04-12T09:00:00.000Z',
      issuedAt: '2026-03-01T09:00:00.000Z',
      issuedBy: 'Jean MEDECIN',
    });
    expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(1000);
  });

  it('parses CLI arguments and refuses unknown options', () => {
    const options = { ...dataOptions, create: { type: 'boolean' } } as const;
    const parsed = parseCommandArgs(['a.xml', '--create', '--data', '/d', 'b.xml'], options);
    expect(parsed.positionals).toEqual(['a.xml', 'b.xml']);
    expect(parsed.values).toMatchObject({ create: true, data: '/d' });
    expect(parseCommandArgs(['--data=/x'], options).values.data).toBe('/x');
    expect(() => parseCommandArgs(['--force'], options)).toThrow(new UsageError('Option inconnue : --force'));
    expect(() => parseCommandArgs(['--data'], options)).toThrow(UsageError);
    // `--wait` takes an optional number of seconds; a 15-digit INS after it is not one.
    expect(parseCommandArgs(['--wait', '5', 'a.xml'], options).values.wait).toBe('5');
    expect(parseCommandArgs(['--wait', '279035121518989'], options)).toMatchObject({
      values: { wait: '600' },
      positionals: ['279035121518989'],
    });
  });
});
