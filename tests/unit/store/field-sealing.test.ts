import { randomBytes } from 'node:crypto';
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

describe('field sealing (AES-256-GCM at rest, a Kysely plugin)', () => {
  it('seals text and bytes so only the key opens them, bound to their table and column', () => {
    const sealer = fieldSealer(key);
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.uint8Array()), (value) => {
        const sealed = sealer.seal('documents', 'content', value);
        expect(sealed).not.toEqual(value);
        expect(sealer.open('documents', 'content', sealed)).toEqual(value);
        expect(() => sealer.open('documents', 'payload', sealed)).toThrow(/clé de chiffrement/);
        expect(() => fieldSealer(randomBytes(32)).open('documents', 'content', sealed)).toThrow();
      }),
      { numRuns: 50 },
    );
    // The same value twice gives two different ciphertexts (random IV): no equality leaks.
    expect(sealer.seal('dossiers', 'first_names', 'Anne')).not.toEqual(
      sealer.seal('dossiers', 'first_names', 'Anne'),
    );
    expect(() => fieldSealer(randomBytes(16))).toThrow();
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
    expect(String(stored?.birth_name)).toMatch(/^enc:v1:/);
    expect(String(stored?.used_name)).toMatch(/^enc:v1:/);
    expect(JSON.stringify(stored)).not.toMatch(/Müller|Anne|Dupont/);
    expect(stored).toMatchObject({ birth_name_norm: 'MULLER ELOISE', birth_date: '1979-03-28', sex: 'F' });
    // select * opens every sealed column it returns.
    const all = await q.rows(store, q.db.selectFrom('dossiers').selectAll());
    expect(all[0]).toMatchObject({ birth_name: 'Müller-Éloïse', first_names: 'Anne Marie' });
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
