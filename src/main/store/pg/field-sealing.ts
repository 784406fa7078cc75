import { createCipheriv, createDecipheriv, randomFillSync } from 'node:crypto';
import {
  AliasNode,
  ColumnNode,
  IdentifierNode,
  ReferenceNode,
  SelectionNode,
  TableNode,
  type InsertQueryNode,
  type KyselyPlugin,
  type OperationNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type SelectQueryNode,
  type UnknownRow,
  type UpdateQueryNode,
} from 'kysely';
import { StoreError } from '../errors';
import { labelledKeyFingerprint } from '../key';

/**
 * Encryption at rest of designated columns on the shared host's PostgreSQL (docs/host.md, « Encryption
 * at rest »): AES-256-GCM under the host's field key, applied by the application, so the database
 * server, its backups and its administrator hold ciphertext for these columns.
 *
 * Each sealed value is bound to its table, its column and its row's key (`key`: the primary key,
 * known at insert since the application chooses every one, plus the owning dossier where the row
 * has one), so a value moved to another row, column or dossier no longer opens. Kept in clear: what the database must compare, join or order (ids, INS, normalised
 * search keys, birth date, sex, statuses, dates of deposit, kinds, codes used by queries).
 */
export interface SealedTable {
  /**
   * What binds every sealed value of a row: its primary key — and, for documents and clinical
   * entries, the dossier they belong to, so that moving one to another patient's dossier by
   * changing `ins_key` leaves values that no longer open.
   */
  readonly key: readonly string[];
  /** The columns sealed at rest. */
  readonly columns: readonly string[];
}

export const sealedColumns: Readonly<Record<string, SealedTable>> = {
  // The patient's names as written (display); searched through birth_name_norm / used_name_norm.
  dossiers: { key: ['ins_key'], columns: ['birth_name', 'used_name', 'first_names', 'closed_reason'] },
  dossier_legal_representatives: { key: ['ins_key', 'position'], columns: ['last_name', 'first_names'] },
  identity_reference: { key: ['matricule', 'oid'], columns: ['birth_name', 'first_names'] },
  documents: { key: ['id', 'ins_key'], columns: ['title', 'content', 'payload'] },
  document_sections: { key: ['document_id', 'position'], columns: ['title', 'narrative_html'] },
  // The code (CIM-10, ATC…) says the diagnosis or the drug as plainly as the label; summaries compare codes after reading.
  clinical_entries: { key: ['id', 'ins_key'], columns: ['label', 'code', 'code_display', 'detail', 'data'] },
  // The bris de glace reason is free text typed by the professional (may describe the patient's state).
  audit_log: { key: ['seq'], columns: ['reason'] },
};

/** The values of a row's primary key columns (`SealedTable.key`), in that order. */
export type RowKey = readonly unknown[];

/**
 * A sealed text value: `enc:v2:` + base64(iv ‖ ciphertext ‖ tag); sealed bytes: `\0ENC2` + the same.
 * Version 1 (`enc:v1:`, `\0ENC1`) bound table and column only; it is read by `seal-existing` alone.
 */
const textPrefix = 'enc:v2:';
const bytesMagic = Uint8Array.from([0x00, 0x45, 0x4e, 0x43, 0x32]); // \0ENC2
const v1TextPrefix = 'enc:v1:';
const v1BytesMagic = Uint8Array.from([0x00, 0x45, 0x4e, 0x43, 0x31]); // \0ENC1
const ivBytes = 12;
const tagBytes = 16;

export interface FieldSealer {
  /** Seals a value of `table.column` in the row whose primary key is `rowKey`; null stays null. */
  seal(table: string, column: string, rowKey: RowKey, value: unknown): unknown;
  /**
   * Opens a value sealed by `seal` for this very row; null stays null. Anything else — clear text, a
   * version 1 value, a value of another row or column, another key — is refused (StoreError
   * WRONG_KEY, `sealed-field`), its detail naming table.column, never the value.
   */
  open(table: string, column: string, rowKey: RowKey, value: unknown): unknown;
  /** For `seal-existing` only: whether a stored value is already in the current format. */
  isCurrent(value: unknown): boolean;
  /** For `seal-existing` only: a version 1 value opened (table and column checked), clear values as they are. */
  openLegacy(table: string, column: string, value: unknown): unknown;
}

