import type { Kysely } from 'kysely';

/**
 * The task queue (issue #14 item 2): a task records how it was worked (a call's outcome, the
 * rep's note), may be snoozed or skipped (status SKIPPED), and a manual email task keeps the email
 * the rep composed until the worker has sent it (email_* and send_requested_at): the send itself
 * is a `sends` row of the step like any other, so the exactly-once protocol applies unchanged.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const ms = 'bigint' as const;
  const add = (column: string, type: 'text' | typeof ms) => db.schema.alterTable('tasks').addColumn(column, type).execute();
  await add('priority', 'text');
  await add('snoozed_until', ms);
  await add('call_outcome', 'text');
  await add('completion_note', 'text');
  await add('send_requested_at', ms);
  await add('email_subject', 'text');
  await add('email_html', 'text');
  await add('email_text', 'text');
  await db.schema.createIndex('tasks_enrollment_step').on('tasks').columns(['enrollment_id', 'step_order']).execute();
}
