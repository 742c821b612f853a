import { afterEach, describe, expect, it } from 'vitest';
import type { SequenceSettings } from '../domain/glossary.js';
import { openDatabase, type Database } from '../store/database.js';
import { migrateToLatest } from '../store/migrate.js';
import { insertSequence } from '../store/sequences.js';
import { insertUser } from '../store/users.js';
import { createStepReads } from './step-reads.js';

describe('step reads of a worker batch', () => {
  let db: Database;
  afterEach(() => db?.close());

  const setup = async () => {
    db = openDatabase({ sqliteFile: ':memory:' });
    await migrateToLatest(db);
    const user = await insertUser(db.kysely, { email: 'rep@example.com', firstName: 'R', lastName: 'P', role: 'admin', seat: 'sales_professional', timezone: 'UTC' }, 1);
    const step = { type: 'EMAIL' as const, delayMillis: 0, subject: 'Hi', body: 'Hello', threadToStepOrder: null, templateId: null, taskType: null, taskPriority: null, taskGatesNextStep: false };
    return insertSequence(db.kysely, { userId: user.id, name: 'Before', settings: {} as SequenceSettings }, [step], 1);
  };

  it('should read a sequence and its steps once when several steps of one batch ask for them', async () => {
    const seq = await setup();
    const reads = createStepReads(db.kysely);
    const first = await reads.sequence(seq.id);
    const steps = await reads.steps(seq.id, 1);
    expect(await reads.sequence(seq.id)).toBe(first);
    expect(await reads.steps(seq.id, 1)).toBe(steps);
    expect(steps.map((s) => s.subject)).toEqual(['Hi']);
  });

  it('should see an edit when the next batch reads, not within the batch that read before it', async () => {
    const seq = await setup();
    const batch = createStepReads(db.kysely);
    expect((await batch.sequence(seq.id))?.name).toBe('Before');
    await db.kysely.updateTable('sequences').set({ name: 'After' }).where('id', '=', seq.id).execute();
    expect((await batch.sequence(seq.id))?.name).toBe('Before');
    expect((await createStepReads(db.kysely).sequence(seq.id))?.name).toBe('After');
  });
});