/** The AAD of a version 2 value: table, column and row key, unambiguously (JSON of strings). */
function rowAad(table: string, column: string, rowKey: RowKey): Buffer {
  const key = rowKey.map((v) => {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' && Number.isInteger(v)) return String(v);
    throw new TypeError(`${table}.${column} is sealed at rest: its row key must be text or whole numbers`);
  });
  return Buffer.from(JSON.stringify(['dmp-sealed-v2', table, column, key]), 'utf8');
}

/** The key's public fingerprint (the database's sealing marker): an HMAC of a fixed label, never the key. */
export function fieldKeyFingerprint(key: Uint8Array): string {
  return labelledKeyFingerprint(key, 'poste-dmp field key fingerprint v1');
}

export function fieldSealer(key: Uint8Array): FieldSealer {
  if (key.length !== 32)
    throw new StoreError('KEY_INVALID', 'field key must be 32 bytes', { subject: 'key' });
  // Random IVs drawn 256 at a time: one CSPRNG call for many values (an IPS-FR deposit seals ~200),
  // the same random bytes one call per value would give. Each IV is copied out before the next draw.
  const ivs = Buffer.alloc(ivBytes * 256);
  let ivsUsed = ivs.length;
  /**
   * Writes iv ‖ ciphertext ‖ tag into `out` from `at` (ivBytes + plain.length + tagBytes bytes): the one
   * copy of the body is the cipher's output into place (a 1.5 MB document was copied three times).
   */
  const encryptInto = (aad: Buffer, plain: Uint8Array, out: Uint8Array, at: number): void => {
    if (ivsUsed === ivs.length) {
      randomFillSync(ivs);
      ivsUsed = 0;
    }
    ivs.copy(out, at, ivsUsed, ivsUsed + ivBytes);
    ivsUsed += ivBytes;
    const cipher = createCipheriv('aes-256-gcm', key, out.subarray(at, at + ivBytes));
    cipher.setAAD(aad);
    let end = at + ivBytes;
    end += cipher.update(plain).copy(out, end);
    end += cipher.final().copy(out, end);
    // GCM is a stream mode: as many ciphertext bytes as plain ones, or the layout above is wrong.
    if (end !== at + ivBytes + plain.length) throw new Error('AES-GCM output of an unexpected length');
    cipher.getAuthTag().copy(out, end);
  };
  const decrypt = (where: string, aad: Buffer, sealed: Uint8Array): Buffer => {
    if (sealed.length < ivBytes + tagBytes) throw unreadable(where, 'is too short');
    const iv = sealed.subarray(0, ivBytes);
    const tag = sealed.subarray(sealed.length - tagBytes);
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([
        decipher.update(sealed.subarray(ivBytes, sealed.length - tagBytes)),
        decipher.final(),
      ]);
    } catch {
      throw unreadable(where, 'does not open with this field key for this row (another key, row or column)');
    }
  };
  const openWith = (
    where: string,
    aad: () => Buffer,
    value: unknown,
    prefix: string,
    magic: Uint8Array,
  ): { opened: unknown } | null => {
    if (typeof value === 'string' && value.startsWith(prefix))
      return {
        opened: decrypt(where, aad(), Buffer.from(value.slice(prefix.length), 'base64')).toString('utf8'),
      };
    if (value instanceof Uint8Array && startsWith(value, magic)) {
      const plain = decrypt(where, aad(), value.subarray(magic.length));
      return { opened: new Uint8Array(plain.buffer, plain.byteOffset, plain.byteLength).slice() };
    }
    return null;
  };
  return {
    seal(table, column, rowKey, value) {
      if (value === null || value === undefined) return value;
      const aad = rowAad(table, column, rowKey);
      if (typeof value === 'string') {
        const plain = Buffer.from(value, 'utf8');
        const out = Buffer.allocUnsafe(ivBytes + plain.length + tagBytes);
        encryptInto(aad, plain, out, 0);
        return textPrefix + out.toString('base64');
      }
      if (value instanceof Uint8Array) {
        const out = new Uint8Array(bytesMagic.length + ivBytes + value.length + tagBytes);
        out.set(bytesMagic);
        encryptInto(aad, value, out, bytesMagic.length);
        return out;
      }
      throw new TypeError(`${table}.${column} is sealed at rest: only text or bytes can be written to it`);
    },
    open(table, column, rowKey, value) {
      if (value === null || value === undefined) return value;
      const where = `${table}.${column}`;
      const found = openWith(where, () => rowAad(table, column, rowKey), value, textPrefix, bytesMagic);
      if (found) return found.opened;
      // Clear text or a version 1 value where only sealed values may be: written behind the host's back
      // (or never converted by seal-existing). Shown as it is, it would pass for authentic.
      throw unreadable(
        where,
        typeof value === 'string' && value.startsWith(v1TextPrefix)
          ? 'holds a version 1 value (not bound to its row): run seal-existing'
          : 'holds a value that is not sealed',
      );
    },
    isCurrent(value) {
      return (
        value === null ||
        (typeof value === 'string' && value.startsWith(textPrefix)) ||
        (value instanceof Uint8Array && startsWith(value, bytesMagic))
      );
    },
    openLegacy(table, column, value) {
      const where = `${table}.${column}`;
      const found = openWith(
        where,
        () => Buffer.from(`${table}.${column}`, 'utf8'),
        value,
        v1TextPrefix,
        v1BytesMagic,
      );
      return found ? found.opened : value;
    },
  };
}

