import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * How a send was confirmed: by the server's reply, or afterwards, when the sending worker died
 * mid-conversation and Seqflow found the message where it would be if it had been delivered
 * (the dev mail server's store, the inbox's Sent folder). Message-IDs of dev mail are looked up
 * for that, hence the index.
 */
export async function up(db: Kysely<any>, _dialect: DialectName): Promise<void> {
  await db.schema.alterTable('sends').addColumn('confirmed_by', 'text').execute();
  await db.schema.createIndex('dev_mail_messages_message_id').on('dev_mail_messages').column('message_id').execute();
}
