import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/main/log/logger';
import { storeErrorMessage } from '../../src/main/app/user-messages';
import { StoreError } from '../../src/main/store/errors';
import { openPgStore } from '../../src/main/store/pg/pg-store';
import type { Migration } from '../../src/main/store/types';
import { freshSchema, requirePgTestConnection } from '../support/test-store';

const migrations: Migration[] = [
  {
    version: 1,
    name: 'things',
    statements: () => [
      'CREATE TABLE things (id TEXT PRIMARY KEY, n INTEGER NOT NULL, bytes BYTEA, flag INTEGER)',
    ],
  },
  { version: 2, name: 'more', statements: () => ['CREATE TABLE more (k TEXT PRIMARY KEY)'] },
];

async function open(ms: Migration[] = migrations, connection?: pg.PoolConfig) {
  const conn = connection ?? (await freshSchema(requirePgTestConnection()));
  return { conn, store: await openPgStore({ connection: conn, log: silentLogger, migrations: ms }) };
}

describe('openPgStore', () => {
  it('gives rows the shapes of the sql.js store: bytes as Uint8Array, bigint and numeric as number, truth as 1/0', async () => {
    const { store } = await open();
    expect(store.dialect).toBe('postgres');
    await store.write([
      {
        sql: 'INSERT INTO things (id, n, bytes) VALUES ($1, $2, $3)',
        params: ['a', 7, new Uint8Array([0, 1, 255])],
      },
      { sql: 'INSERT INTO things (id, n, bytes) VALUES ($1, $2, $3)', params: ['b', 8, null] },
    ]);
    const [row] = await store.all('SELECT id, n, bytes FROM things WHERE id = $1', ['a']);
    expect(row).toEqual({ id: 'a', n: 7, bytes: new Uint8Array([0, 1, 255]) });
    expect(Object.getPrototypeOf(row?.bytes)).toBe(Uint8Array.prototype);
    const [agg] = await store.all(
      'SELECT COUNT(*) AS c, SUM(n) AS s, AVG(n) AS a, EXISTS (SELECT 1 FROM things) AS e, now() AS t FROM things',
    );
    expect(agg).toMatchObject({ c: 2, s: 15, a: 7.5, e: 1 });
    expect(typeof agg?.t).toBe('string');
    await store.close();
  });

  it('refuses a write through all() and rolls back the whole transaction when one statement fails', async () => {
    const { store } = await open();
    await expect(store.all("INSERT INTO things (id, n) VALUES ('x', 1)")).rejects.toMatchObject({
      reason: 'READ_ONLY_VIOLATION',
    });
    await expect(
      store.write([
        { sql: 'INSERT INTO things (id, n) VALUES ($1, $2)', params: ['y', 1] },
        { sql: 'INSERT INTO things (id, n) VALUES ($1, $2)', params: ['y', 2] },
      ]),
    ).rejects.toBeInstanceOf(StoreError);
    expect(await store.all('SELECT id FROM things')).toEqual([]);
    // An error thrown by the caller's chain builder passes through unchanged, nothing written.
    const mine = new Error('mine');
    await expect(
      store.writeChained({
        statements: [{ sql: 'INSERT INTO things (id, n) VALUES ($1, $2)', params: ['z', 1] }],
        chain: async () => {
          throw mine;
        },
      }),
    ).rejects.toBe(mine);
    expect(await store.all('SELECT id FROM things')).toEqual([]);
    await store.close();
    await expect(store.all('SELECT 1')).rejects.toMatchObject({ reason: 'CLOSED' });
  });

  it('applies each migration once when several hosts start together, and refuses a newer schema', async () => {
    const conn = await freshSchema(requirePgTestConnection());
    const stores = await Promise.all(
      Array.from({ length: 4 }, () => openPgStore({ connection: conn, log: silentLogger, migrations })),
    );
    const versions = await stores[0]!.all('SELECT version, name FROM schema_migrations ORDER BY version');
    expect(versions).toEqual([
      { version: 1, name: 'things' },
      { version: 2, name: 'more' },
    ]);
    await Promise.all(stores.map((s) => s.close()));
    await expect(
      openPgStore({ connection: conn, log: silentLogger, migrations: migrations.slice(0, 1) }),
    ).rejects.toMatchObject({ reason: 'TOO_NEW' });
    // A failing migration leaves nothing behind.
    const broken: Migration = {
      version: 3,
      name: 'broken',
      statements: () => ['CREATE TABLE x (a INT)', 'SELECT nope'],
    };
    await expect(
      openPgStore({ connection: conn, log: silentLogger, migrations: [...migrations, broken] }),
    ).rejects.toMatchObject({ reason: 'MIGRATION_FAILED' });
    const { store } = await open(migrations, conn);
    expect(
      await store.all(
        "SELECT 1 FROM information_schema.tables WHERE table_name = 'x' AND table_schema = current_schema()",
      ),
    ).toEqual([]);
    await store.close();
  });

  it('says in French that the database is unreachable, naming no patient data', async () => {
    const conn = { ...(await freshSchema(requirePgTestConnection())), port: 1 };
    const err: unknown = await openPgStore({ connection: conn, log: silentLogger, migrations }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).reason).toBe('IO');
    // The store says what happened; the French for the user is chosen at the boundary.
    expect(storeErrorMessage(err as StoreError)).toBe('La base de données est injoignable.');
  });
});