function startsWith(value: Uint8Array, magic: Uint8Array): boolean {
  return value.length >= magic.length && magic.every((b, i) => value[i] === b);
}

function unreadable(where: string, why: string): StoreError {
  return new StoreError('WRONG_KEY', `sealed column ${where}: the stored value ${why}`, {
    subject: 'sealed-field',
  });
}

/** Output name → what it reads: a sealed table.column, and the hidden selections holding its row key. */
interface SealedRead {
  table: string;
  column: string;
  keyAliases: readonly string[];
}

/** Prefix of the row-key selections the plugin adds to a SELECT (removed from the rows read). */
const hiddenKeyPrefix = '__sealed_key_';

/**
 * The Kysely plugin given to the PostgreSQL store (`Store.queryPlugins`): values written to a
 * sealed column by an INSERT or UPDATE are sealed, with their row's key, as the query is compiled;
 * the selected sealed columns of a SELECT are opened in the rows read, the row key being selected
 * too under hidden names (removed again). A query that would make the database compare, group or
 * order by a sealed column is refused: ciphertext would give a wrong answer silently. So is a write
 * whose row key the plugin cannot know (docs/host.md, « Encryption at rest »).
 */
export function fieldSealingPlugin(key: Uint8Array): KyselyPlugin {
  const sealer = fieldSealer(key);
  /** Per compiled query: the sealed columns it reads, and the hidden row-key selections it added. */
  const readsByQuery = new WeakMap<object, { reads: Map<string, SealedRead>; hidden: string[] }>();

  return {
    transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
      refuseSealedPredicates(node);
      switch (node.kind) {
        case 'InsertQueryNode':
          return sealInsert(node, sealer);
        case 'UpdateQueryNode':
          return sealUpdate(node, sealer);
        case 'SelectQueryNode': {
          const planned = planSealedSelect(node);
          if (!planned) return node;
          readsByQuery.set(queryId, { reads: planned.reads, hidden: planned.hidden });
          return planned.node;
        }
        default:
          return node;
      }
    },
    async transformResult({ result, queryId }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      const plan = readsByQuery.get(queryId);
      if (!plan) return result;
      return {
        ...result,
        rows: result.rows.map((row) => {
          const opened: UnknownRow = { ...row };
          for (const [name, { table, column, keyAliases }] of plan.reads)
            if (name in opened)
              opened[name] = sealer.open(
                table,
                column,
                keyAliases.map((a) => row[a]),
                opened[name],
              );
          for (const alias of plan.hidden) delete opened[alias];
          return opened;
        }),
      };
    },
  };
}

function tableName(node: OperationNode | undefined): string | null {
  if (!node) return null;
  if (node.kind === 'TableNode')
    return (node as unknown as { table: { identifier: { name: string } } }).table.identifier.name;
  if (node.kind === 'AliasNode') return tableName((node as unknown as { node: OperationNode }).node);
  return null;
}

function columnName(node: OperationNode | undefined): string | null {
  if (!node) return null;
  if (node.kind === 'ColumnNode') return (node as unknown as { column: { name: string } }).column.name;
  if (node.kind === 'ReferenceNode') return columnName((node as unknown as { column: OperationNode }).column);
  return null;
}

const isSealed = (table: string | null, column: string | null): boolean =>
  table !== null && column !== null && (sealedColumns[table]?.columns.includes(column) ?? false);

const identifierName = (node: unknown): string | null =>
  (node as { name?: unknown } | undefined)?.name !== undefined
    ? String((node as { name: unknown }).name)
    : null;

