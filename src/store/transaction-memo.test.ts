import { afterEach, describe, expect, it } from 'vitest';
import { inSavepoint, openDatabase, type Database } from './database.js';
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

  it('should read the DYNAMIC lists once for transactions committed together when none writes them', async () => {
    await setup();
    await insertList(db.kysely, dynamic('D'), 1);
    const seen = await Promise.all([1, 2, 3].map(() => db.transaction((tx) => listDynamicLists(tx))));
    // SQLite runs the three as one group commit, one transaction to the database: one read.
    expect(seen[1]).toBe(seen[0]);
    expect(seen[2]).toBe(seen[0]);
  });

  it('should not show a later transaction of the group a list another one created and rolled back', async () => {
    await setup();
    const [created, after] = await Promise.allSettled([
      db.transaction(async (tx) => {
        await insertList(tx, dynamic('E'), 1);
        expect((await listDynamicLists(tx)).map((l) => l.name)).toEqual(['E']);
        throw new Error('changed its mind');
      }),
      db.transaction((tx) => listDynamicLists(tx)),
    ]);
    expect(created.status).toBe('rejected');
    expect(after).toEqual({ status: 'fulfilled', value: [] });
  });

  it('should read the lists afresh when a savepoint that created one rolled back', async () => {
    await setup();
    await db.transaction(async (tx) => {
      const attempt = inSavepoint(tx, 'test_list', async () => {
        await insertList(tx, dynamic('F'), 1);
        expect((await listDynamicLists(tx)).map((l) => l.name)).toEqual(['F']);
        throw new Error('changed its mind');
      });
      await expect(attempt).rejects.toThrow('changed its mind');
      expect(await listDynamicLists(tx)).toEqual([]);
    });
  });
});
