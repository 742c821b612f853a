import { CompiledQuery, type KyselyPlugin, type OperationNode, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow } from 'kysely';
import type { Db } from './database.js';
import { CATALOG_TABLES } from './migrations/033-catalog-versions.js';
import { MORE_CATALOG_TABLES } from './migrations/034-more-catalog-tables.js';

/**
 * Rarely written settings that every contact event reads (enabled workflows, DYNAMIC lists,
 * property definitions: seven reads per form → email pipeline), and a sender's inboxes, are read
 * once per transaction.
 *
 * A transaction's memo lives from its first statement to its end. Any write to a memoised table
 * through this process — in this transaction or another — retires every memo entry read before
 * it, so a transaction that creates a list and then moves contacts sees its new list. On SQLite
 * the transactions of one group commit are one transaction to the database, and share its memo
 * (src/store/sqlite-group-commit.ts); one that rolls back starts the memo afresh.
 *
 * The catalog (workflows, lists, property definitions) is also kept across transactions, per
 * database: a team's portal has hundreds of property definitions, and reading and parsing them
 * for every event cost more than the rest of the pipeline's reads together. Each transaction
 * still reads the table's version (catalog_versions, bumped by a trigger on every write: migration
 * 033) before it uses what is kept, in its own snapshot, so another process's change is seen by
 * the next transaction as before (docs/decisions.md). Only a transaction that has written none
 * of the memoised tables fills the cache: its reads are then committed rows, which its version
 * names, while a write of its own could still roll back and give its version number to another.
 * Users and their inboxes, sequences and their steps, and settings are kept the same way, by key
 * (migration 034).
 */
const MEMOISED_TABLES = new Set<string>([...CATALOG_TABLES, ...MORE_CATALOG_TABLES]);
type CatalogTable = (typeof CATALOG_TABLES)[number] | (typeof MORE_CATALOG_TABLES)[number];
/** Keys can come from requests (a sender's id that names no user): past this many, the cache starts afresh rather than grow. */
const CATALOG_MAX_ENTRIES = 10_000;
interface TransactionMemo {
  entries: Map<string, { version: number; value: Promise<unknown> }>;
  /** The database's catalog cache, shared by its transactions. */
  catalog: Map<string, { version: number; value: unknown }>;
  /** `writes` when the transaction began: a change since means it may have written the tables. */
  writesAtStart: number;
}
const memos = new WeakMap<object, TransactionMemo>();
const catalogs = new WeakMap<object, Map<string, { version: number; value: unknown }>>();
let writes = 0;

/**
 * `database` scopes the catalog cache: any object that stays the same for one database. Called
 * again before the transaction ends (a group commit's member rolled back), it starts the memo
 * afresh but keeps when the transaction began, as earlier writes may still be in it.
 */
export function beginMemo(tx: object, database: object): void {
  let catalog = catalogs.get(database);
  if (!catalog) catalogs.set(database, (catalog = new Map()));
  memos.set(tx, { entries: new Map(), catalog, writesAtStart: memos.get(tx)?.writesAtStart ?? writes });
}

/** Part of the transaction was rolled back (to a savepoint): what was read may have gone with it. */
export function restartMemo(tx: object): void {
  const memo = memos.get(tx);
  if (memo) memos.set(tx, { ...memo, entries: new Map() });
}

export function endMemo(tx: object): void {
  memos.delete(tx);
}

/** `load()` once per transaction for `key`, unless a memoised table was written since; outside a transaction, always `load()`. */
export function memoInTransaction<T>(db: Db, key: string, load: () => Promise<T>): Promise<T> {
  const memo = memos.get(db)?.entries;
  if (!memo) return load();
  const hit = memo.get(key);
  if (hit && hit.version === writes) return hit.value as Promise<T>;
  const value = load();
  memo.set(key, { version: writes, value });
  value.catch(() => memo.delete(key));
  return value;
}

/**
 * memoInTransaction, and across transactions while `table`'s catalog version stays the same. What
 * is kept is frozen, deeply: it is shared by every later transaction, so a caller that changed it
 * would change what the others read — it throws instead.
 */
export function memoCatalog<T>(db: Db, table: CatalogTable, key: string, load: () => Promise<T>): Promise<T> {
  return memoInTransaction(db, key, async () => {
    const memo = memos.get(db);
    if (!memo || writes !== memo.writesAtStart) return load();
    const version = (await memoInTransaction(db, 'catalog_versions', () => readVersions(db))).get(table);
    if (version === undefined) return load();
    const kept = memo.catalog.get(key);
    if (kept && kept.version === version) return kept.value as T;
    const value = await load();
    if (writes !== memo.writesAtStart) return value;
    if (memo.catalog.size >= CATALOG_MAX_ENTRIES) memo.catalog.clear();
    memo.catalog.set(key, { version, value: deepFreeze(value) });
    return value;
  });
}

// One statement, the same text on both databases, for every table's version: built once. On
// PostgreSQL it usually travels with the transaction's BEGIN (src/store/pg-versions-at-begin.ts).
export const VERSIONS_SQL = 'select name, version from catalog_versions';
const VERSIONS = CompiledQuery.raw(VERSIONS_SQL);

async function readVersions(db: Db): Promise<Map<string, number>> {
  const { rows } = await db.executeQuery<{ name: string; version: number | string }>(VERSIONS);
  return new Map(rows.map((r) => [r.name, Number(r.version)]));
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function writtenTable(node: RootOperationNode): string | null {
  const name = (n: OperationNode | undefined): string | null => {
    if (!n) return null;
    if (n.kind === 'TableNode') return (n as unknown as { table: { identifier: { name: string } } }).table.identifier.name;
    if (n.kind === 'AliasNode') return name((n as unknown as { node: OperationNode }).node);
    return null;
  };
  if (node.kind === 'InsertQueryNode') return name(node.into);
  if (node.kind === 'UpdateQueryNode') return name(node.table);
  if (node.kind === 'DeleteQueryNode') return name(node.from.froms[0]);
  return null;
}

/** Counts a statement about to run: a write to a memoised table retires what was read before it. */
export function noteWrite(node: RootOperationNode): void {
  const table = writtenTable(node);
  if (table && MEMOISED_TABLES.has(table)) writes++;
}

/** Counts writes to the memoised tables as Kysely compiles them (a prepared statement, compiled once, counts itself: src/store/prepared.ts). */
export const memoWritesPlugin: KyselyPlugin = {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    noteWrite(args.node);
    return args.node;
  },
  transformResult: async (args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> => args.result,
};