function refuseWrite(table: string, why: string): never {
  throw new TypeError(`${table} has columns sealed at rest: ${why}`);
}

/** A row key from written values: each key column must be given as a plain value. */
function keyFromValues(table: string, values: ReadonlyMap<string, unknown>): RowKey {
  const spec = sealedColumns[table]!;
  return spec.key.map((column) => {
    const v = values.get(column);
    if (v === undefined || v === null)
      refuseWrite(table, `a sealed column is written without its row key ${spec.key.join(', ')}`);
    return v;
  });
}

function sealInsert(node: InsertQueryNode, sealer: FieldSealer): InsertQueryNode {
  const table = tableName(node.into);
  const spec = table ? sealedColumns[table] : undefined;
  if (!table || !spec) return node;
  const columns = (node.columns ?? []).map((c) => columnName(c));
  const writesSealed =
    columns.some((c) => isSealed(table, c)) ||
    (node.onConflict?.updates ?? []).some((u) => isSealed(table, columnName(u.column)));
  if (!writesSealed) return node;
  const values = node.values;
  if (values?.kind !== 'ValuesNode')
    refuseWrite(table, 'INSERT … SELECT cannot bind sealed values to their rows; insert values');
  const rowKeys: RowKey[] = [];
  const items = (values as unknown as { values: readonly OperationNode[] }).values.map((item) => {
    if (item.kind === 'PrimitiveValueListNode') {
      const raw = (item as unknown as { values: readonly unknown[] }).values;
      const rowKey = keyFromValues(table, new Map(columns.map((c, i) => [c ?? '', raw[i]])));
      rowKeys.push(rowKey);
      return {
        ...item,
        values: raw.map((v, i) =>
          isSealed(table, columns[i] ?? null) ? sealer.seal(table, columns[i]!, rowKey, v) : v,
        ),
      };
    }
    if (item.kind === 'ValueListNode') {
      const list = (item as unknown as { values: readonly OperationNode[] }).values;
      const plain = new Map(
        columns.map((c, i) => {
          const v = list[i];
          return [c ?? '', v?.kind === 'ValueNode' ? (v as unknown as { value: unknown }).value : undefined];
        }),
      );
      const rowKey = keyFromValues(table, plain);
      rowKeys.push(rowKey);
      return {
        ...item,
        values: list.map((v, i) =>
          isSealed(table, columns[i] ?? null) ? sealValueNode(table, columns[i]!, rowKey, v, sealer) : v,
        ),
      };
    }
    return refuseWrite(table, `cannot read the row key of a ${item.kind}`);
  });
  let onConflict = node.onConflict;
  if (onConflict?.updates?.some((u) => isSealed(table, columnName(u.column)))) {
    // The conflicting row is the inserted row's only if the conflict is on the row key itself.
    const target = (onConflict.columns ?? []).map((c) => columnName(c));
    const onKey = target.length === spec.key.length && spec.key.every((k) => target.includes(k));
    if (!onKey) refuseWrite(table, 'an upsert may update sealed columns only on a conflict of its row key');
    const rowKey = rowKeys.length === 1 ? rowKeys[0]! : null;
    onConflict = {
      ...onConflict,
      updates: onConflict.updates!.map((u) => {
        const column = columnName(u.column);
        if (!isSealed(table, column)) return u;
        // `excluded.col`: the inserted value, sealed above with the same row key.
        if (u.value.kind === 'ReferenceNode' && columnName(u.value) === column) return u;
        if (!rowKey) refuseWrite(table, 'a multi-row upsert may only copy sealed values from excluded');
        return { ...u, value: sealValueNode(table, column!, rowKey, u.value, sealer) };
      }),
    };
  }
  return {
    ...node,
    values: { ...values, values: items } as OperationNode,
    ...(onConflict ? { onConflict } : {}),
  } as InsertQueryNode;
}

