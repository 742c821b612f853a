import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * Mailboxes connected with OAuth 2.0 (issue #16).
 * - inbox_oauth: one row per OAuth inbox. The tokens are sealed (src/services/secret-box.ts) like
 *   mailbox passwords. `state` is what the inbox card shows (connected / reconnect / admin /
 *   retrying) and `state_since` names the incident, so each incident is told once. `lease_owner`
 *   and `lease_until` make the refresh single-flight across workers on one database (a rotated
 *   refresh token is used exactly once), `version` moves with every saved refresh;
 * - oauth_pending: an authorization under way (state, the PKCE verifier sealed, nonce), for ten
 *   minutes, used once by the callback.
 */
export async function up(db: Kysely<any>, _dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('inbox_oauth')
    .addColumn('inbox_id', 'integer', (c) => c.primaryKey().references('inboxes.id'))
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('login', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('refresh_token', 'text')
    .addColumn('access_token', 'text')
    .addColumn('access_expires_at', 'bigint')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('state_code', 'text')
    .addColumn('state_message', 'text')
    .addColumn('state_since', 'bigint')
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'bigint')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('oauth_pending')
    .addColumn('state', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('inbox_id', 'integer', (c) => c.references('inboxes.id'))
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('aliases', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
}
