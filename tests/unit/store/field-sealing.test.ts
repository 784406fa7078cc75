import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sqlFor } from '../../../src/main/db/query-builder';
import { dmpMigrations } from '../../../src/main/dmp/migrations';
import { fieldSealer, fieldSealingPlugin } from '../../../src/main/store/pg/field-sealing';
import type { Store } from '../../../src/main/store/types';
import { openTestStore } from '../../support/test-store';

const key = randomBytes(32);

async function sealedStore(): Promise<{ store: Store; raw: Store }> {
  // The same database seen twice: through the plugin (the host) and without it (the administrator).
  const raw = await openTestStore(dmpMigrations);
  const store: Store = { ...raw, queryPlugins: [fieldSealingPlugin(key)] };
  return { store, raw };
}

const dossier = {
  ins_key: '279035121518989@1.2.250.1.213.1.4.10',
  matricule: '279035121518989',
  oid: '1.2.250.1.213.1.4.10',
  ins_status: 'qualified' as const,
  status: 'active' as const,
  birth_name: 'Müller-Éloïse',
  used_name: null,
  first_names: 'Anne Marie',
  birth_date: '1979-03-28',
  sex: 'F' as const,
  birth_place_code: '75123',
  birth_name_norm: 'MULLER ELOISE',
  used_name_norm: null,
  test_identity: 1,
  consent_by_id: '810001234567',
  consent_by_name: 'Jean MEDECIN',
  consent_at: '2026-03-01T09:00:00.000Z',
  created_at: '2026-03-01T09:00:00.000Z',
};

/** The row-bound format, written independently of field-sealing.ts: what earlier builds sealed and opened. */
const referenceAad = (table: string, column: string, rowKey: readonly (string | number)[]) =>
  Buffer.from(JSON.stringify(['dmp-sealed-v2', table, column, rowKey.map(String)]), 'utf8');

function referenceSeal(
  table: string,
  column: string,
  rowKey: (string | number)[],
  value: string | Uint8Array,
) {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(referenceAad(table, column, rowKey));
  const plain = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  return typeof value === 'string'
    ? `enc:v2:${sealed.toString('base64')}`
    : new Uint8Array(Buffer.concat([Buffer.from([0, 0x45, 0x4e, 0x43, 0x32]), sealed]));
}

function referenceOpen(table: string, column: string, rowKey: (string | number)[], sealed: unknown) {
  const text = typeof sealed === 'string';
  const raw = text
    ? Buffer.from((sealed as string).slice('enc:v2:'.length), 'base64')
    : Buffer.from(sealed as Uint8Array).subarray(5);
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAAD(referenceAad(table, column, rowKey));
  decipher.setAuthTag(raw.subarray(raw.length - 16));
  const plain = Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]);
  return text ? plain.toString('utf8') : new Uint8Array(plain);
}