/** The equalities `column = value` the WHERE requires (its top-level ANDs), for columns of `table`. */
function whereEqualities(table: string, where: OperationNode | undefined): Map<string, unknown> {
  const found = new Map<string, unknown>();
  const visit = (n: OperationNode | undefined): void => {
    if (!n) return;
    if (n.kind === 'WhereNode') return visit((n as unknown as { where: OperationNode }).where);
    if (n.kind === 'ParensNode') return visit((n as unknown as { node: OperationNode }).node);
    if (n.kind === 'AndNode') {
      const and = n as unknown as { left: OperationNode; right: OperationNode };
      visit(and.left);
      visit(and.right);
      return;
    }
    if (n.kind !== 'BinaryOperationNode') return;
    const op = n as unknown as {
      leftOperand: OperationNode;
      operator: OperationNode;
      rightOperand: OperationNode;
    };
    if ((op.operator as unknown as { operator?: string }).operator !== '=') return;
    if (op.rightOperand.kind !== 'ValueNode') return;
    const qualifier =
      op.leftOperand.kind === 'ReferenceNode'
        ? tableName((op.leftOperand as unknown as { table?: OperationNode }).table)
        : null;
    if (qualifier !== null && qualifier !== table) return;
    const column = columnName(op.leftOperand);
    if (column && !found.has(column))
      found.set(column, (op.rightOperand as unknown as { value: unknown }).value);
  };
  visit(where);
  return found;
}

function sealUpdate(node: UpdateQueryNode, sealer: FieldSealer): UpdateQueryNode {
  const table = tableName(node.table);
  const spec = table ? sealedColumns[table] : undefined;
  if (!table || !spec || !node.updates) return node;
  const updated = node.updates.map((u) => columnName(u.column));
  if (updated.some((c) => c !== null && spec.key.includes(c)))
    refuseWrite(
      table,
      `its row key (${spec.key.join(', ')}) cannot change: the row's sealed values are bound to it`,
    );
  if (!updated.some((c) => isSealed(table, c))) return node;
  // The one row the UPDATE may touch is the one the WHERE names by its key.
  const rowKey = keyFromValues(table, whereEqualities(table, node.where));
  return {
    ...node,
    updates: node.updates.map((u) => {
      const column = columnName(u.column);
      if (!isSealed(table, column)) return u;
      return { ...u, value: sealValueNode(table, column!, rowKey, u.value, sealer) };
    }),
  };
}

function sealValueNode(
  table: string,
  column: string,
  rowKey: RowKey,
  node: OperationNode,
  sealer: FieldSealer,
): OperationNode {
  if (node.kind === 'ValueNode') {
    const v = node as unknown as { value: unknown };
    return { ...node, value: sealer.seal(table, column, rowKey, v.value) } as OperationNode;
  }
  throw new TypeError(`${table}.${column} is sealed at rest: write it as a value, not an expression`);
}

/** The tables a SELECT reads, under the names its references use (an alias, or the table's own name). */
function selectInstances(node: SelectQueryNode): { name: string; table: string }[] {
  const froms = [
    ...(node.from?.froms ?? []),
    ...(node.joins ?? []).map((j) => (j as unknown as { table: OperationNode }).table),
  ];
  const out: { name: string; table: string }[] = [];
  for (const f of froms) {
    const table = tableName(f);
    if (!table) continue;
    const alias =
      f.kind === 'AliasNode' ? identifierName((f as unknown as { alias: OperationNode }).alias) : null;
    out.push({ name: alias ?? table, table });
  }
  return out;
}

/** The hidden row-key aliases a SELECT already carries (the plugin saw it before). */
function hiddenSelections(node: SelectQueryNode): string[] {
  return (node.selections ?? []).flatMap((s) => {
    const sel = s.selection as OperationNode;
    const alias =
      sel.kind === 'AliasNode' ? identifierName((sel as unknown as { alias: OperationNode }).alias) : null;
    return alias?.startsWith(hiddenKeyPrefix) ? [alias] : [];
  });
}

const refNode = (qualifier: string, column: string): OperationNode =>
  ReferenceNode.create(ColumnNode.create(column), TableNode.create(qualifier));

/**
 * The sealed columns a SELECT reads (output name → table.column, aliases and `select *` included),
 * and the same query with each such table's row key selected too, under hidden names.
 */
