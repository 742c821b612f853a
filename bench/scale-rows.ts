/**
 * Bulk rows for the scale test, written with SQL straight into the fresh database (through the
 * API a million contacts would take longer than the measurement): `rows` contacts, each with an
 * ACTIVE enrollment whose one email is due 30+ days from now, on a sender of its own so the
 * measured senders' limits do not see them. The worker must skip all of them to find due work.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import type { Sender } from './seqflow-seed.js';

const DAY = 86_400_000;

export async function insertFutureWork(target: { databaseUrl: string | null; sqliteFile: string }, rows: number, sender: Sender): Promise<void> {
  const now = Date.now();
  const due = now + 30 * DAY;
  const p = { rows, now, due, seq: Number(sender.sequenceId), user: Number(sender.userId), inbox: Number(sender.inboxId), from: sender.email };
  if (target.databaseUrl) {
    const client = new pg.Client({ connectionString: target.databaseUrl });
    await client.connect();
    try {
      await client.query(
        `insert into contacts (email, email_key, properties, created_at, updated_at)
         select e, e, json_build_object('email', e, 'firstname', 'Scale' || g)::text, $2, $2
         from generate_series(1, $1::int) g, lateral (select 'scale' || g || '@bench.seqflow.test' as e) x`,
        [p.rows, p.now],
      );
      await client.query(
        `insert into enrollments (contact_id, sequence_id, sequence_version, sender_user_id, enrolled_by_user_id, inbox_id, sender_email, to_email,
           time_zone, source, state, current_step, next_step_type, next_due_at, placeholder_values, enrolled_at, updated_at)
         select c.id, $1, s.version, $2, $2, $3, $4, c.email, 'UTC', 'API', 'ACTIVE', 0, 'EMAIL', $5::bigint + c.id, '{}', $6, $6
         from contacts c, sequences s where s.id = $1 and c.email like 'scale%'`,
        [p.seq, p.user, p.inbox, p.from, p.due, p.now],
      );
      await client.query('analyze');
    } finally {
      await client.end();
    }
    return;
  }
  const db = new Database(target.sqliteFile);
  try {
    db.pragma('busy_timeout = 30000');
    db.transaction(() => {
      db.prepare(
        `with recursive g(n) as (select 1 union all select n + 1 from g where n < @rows)
         insert into contacts (email, email_key, properties, created_at, updated_at)
         select 'scale' || n || '@bench.seqflow.test', 'scale' || n || '@bench.seqflow.test',
                json_object('email', 'scale' || n || '@bench.seqflow.test', 'firstname', 'Scale' || n), @now, @now from g`,
      ).run(p);
      db.prepare(
        `insert into enrollments (contact_id, sequence_id, sequence_version, sender_user_id, enrolled_by_user_id, inbox_id, sender_email, to_email,
           time_zone, source, state, current_step, next_step_type, next_due_at, placeholder_values, enrolled_at, updated_at)
         select c.id, @seq, s.version, @user, @user, @inbox, @from, c.email, 'UTC', 'API', 'ACTIVE', 0, 'EMAIL', @due + c.id, '{}', @now, @now
         from contacts c, sequences s where s.id = @seq and c.email like 'scale%'`,
      ).run(p);
    })();
    db.exec('analyze');
  } finally {
    db.close();
  }
}