describe('field sealing (AES-256-GCM at rest, a Kysely plugin)', () => {
  it('seals text and bytes so only the key opens them, bound to their table, column and row', () => {
    const sealer = fieldSealer(key);
    const refused = expect.objectContaining({ reason: 'WRONG_KEY', facts: { subject: 'sealed-field' } });
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.uint8Array()), (value) => {
        const sealed = sealer.seal('documents', 'content', ['doc-1'], value);
        expect(sealed).not.toEqual(value);
        expect(sealer.open('documents', 'content', ['doc-1'], sealed)).toEqual(value);
        expect(() => sealer.open('documents', 'payload', ['doc-1'], sealed)).toThrow(refused);
        // Moved to another row of the same column: refused too.
        expect(() => sealer.open('documents', 'content', ['doc-2'], sealed)).toThrow(refused);
        expect(() => fieldSealer(randomBytes(32)).open('documents', 'content', ['doc-1'], sealed)).toThrow();
      }),
      { numRuns: 50 },
    );
    // A composite key: each part counts, and a number read back as such opens what was sealed.
    const section = sealer.seal('document_sections', 'title', ['doc-1', 1], 'Allergies');
    expect(sealer.open('document_sections', 'title', ['doc-1', 1], section)).toBe('Allergies');
    expect(() => sealer.open('document_sections', 'title', ['doc-1', 2], section)).toThrow(refused);
    expect(() => sealer.open('document_sections', 'title', ['doc-11', 1], section)).toThrow(refused);
    // Clear text, or a version 1 value, where a sealed value must be: refused, the detail naming the column only.
    for (const forged of ['Pénicilline', 'enc:v1:AAAA', Uint8Array.from([0x3c, 0x3f])]) {
      let caught: unknown;
      try {
        sealer.open('clinical_entries', 'label', ['e-1'], forged);
      } catch (err) {
        caught = err;
      }
      expect(caught).toEqual(refused);
      expect(String((caught as Error).message)).toContain('clinical_entries.label');
      expect(String((caught as Error).message)).not.toContain('Pénicilline');
    }
    expect(sealer.open('dossiers', 'used_name', ['x'], null)).toBeNull();
    // The same value twice gives two different ciphertexts (random IV): no equality leaks.
    expect(sealer.seal('dossiers', 'first_names', ['k'], 'Anne')).not.toEqual(
      sealer.seal('dossiers', 'first_names', ['k'], 'Anne'),
    );
    expect(() => fieldSealer(randomBytes(16))).toThrow();
  });

  it('keeps the sealed format: values open both ways with an independent implementation, each with its own IV', () => {
    const sealer = fieldSealer(key);
    const large = new Uint8Array(randomBytes(1_600_000));
    // Compared as bytes: a deep equality of megabytes element by element takes tens of seconds.
    const same = (a: unknown, b: string | Uint8Array) =>
      typeof b === 'string'
        ? expect(a).toBe(b)
        : expect(a instanceof Uint8Array && Buffer.from(a).equals(b)).toBe(true);
    const values: (string | Uint8Array)[] = ['', 'é', 'Allergie à la pénicilline', new Uint8Array(0), large];
    values.push(Buffer.from(large).toString('latin1'));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'grapheme' }), fc.uint8Array({ maxLength: 5000 })), (value) => {
        values.push(value);
      }),
      { numRuns: 200 },
    );
    const ivs = new Set<string>();
    for (const [i, value] of values.entries()) {
      const rowKey = ['doc-1', i];
      const sealed = sealer.seal('document_sections', 'title', rowKey, value);
      if (typeof value === 'string') expect(typeof sealed).toBe('string');
      else expect(sealed).toBeInstanceOf(Uint8Array);
      same(referenceOpen('document_sections', 'title', rowKey, sealed), value);
      const again = referenceSeal('document_sections', 'title', rowKey, value);
      same(sealer.open('document_sections', 'title', rowKey, again), value);
      const raw =
        typeof sealed === 'string'
          ? Buffer.from(sealed.slice('enc:v2:'.length), 'base64')
          : Buffer.from(sealed as Uint8Array).subarray(5);
      const plainLength = typeof value === 'string' ? Buffer.byteLength(value) : value.length;
      expect(raw.length).toBe(12 + plainLength + 16);
      ivs.add(raw.subarray(0, 12).toString('hex'));
    }
    // Random IVs, drawn in blocks: never repeated across blocks (more values than one block holds).
    for (let i = 0; i < 600; i++) {
      const sealed = sealer.seal('clinical_entries', 'label', ['e', 'ins'], 'x') as string;
      ivs.add(Buffer.from(sealed.slice('enc:v2:'.length), 'base64').subarray(0, 12).toString('hex'));
    }
    expect(ivs.size).toBe(values.length + 600);
  });

  it('writes designated columns sealed, reads them opened, leaves search keys in clear', async () => {
    const { store, raw } = await sealedStore();
    const q = sqlFor(store);
    await store.write([q.statement(q.db.insertInto('dossiers').values(dossier))]);
    await store.write([
      q.statement(
        q.db.updateTable('dossiers').set({ used_name: 'Dupont' }).where('ins_key', '=', dossier.ins_key),
      ),
    ]);
    const opened = await q.first(
      store,
      q.db
        .selectFrom('dossiers')
        .select(['birth_name', 'first_names as prenoms', 'used_name', 'birth_name_norm'])
        .where('birth_name_norm', '=', 'MULLER ELOISE'),
    );
    expect(opened).toEqual({
      birth_name: 'Müller-Éloïse',
      prenoms: 'Anne Marie',
      used_name: 'Dupont',
      birth_name_norm: 'MULLER ELOISE',
    });
    const [stored] = await raw.all<Record<string, unknown>>('SELECT * FROM dossiers');
    expect(String(stored?.birth_name)).toMatch(/^enc:v2:/);
    expect(String(stored?.used_name)).toMatch(/^enc:v2:/);
    expect(JSON.stringify(stored)).not.toMatch(/Müller|Anne|Dupont/);
    expect(stored).toMatchObject({ birth_name_norm: 'MULLER ELOISE', birth_date: '1979-03-28', sex: 'F' });
    // select * opens every sealed column it returns.
    const all = await q.rows(store, q.db.selectFrom('dossiers').selectAll());
    expect(all[0]).toMatchObject({ birth_name: 'Müller-Éloïse', first_names: 'Anne Marie' });
    // The row key the plugin selects to open them stays out of the rows read.
    expect(Object.keys(all[0]!).filter((k) => k.startsWith('__'))).toEqual([]);
  });

  it('opens sealed columns read through table aliases, joins and unions, with the row key selected or not', async () => {
    const { store } = await sealedStore();
    const q = sqlFor(store);
    await store.write([
      q.statement(q.db.insertInto('dossiers').values(dossier)),
      q.statement(
        q.db.insertInto('dossier_legal_representatives').values({
          ins_key: dossier.ins_key,
          position: 0,
          last_name: 'Müller',
          first_names: 'Paul',
          relation: 'père',
        }),
      ),
    ]);
    const joined = await q.rows(
      store,
      q.db
        .selectFrom('dossiers as d')
        .innerJoin('dossier_legal_representatives as r', 'r.ins_key', 'd.ins_key')
        .select(['d.first_names as patient', 'r.first_names', 'r.last_name', 'd.ins_key']),
    );
    expect(joined).toEqual([
      { patient: 'Anne Marie', first_names: 'Paul', last_name: 'Müller', ins_key: dossier.ins_key },
    ]);
    const both = q.db.selectFrom('dossiers').select(['birth_name', 'ins_key']);
    const union = await q.rows(
      store,
      both.where('birth_name_norm', '=', 'MULLER ELOISE').union(both.where('used_name_norm', '=', 'X')),
    );
    expect(union).toEqual([{ birth_name: 'Müller-Éloïse', ins_key: dossier.ins_key }]);
  });

  it('refuses a write it cannot bind to its row: no row key in an INSERT, no key equality in an UPDATE, a key change', () => {
    const q = sqlFor({ dialect: 'postgres', queryPlugins: [fieldSealingPlugin(key)] });
    const { ins_key: _key, ...withoutKey } = dossier;
    expect(() =>
      q.db
        .insertInto('dossiers')
        .values(withoutKey as typeof dossier)
        .compile(),
    ).toThrow(/row key/);
    expect(() =>
      q.db.updateTable('dossiers').set({ used_name: 'Dupont' }).where('matricule', '=', 'x').compile(),
    ).toThrow(/row key/);
    expect(() =>
      q.db.updateTable('documents').set({ title: 'T' }).where('id', 'in', ['a', 'b']).compile(),
    ).toThrow(/row key/);
    expect(() =>
      q.db.updateTable('dossiers').set({ ins_key: 'y' }).where('ins_key', '=', 'x').compile(),
    ).toThrow(/row key/);
    // The key given by equality, alongside other conditions: fine.
    expect(() =>
      q.db
        .updateTable('documents')
        .set({ title: 'T' })
        .where('id', '=', 'a')
        .where('ins_key', '=', 'k')
        .where('deleted_at', 'is', null)
        .compile(),
    ).not.toThrow();
    // Clear columns need no key.
    expect(() => q.db.updateTable('documents').set({ status: 'archived' }).compile()).not.toThrow();
  });

  it('refuses a query that would compare or order by a sealed column', () => {
    const q = sqlFor({ dialect: 'postgres', queryPlugins: [fieldSealingPlugin(key)] });
    expect(() => q.db.selectFrom('dossiers').select('ins_key').orderBy('birth_name').compile()).toThrow(
      /sealed/,
    );
    expect(() =>
      q.db.selectFrom('dossiers').select('ins_key').where('first_names', '=', 'Anne').compile(),
    ).toThrow(/sealed/);
    expect(() =>
      q.db
        .selectFrom('dossiers')
        .select('ins_key')
        .where('birth_name_norm', '=', 'X')
        .orderBy('birth_name_norm')
        .compile(),
    ).not.toThrow();
  });
});