function planSealedSelect(
  node: SelectQueryNode,
): { node: SelectQueryNode; reads: Map<string, SealedRead>; hidden: string[] } | null {
  const instances = selectInstances(node);
  const byName = new Map(instances.map((t, i) => [t.name, { ...t, index: i }]));
  const reads = new Map<string, SealedRead>();
  const hidden = new Map<string, SelectionNode>();
  const read = (output: string, instance: { name: string; table: string; index: number }, column: string) => {
    const keyAliases = sealedColumns[instance.table]!.key.map((k) => {
      const alias = `${hiddenKeyPrefix}${instance.index}_${k}`;
      if (!hidden.has(alias))
        hidden.set(
          alias,
          SelectionNode.create(AliasNode.create(refNode(instance.name, k), IdentifierNode.create(alias))),
        );
      return alias;
    });
    reads.set(output, { table: instance.table, column, keyAliases });
  };
  for (const s of node.selections ?? []) {
    let sel = s.selection as OperationNode;
    let alias: string | null = null;
    if (sel.kind === 'AliasNode') {
      const a = sel as unknown as { node: OperationNode; alias: OperationNode };
      alias = identifierName(a.alias);
      sel = a.node;
    }
    const qualifier =
      sel.kind === 'ReferenceNode' ? tableName((sel as unknown as { table?: OperationNode }).table) : null;
    if (
      sel.kind === 'SelectAllNode' ||
      (sel.kind === 'ReferenceNode' &&
        (sel as unknown as { column: OperationNode }).column.kind === 'SelectAllNode')
    ) {
      // As the driver does with duplicate names, a later table's column wins.
      for (const instance of byName.values())
        if (!qualifier || instance.name === qualifier)
          for (const column of sealedColumns[instance.table]?.columns ?? []) read(column, instance, column);
      continue;
    }
    const column = columnName(sel);
    if (!column) continue;
    const owner = qualifier
      ? byName.get(qualifier)
      : [...byName.values()].find((t) => isSealed(t.table, column));
    if (owner && isSealed(owner.table, column)) read(alias ?? column, owner, column);
  }
  const branches = (node.setOperations ?? []).map((op) => {
    const branch = (op as unknown as { expression: OperationNode }).expression;
    if (branch.kind !== 'SelectQueryNode') return op;
    // A branch built by this Kysely instance went through the plugin already (its builder's node).
    const done = hiddenSelections(branch as SelectQueryNode);
    const planned = done.length > 0 ? null : planSealedSelect(branch as SelectQueryNode);
    const added = done.length > 0 ? done : (planned?.hidden ?? []);
    // UNION branches must add the same hidden columns, in the same order, as the first query.
    if (JSON.stringify(added) !== JSON.stringify([...hidden.keys()]))
      throw new TypeError(
        'a UNION of queries reading sealed columns must read them from the same tables in the same order',
      );
    return planned ? { ...op, expression: planned.node } : op;
  });
  if (reads.size === 0) return null;
  return {
    node: {
      ...node,
      selections: [...(node.selections ?? []), ...hidden.values()],
      ...(node.setOperations ? { setOperations: branches as SelectQueryNode['setOperations'] } : {}),
    },
    reads,
    hidden: [...hidden.keys()],
  };
}

/** Refuses WHERE / ORDER BY / GROUP BY / HAVING / JOIN ON / DISTINCT ON naming a sealed column of a table in the query. */
function refuseSealedPredicates(node: RootOperationNode): void {
  const tables = new Set<string>();
  collect(node, (n) => {
    const t = tableName(n);
    if (t && n.kind === 'TableNode') tables.add(t);
  });
  const sealedNames = new Set([...tables].flatMap((t) => sealedColumns[t]?.columns ?? []));
  if (sealedNames.size === 0) return;
  const record = node as unknown as Record<string, unknown>;
  const predicateParts: unknown[] = [
    record.where,
    record.orderBy,
    record.groupBy,
    record.having,
    record.distinctOn,
    ...((record.joins as { on?: unknown }[] | undefined) ?? []).map((j) => j.on),
    ...((record.setOperations as { expression?: unknown }[] | undefined) ?? []).map((s) => s.expression),
  ];
  for (const part of predicateParts) {
    if (!part || typeof part !== 'object') continue;
    // A UNION branch is a whole query: check its predicates the same way.
    if ((part as OperationNode).kind === 'SelectQueryNode') {
      refuseSealedPredicates(part as RootOperationNode);
      continue;
    }
    collect(part as OperationNode, (n) => {
      const c = n.kind === 'ColumnNode' ? columnName(n) : null;
      if (c && sealedNames.has(c))
        throw new TypeError(
          `column ${c} is sealed at rest on this store: the database cannot compare or order by it (use its normalised key, or sort after reading)`,
        );
    });
  }
}

function collect(node: OperationNode, visit: (n: OperationNode) => void): void {
  visit(node);
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) {
      for (const v of value)
        if (v && typeof v === 'object' && 'kind' in v) collect(v as OperationNode, visit);
    } else if (value && typeof value === 'object' && 'kind' in value) collect(value as OperationNode, visit);
  }
}
