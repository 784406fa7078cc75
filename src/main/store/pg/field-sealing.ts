import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type {
  ColumnUpdateNode,
  InsertQueryNode,
  KyselyPlugin,
  OperationNode,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  SelectQueryNode,
  UnknownRow,
  UpdateQueryNode,
} from 'kysely';
import { StoreError } from '../errors';

/**
 * Encryption at rest of designated columns on the shared host's PostgreSQL (docs/host.md, « Base
 * de données »): AES-256-GCM under the host's field key, applied by the application, so the
 * database server, its backups and its administrator hold ciphertext for these columns.
 *
 * Kept in clear: what the database must compare, join or order (ids, INS, normalised search keys,
 * birth date, sex, statuses, dates of deposit, kinds, codes used by queries) — see the list below.
 */
export const sealedColumns: Readonly<Record<string, readonly string[]>> = {
  // The patient's names as written (display); searched through birth_name_norm / used_name_norm.
  dossiers: ['birth_name', 'used_name', 'first_names', 'closed_reason'],
  dossier_legal_representatives: ['last_name', 'first_names'],
  identity_reference: ['birth_name', 'first_names'],
  documents: ['title', 'content', 'payload'],
  document_sections: ['title', 'narrative_html'],
  // The code (CIM-10, ATC…) says the diagnosis or the drug as plainly as the label; summaries compare codes after reading.
  clinical_entries: ['label', 'code', 'code_display', 'detail', 'data'],
  // The bris de glace reason is free text typed by the professional (may describe the patient's state).
  audit_log: ['reason'],
};

/** A sealed text value: `enc:v1:` + base64(iv ‖ ciphertext ‖ tag). Sealed bytes: the same after magic bytes. */
const textPrefix = 'enc:v1:';
const bytesMagic = Uint8Array.from([0x00, 0x45, 0x4e, 0x43, 0x31]); // \0ENC1
const ivBytes = 12;
const tagBytes = 16;

export interface FieldSealer {
  seal(table: string, column: string, value: unknown): unknown;
  open(table: string, column: string, value: unknown): unknown;
}

/**
 * Seals and opens single values. The table and column are authenticated data: a sealed value moved
 * to another column no longer opens (moving one between rows of the same column is not detected here).
 */
export function fieldSealer(key: Uint8Array): FieldSealer {
  if (key.length !== 32)
    throw new StoreError(
      'KEY_INVALID',
      'La clé de chiffrement des données est invalide.',
      'field key must be 32 bytes',
    );
  const aad = (table: string, column: string) => Buffer.from(`${table}.${column}`, 'utf8');
  const encrypt = (table: string, column: string, plain: Uint8Array): Buffer => {
    const iv = randomBytes(ivBytes);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(aad(table, column));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([iv, body, cipher.getAuthTag()]);
  };
  const decrypt = (table: string, column: string, sealed: Uint8Array): Buffer => {
    if (sealed.length < ivBytes + tagBytes) throw unreadable(table, column);
    const iv = sealed.subarray(0, ivBytes);
    const tag = sealed.subarray(sealed.length - tagBytes);
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(aad(table, column));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([
        decipher.update(sealed.subarray(ivBytes, sealed.length - tagBytes)),
        decipher.final(),
      ]);
    } catch {
      throw unreadable(table, column);
    }
  };
  return {
    seal(table, column, value) {
      if (value === null || value === undefined) return value;
      if (typeof value === 'string')
        return textPrefix + encrypt(table, column, Buffer.from(value, 'utf8')).toString('base64');
      if (value instanceof Uint8Array) {
        const sealed = encrypt(table, column, value);
        const out = new Uint8Array(bytesMagic.length + sealed.length);
        out.set(bytesMagic);
        out.set(sealed, bytesMagic.length);
        return out;
      }
      throw new TypeError(`${table}.${column} is sealed at rest: only text or bytes can be written to it`);
    },
    open(table, column, value) {
      if (typeof value === 'string' && value.startsWith(textPrefix))
        return decrypt(table, column, Buffer.from(value.slice(textPrefix.length), 'base64')).toString('utf8');
      if (value instanceof Uint8Array && startsWithMagic(value)) {
        const plain = decrypt(table, column, value.subarray(bytesMagic.length));
        return new Uint8Array(plain.buffer, plain.byteOffset, plain.byteLength).slice();
      }
      // Written before the key was configured: kept as it is.
      return value;
    },
  };
}

function startsWithMagic(value: Uint8Array): boolean {
  return value.length >= bytesMagic.length && bytesMagic.every((b, i) => value[i] === b);
}

function unreadable(table: string, column: string): StoreError {
  return new StoreError(
    'WRONG_KEY',
    'Des données chiffrées ne peuvent pas être lues : clé de chiffrement différente ou données altérées.',
    `sealed value in ${table}.${column} does not open with this field key`,
  );
}

/**
 * The Kysely plugin given to the PostgreSQL store (`Store.queryPlugins`): values written to a
 * sealed column by an INSERT or UPDATE are sealed as the query is compiled; the selected sealed
 * columns of a SELECT are opened in the rows read. A query that would make the database compare,
 * group or order by a sealed column is refused: ciphertext would give a wrong answer silently.
 */
