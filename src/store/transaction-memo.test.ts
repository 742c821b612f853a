import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from './database.js';
import { migrateToLatest } from './migrate.js';
import { insertList, listDynamicLists } from './lists.js';

describe('transaction memo', () => {
  let db: Database;
  afterEach(() => db?.close());

  const setup = async () => {
    db = openDatabase({ sqliteFile: ':memory:' });
    await migrateToLatest(db);
  };

  const dynamic = (name: string) => ({ name, objectTypeId: '0-1', processingType: 'DYNAMIC' as const, filterBranch: { filterBranchType: 'OR', filterBranches: [], filters: [] }, createdByUserId: null });

  it('should read the DYNAMIC lists once when a transaction asks for them twice', async () => {
    await setup();
    await insertList(db.kysely, dynamic('A'), 1);
    await db.transaction(async (tx) => {
      const first = await listDynamicLists(tx);
      // Read once: the second ask gets the first answer itself.
      expect(await listDynamicLists(tx)).toBe(first);
      expect(first.map((l) => l.name)).toEqual(['A']);
    });
  });

  it('should see a list created in the same transaction when it was read before the write', async () => {
    await setup();
    await db.transaction(async (tx) => {
      expect(await listDynamicLists(tx)).toEqual([]);
      await insertList(tx, dynamic('B'), 1);
      expect((await listDynamicLists(tx)).map((l) => l.name)).toEqual(['B']);
    });
  });

  it('should read afresh in every new transaction when another one wrote in between', async () => {
    await setup();
    await db.transaction(async (tx) => expect(await listDynamicLists(tx)).toEqual([]));
    await insertList(db.kysely, dynamic('C'), 1);
    await db.transaction(async (tx) => expect((await listDynamicLists(tx)).map((l) => l.name)).toEqual(['C']));
    // Outside a transaction nothing is memoised.
    expect(await listDynamicLists(db.kysely)).not.toBe(await listDynamicLists(db.kysely));
  });
});
