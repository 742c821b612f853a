import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCheckpointer } from './sqlite-checkpointer.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function walDatabase() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqflow-checkpoint-'));
  dirs.push(dir);
  const file = path.join(dir, 'db.sqlite');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // Only the thread may checkpoint here, so what reaches the database file is its work.
  db.pragma('wal_autocheckpoint = 0');
  db.exec('create table t (v blob)');
  return { file, db };
}

describe('the SQLite checkpointer', () => {
  it('should copy committed pages into the database file while the writer only commits', async () => {
    const { file, db } = walDatabase();
    const checkpointer = createCheckpointer(file, { every: 8 });
    const before = fs.statSync(file).size;
    const insert = db.prepare('insert into t (v) values (?)');
    for (let i = 0; i < 64; i++) {
      insert.run(Buffer.alloc(8_192, i));
      checkpointer.committed();
    }
    await vi.waitFor(() => expect(fs.statSync(file).size).toBeGreaterThan(before + 256 * 1024), { timeout: 10_000 });
    await checkpointer.close();
    expect(db.prepare('select count(*) as n from t').get()).toEqual({ n: 64 });
    db.close();
  });

  it('should report once and stop asking when its thread cannot open the database', async () => {
    const errors: string[] = [];
    const checkpointer = createCheckpointer(path.join(os.tmpdir(), 'seqflow-no-such-dir', 'db.sqlite'), { every: 1, onError: (m) => errors.push(m) });
    checkpointer.committed();
    await vi.waitFor(() => expect(errors).toHaveLength(1));
    for (let i = 0; i < 5; i++) checkpointer.committed();
    await checkpointer.close();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/unable to open|directory does not exist|no such file/i);
  });
});
