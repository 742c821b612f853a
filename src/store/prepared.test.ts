import { afterEach, describe, expect, it } from 'vitest';
import { dialectCases, type TestDatabase } from '../../test/support/databases.js';
import { openDatabase, type Database } from './database.js';
import { migrateToLatest } from './migrate.js';
import { prepared } from './prepared.js';
import { memoInTransaction } from './transaction-memo.js';

const settingValue = prepared((db, a: { key: string }) => db.selectFrom('settings').select('value').where('key', '=', a.key));
const putSetting = prepared((db, a: { key: string; value: string }) => db.insertInto('settings').values({ key: a.key, value: a.value }));
// Constants the query is built with stay what they were; only the stand-ins take new values.
const formsNamed = prepared((db, a: { name: string }) => db.selectFrom('forms').select('name').where('name', '=', a.name).where('deleted_at', 'is', null).limit(2));

describe.each(dialectCases)('prepared statements ($dialect)', ({ create, skip }) => {
  let db: Database;
  let store: TestDatabase;
  afterEach(async () => {
    await db?.close();
    await store?.drop();
  });
  const setup = async () => {
    store = await create();
    db = openDatabase({ url: store.url, sqliteFile: ':memory:' });
    await migrateToLatest(db);
  };

  it.skipIf(skip)('should answer each run with its own values when one statement runs many times', async () => {
    await setup();
    for (const key of ['a', 'b', 'c']) await putSetting(db.kysely, { key: `prepared.${key}`, value: key.toUpperCase() });
    const answers = [];
    for (const key of ['b', 'a', 'zz', 'c']) answers.push((await settingValue(db.kysely, { key: `prepared.${key}` })).rows);
    expect(answers).toEqual([[{ value: 'B' }], [{ value: 'A' }], [], [{ value: 'C' }]]);
  });

  it.skipIf(skip)('should run inside a transaction and roll back with it when the transaction fails', async () => {
    await setup();
    await expect(
      db.transaction(async (tx) => {
        await putSetting(tx, { key: 'prepared.gone', value: 'x' });
        expect((await settingValue(tx, { key: 'prepared.gone' })).rows).toEqual([{ value: 'x' }]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await settingValue(db.kysely, { key: 'prepared.gone' })).rows).toEqual([]);
  });

  it.skipIf(skip)('should keep the constants the query was built with when it runs with new values', async () => {
    await setup();
    const now = Date.now();
    for (const guid of ['g1', 'g2', 'g3']) await db.kysely.insertInto('forms').values({ guid, name: 'Demo', fields: '[]', created_at: now, updated_at: now, deleted_at: guid === 'g3' ? now : null }).execute();
    // Three named Demo, one deleted, at most two returned.
    expect((await formsNamed(db.kysely, { name: 'Demo' })).rows).toEqual([{ name: 'Demo' }, { name: 'Demo' }]);
    expect((await formsNamed(db.kysely, { name: 'Other' })).rows).toEqual([]);
  });

  it.skipIf(skip)('should make a transaction read a memoised table again when a prepared statement wrote it', async () => {
    await setup();
    const renameWorkflows = prepared((k, a: { name: string }) => k.updateTable('workflows').set({ name: a.name }));
    let loads = 0;
    await db.transaction(async (tx) => {
      const load = () => memoInTransaction(tx, 'prepared-test', async () => ++loads);
      await load();
      await load();
      expect(loads).toBe(1);
      // The first run compiles (which counts the write as any query does); the second must count too.
      for (const name of ['x', 'y']) {
        await renameWorkflows(tx, { name });
        await load();
        await load();
      }
      expect(loads).toBe(3);
    });
  });
});

describe('prepared statements, built wrong', () => {
  it('should name the value that did not become a parameter when the query is first run', async () => {
    const db = openDatabase({ sqliteFile: ':memory:' });
    await migrateToLatest(db);
    const wrong = prepared((k, a: { key: string; limit: number }) => {
      void a.limit; // read, but never put in the query
      return k.selectFrom('settings').select('value').where('key', '=', a.key);
    });
    await expect(wrong(db.kysely, { key: 'k', limit: 1 })).rejects.toThrow(/limit did not become a parameter/);
    await db.close();
  });
});