export function fieldSealingPlugin(key: Uint8Array): KyselyPlugin {
  const sealer = fieldSealer(key);
  /** Per compiled query: output column name → the table.column it reads. */
  const readsByQuery = new WeakMap<object, Map<string, { table: string; column: string }>>();

  return {
    transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
      refuseSealedPredicates(node);
      switch (node.kind) {
        case 'InsertQueryNode':
          return sealInsert(node, sealer);
        case 'UpdateQueryNode':
          return sealUpdate(node, sealer);
        case 'SelectQueryNode': {
          const reads = sealedSelections(node);
          if (reads.size > 0) readsByQuery.set(queryId, reads);
          return node;
        }
        default:
          return node;
      }
    },
    async transformResult({ result, queryId }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      const reads = readsByQuery.get(queryId);
      if (!reads) return result;
      return {
        ...result,
        rows: result.rows.map((row) => {
          const opened: UnknownRow = { ...row };
          for (const [name, { table, column }] of reads)
            if (name in opened) opened[name] = sealer.open(table, column, opened[name]);
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
  table !== null && column !== null && (sealedColumns[table]?.includes(column) ?? false);

function sealInsert(node: InsertQueryNode, sealer: FieldSealer): InsertQueryNode {
  const table = tableName(node.into);
  if (!table || !sealedColumns[table]) return node;
  const columns = (node.columns ?? []).map((c) => columnName(c));
  let values = node.values;
  if (values?.kind === 'ValuesNode') {
    const items = (values as unknown as { values: readonly OperationNode[] }).values.map((item) => {
      if (item.kind === 'PrimitiveValueListNode') {
        const raw = (item as unknown as { values: readonly unknown[] }).values;
        return {
          ...item,
          values: raw.map((v, i) =>
            isSealed(table, columns[i] ?? null) ? sealer.seal(table, columns[i]!, v) : v,
          ),
        };
      }
      if (item.kind === 'ValueListNode') {
        const list = (item as unknown as { values: readonly OperationNode[] }).values;
        return {
          ...item,
          values: list.map((v, i) =>
            isSealed(table, columns[i] ?? null) ? sealValueNode(table, columns[i]!, v, sealer) : v,
          ),
        };
      }
      return item;
    });
    values = { ...values, values: items } as OperationNode;
  } else if (values && columns.some((c) => isSealed(table, c))) {
    // INSERT … SELECT copies stored values: already sealed, nothing to do, as long as it is a plain copy.
  }
  const onConflict = node.onConflict?.updates
    ? { ...node.onConflict, updates: node.onConflict.updates.map((u) => sealUpdateNode(table, u, sealer)) }
    : node.onConflict;
  return { ...node, values, ...(onConflict ? { onConflict } : {}) } as InsertQueryNode;
}

function sealUpdate(node: UpdateQueryNode, sealer: FieldSealer): UpdateQueryNode {
  const table = tableName(node.table);
  if (!table || !sealedColumns[table] || !node.updates) return node;
  return { ...node, updates: node.updates.map((u) => sealUpdateNode(table, u, sealer)) };
}

function sealUpdateNode(table: string, update: ColumnUpdateNode, sealer: FieldSealer): ColumnUpdateNode {
  const column = columnName(update.column);
  if (!isSealed(table, column)) return update;
  return { ...update, value: sealValueNode(table, column!, update.value, sealer) };
}

function sealValueNode(
  table: string,
  column: string,
  node: OperationNode,
  sealer: FieldSealer,
): OperationNode {
  if (node.kind === 'ValueNode') {
    const v = node as unknown as { value: unknown };
    return { ...node, value: sealer.seal(table, column, v.value) } as OperationNode;
  }
  // `excluded.col` in an upsert: the inserted value, sealed above.
  if (node.kind === 'ReferenceNode' && columnName(node) === column) return node;
  throw new TypeError(`${table}.${column} is sealed at rest: write it as a value, not an expression`);
}

/** Output name → sealed table.column, for the selections of a SELECT (aliases and `select *` included). */
function sealedSelections(node: SelectQueryNode): Map<string, { table: string; column: string }> {
  const tables = [
    ...((node.from?.froms ?? []).map((f) => tableName(f)) as (string | null)[]),
    ...(node.joins ?? []).map((j) => tableName((j as unknown as { table: OperationNode }).table)),
  ].filter((t): t is string => t !== null);
  const ownerOf = (column: string, qualifier: string | null): string | null => {
    if (qualifier) return isSealed(qualifier, column) ? qualifier : null;
    return tables.find((t) => isSealed(t, column)) ?? null;
  };
  const reads = new Map<string, { table: string; column: string }>();
  for (const s of node.selections ?? []) {
    let sel = s.selection as OperationNode;
    let alias: string | null = null;
    if (sel.kind === 'AliasNode') {
      const a = sel as unknown as { node: OperationNode; alias: OperationNode };
      alias = (a.alias as unknown as { name?: string }).name ?? null;
      sel = a.node;
    }
    if (
      sel.kind === 'SelectAllNode' ||
      (sel.kind === 'ReferenceNode' &&
        (sel as unknown as { column: OperationNode }).column.kind === 'SelectAllNode')
    ) {
      const qualifier =
        sel.kind === 'ReferenceNode' ? tableName((sel as unknown as { table?: OperationNode }).table) : null;
      for (const t of qualifier ? [qualifier] : tables)
        for (const column of sealedColumns[t] ?? []) reads.set(column, { table: t, column });
      continue;
    }
    const column = columnName(sel);
    if (!column) continue;
    const qualifier =
      sel.kind === 'ReferenceNode' ? tableName((sel as unknown as { table?: OperationNode }).table) : null;
    const owner = ownerOf(column, qualifier);
    if (owner) reads.set(alias ?? column, { table: owner, column });
  }
  return reads;
}

/** Refuses WHERE / ORDER BY / GROUP BY / HAVING / JOIN ON / DISTINCT ON naming a sealed column of a table in the query. */
function refuseSealedPredicates(node: RootOperationNode): void {
  const tables = new Set<string>();
  collect(node, (n) => {
    const t = tableName(n);
    if (t && n.kind === 'TableNode') tables.add(t);
  });
  const sealedNames = new Set([...tables].flatMap((t) => sealedColumns[t] ?? []));
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
