import {
  OperationNodeTransformer,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type PrimitiveValueListNode,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
  type ValueNode,
} from 'kysely';
import { describe, expect, it } from 'vitest';
import { dmpMigrations } from '../../../src/main/dmp/migrations';
import { sqlFor, queryBuilder } from '../../../src/main/db/query-builder';
import { openMemoryStore } from '../../../src/main/store/memory-store';

const reverse = (v: unknown): unknown => (typeof v === 'string' ? [...v].reverse().join('') : v);

/** A stand-in for column sealing: every string value written is reversed, every string read is reversed back. */
class ReverseStrings extends OperationNodeTransformer {
  protected override transformValue(node: ValueNode): ValueNode {
    return { ...super.transformValue(node), value: reverse(node.value) };
  }
  protected override transformPrimitiveValueList(node: PrimitiveValueListNode): PrimitiveValueListNode {
    return { ...super.transformPrimitiveValueList(node), values: node.values.map(reverse) };
  }
}

const reversePlugin: KyselyPlugin = {
  transformQuery: (args: PluginTransformQueryArgs): RootOperationNode =>
    new ReverseStrings().transformNode(args.node),
  transformResult: async (args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> => ({
    ...args.result,
    rows: args.result.rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, reverse(v)]))),
  }),
};

describe('query builder', () => {
  it('compiles one query for each dialect: ? for sql.js, $n for PostgreSQL', () => {
    const build = (dialect: 'sqlite' | 'postgres') =>
      queryBuilder(dialect)
        .selectFrom('dossiers')
        .select(['ins_key', 'birth_name'])
        .where('matricule', '=', '1')
        .where('oid', '=', '2')
        .compile();
    expect(build('sqlite').sql).toBe(
      'select "ins_key", "birth_name" from "dossiers" where "matricule" = ? and "oid" = ?',
    );
    expect(build('postgres').sql).toBe(
      'select "ins_key", "birth_name" from "dossiers" where "matricule" = $1 and "oid" = $2',
    );
  });

  it('runs the store plugins on every query written and every row read (Store.queryPlugins)', async () => {
    const store = await openMemoryStore(dmpMigrations, { queryPlugins: [reversePlugin] });
    const q = sqlFor(store);
    await store.write([
      q.statement(q.db.insertInto('audit_head').values({ id: 1, count: 3, last_hash: 'abc' })),
    ]);
    // As the database holds it: transformed on the way in.
    expect(await store.all('SELECT last_hash FROM audit_head')).toEqual([{ last_hash: 'cba' }]);
    // Through the builder: transformed back on the way out.
    expect(await q.rows(store, q.db.selectFrom('audit_head').select(['count', 'last_hash']))).toEqual([
      { count: 3, last_hash: 'abc' },
    ]);
  });

  it('insert() reuses the SQL of a row shape, with exactly what a full compile gives, in both dialects', () => {
    const rows = [
      {
        document_id: 'd1',
        position: 0,
        code: null,
        title: 'Allergies',
        narrative_html: '<p/>',
        entry_count: 2,
      },
      { document_id: 'd1', position: 1, code: '48765-2', title: null, narrative_html: '', entry_count: 0 },
      // Another shape (title left out), then the first again, keys in another order.
      { document_id: 'd2', position: 0, code: null, narrative_html: 'x', entry_count: 1 },
      { entry_count: 3, narrative_html: 'y', title: 'T', code: 'c', position: 5, document_id: 'd3' },
    ];
    for (const dialect of ['sqlite', 'postgres'] as const) {
      const q = sqlFor({ dialect });
      for (const row of rows) {
        expect(q.insert('document_sections', row)).toEqual(
          q.statement(q.db.insertInto('document_sections').values(row)),
        );
      }
    }
  });

  it('refuses a parameter the store could not bind', () => {
    const q = sqlFor({ dialect: 'sqlite' });
    expect(() =>
      q.statement(q.db.updateTable('dossiers').set({ status: true as unknown as 'active' })),
    ).toThrow(/not string, number, null or bytes/);
  });
});
