import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * Owner rotations (issue #12): how many records each "Rotate record to owner" action has handed
 * out, so the next one goes to the next user however many workers run it and across restarts.
 * One row per (workflow, action); the counter is bumped in the action's own transaction.
 */
export async function up(db: Kysely<any>, _dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('owner_rotations')
    .addColumn('workflow_id', 'integer', (c) => c.notNull().references('workflows.id'))
    .addColumn('action_id', 'text', (c) => c.notNull())
    .addColumn('turns', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('owner_rotations_pk', ['workflow_id', 'action_id'])
    .execute();
}
