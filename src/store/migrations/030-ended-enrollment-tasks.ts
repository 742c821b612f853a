import type { Kysely } from 'kysely';

/**
 * Tasks of an enrollment that ended (issue #14): they are closed as SKIPPED with the reason the
 * enrollment ended (REPLIED, BOUNCED, …) in `closed_reason`, so the queue and the timeline can
 * tell a task Seqflow closed from one the rep skipped.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tasks').addColumn('closed_reason', 'text').execute();
}
