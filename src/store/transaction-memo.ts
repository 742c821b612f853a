import type { KyselyPlugin, OperationNode, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import type { Db } from './database.js';

/**
 * Rarely written settings that every contact event reads (enabled workflows, DYNAMIC lists,
 * property definitions: seven reads per form → email pipeline), and a sender's inboxes, are read
 * once per transaction.
 *
 * A transaction's memo lives from its first statement to its end and is never shared with
 * another transaction, so nothing is cached across transactions (docs/decisions.md: another
 * process's change must be seen by the next transaction). Any write to a memoised table through
 * this process — in this transaction or another — retires every memo entry read before it, so a
 * transaction that creates a list and then moves contacts sees its new list. On SQLite the
 * transactions of one group commit are one transaction to the database, and share its memo
 * (src/store/sqlite-group-commit.ts); one that rolls back starts the memo afresh.
 */
const MEMOISED_TABLES = new Set(['workflows', 'lists', 'property_definitions', 'inboxes']);
const memos = new WeakMap<object, Map<string, { version: number; value: Promise<unknown> }>>();
let writes = 0;

export function beginMemo(tx: object): void {
  memos.set(tx, new Map());
}

/** Part of the transaction was rolled back (to a savepoint): what was read may have gone with it. */
export function restartMemo(tx: object): void {
  if (memos.has(tx)) memos.set(tx, new Map());
}

export function endMemo(tx: object): void {
  memos.delete(tx);
}

/** `load()` once per transaction for `key`, unless a memoised table was written since; outside a transaction, always `load()`. */
export function memoInTransaction<T>(db: Db, key: string, load: () => Promise<T>): Promise<T> {
  const memo = memos.get(db);
  if (!memo) return load();
  const hit = memo.get(key);
  if (hit && hit.version === writes) return hit.value as Promise<T>;
  const value = load();
  memo.set(key, { version: writes, value });
  value.catch(() => memo.delete(key));
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
