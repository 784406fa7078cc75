import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bulkLoadPopulation } from '../../bench/support/pg-bulk-load';
import { sqlFor } from '../../src/main/db/query-builder';
import { DmpService } from '../../src/main/dmp/dmp-service';
import { dmpMigrations } from '../../src/main/dmp/migrations';
import { silentLogger } from '../../src/main/log/logger';
import {
  populationRows,
  populationTables,
  writePopulation,
} from '../../src/main/population/write-population';
import { sealedColumns } from '../../src/main/store/pg/field-sealing';
import { openPgStore } from '../../src/main/store/pg/pg-store';
import type { Store } from '../../src/main/store/types';
import { freshSchema, requirePgTestConnection } from '../support/test-store';

const spec = {
  patients: 60,
  seed: 'bulk-load',
  reference: new Date('2026-11-01T00:00:00Z'),
  // As in the host bench: every dossier, clinical content for some of them.
  clinicalContent: (dossier: number) => dossier % 3 !== 1,
};

const primaryKey = {
  identity_reference: ['matricule', 'oid'],
  dossiers: ['ins_key'],
  documents: ['id'],
  clinical_entries: ['id'],
} as const;

/** Every row of the population tables, read through the store (sealed columns opened by its plugin). */
async function contents(store: Store): Promise<Record<string, unknown[]>> {
  const q = sqlFor(store);
  const out: Record<string, unknown[]> = {};
  for (const table of populationTables) {
    let query = q.db.selectFrom(table).selectAll();
    for (const column of primaryKey[table]) query = query.orderBy(column);
    out[table] = await q.rows(store, query);
  }
  return out;
}

describe('host bench bulk loader (COPY)', () => {
  it('loads what writePopulation writes through the store: same rows, same summaries and searches, sealed at rest', async () => {
    const cluster = requirePgTestConnection();
    const fieldKey = randomBytes(32);
    // Both schemas are read through the real store with the same field key.
    const openWithKey = (connection: Awaited<ReturnType<typeof freshSchema>>) =>
      openPgStore({ connection, log: silentLogger, migrations: dmpMigrations, fieldKey });
    const viaStoreConnection = await freshSchema(cluster);
    const viaStore = await openWithKey(viaStoreConnection);
    const copiedConnection = await freshSchema(cluster);
    // Migrated without the key, as the host bench does: the loader marks the database as sealed.
    await (
      await openPgStore({ connection: copiedConnection, log: silentLogger, migrations: dmpMigrations })
    ).close();
    let copied: Store | undefined;
    try {
      const stats = await writePopulation(viaStore, spec);
      // Small chunks: several COPY rounds, each table in several pieces, indexes dropped and rebuilt.
      const loaded = await bulkLoadPopulation({
        connection: copiedConnection,
        fieldKey,
        rows: populationRows(spec),
        chunkBytes: 20_000,
      });
      expect(loaded.counts).toEqual({
        identity_reference: stats.dossiers,
        dossiers: stats.dossiers,
        documents: stats.documents,
        clinical_entries: stats.entries,
      });
      expect(stats.documents).toBeGreaterThan(0);
      // A host with the field key starts on it (sealing-marker.ts), one with another key does not.
      copied = await openWithKey(copiedConnection);
      await expect(
        openPgStore({
          connection: copiedConnection,
          log: silentLogger,
          migrations: dmpMigrations,
          fieldKey: randomBytes(32),
        }),
      ).rejects.toMatchObject({ reason: 'WRONG_KEY' });

      const expected = await contents(viaStore);
      expect(await contents(copied)).toEqual(expected);

      // The indexes the migrations made are all back.
      const indexes = async (store: Store) =>
        (
          await store.all<{ d: string }>(
            `SELECT regexp_replace(indexdef, ' ON [^ ]+ ', ' ON ') AS d FROM pg_indexes WHERE schemaname = current_schema() ORDER BY 1`,
          )
        ).map((r) => r.d);
      expect(await indexes(copied)).toEqual(await indexes(viaStore));

      // Sealed at rest with the field key: the raw columns hold ciphertext only.
      const raw = await copied.all<Record<string, unknown>>(
        `SELECT ${sealedColumns.clinical_entries!.columns.join(', ')} FROM clinical_entries LIMIT 5`,
      );
      expect(raw.length).toBeGreaterThan(0);
      for (const row of raw)
        for (const value of Object.values(row)) if (value !== null) expect(String(value)).toMatch(/^enc:v2:/);
      const rawNames = await copied.all<{ birth_name: string }>('SELECT birth_name FROM dossiers');
      expect(rawNames.every((r) => r.birth_name.startsWith('enc:v2:'))).toBe(true);

      // The DMP service answers the same on both.
      const now = () => new Date('2026-11-15T00:00:00Z');
      const a = new DmpService({ store: viaStore, log: silentLogger, now });
      const b = new DmpService({ store: copied, log: silentLogger, now });
      let clinicalItems = 0;
      const dossiers = expected.dossiers as {
        ins_key: string;
        birth_name_norm: string;
        birth_date: string;
      }[];
      for (const d of dossiers.slice(0, 6)) {
        const summary = await b.getSummary({ system: 'test' }, d.ins_key);
        expect(summary).toEqual(await a.getSummary({ system: 'test' }, d.ins_key));
        clinicalItems += summary.immunizations.length + summary.medications.length + summary.problems.length;
        const query = { name: d.birth_name_norm.slice(0, 3), birthDate: d.birth_date };
        expect(await b.searchDossiers(query)).toEqual(await a.searchDossiers(query));
      }
      expect(clinicalItems).toBeGreaterThan(0);
    } finally {
      await viaStore.close();
      await copied?.close();
    }
  });
});
