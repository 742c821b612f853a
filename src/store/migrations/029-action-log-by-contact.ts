import type { Kysely } from 'kysely';

/** A contact's workflow history reads the action log by contact across workflows (issue #12 item 6). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('action_log_contact').on('action_log').columns(['contact_id', 'at']).execute();
}
