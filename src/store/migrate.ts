import { Migrator, type Migration, type MigrationResultSet } from 'kysely';
import type { Database } from './database.js';
import * as initial from './migrations/001-initial.js';
import * as workflows from './migrations/002-workflows.js';
import * as inbound from './migrations/003-inbound.js';
import * as sessions from './migrations/004-sessions.js';
import * as contactHistory from './migrations/005-contact-history.js';
import * as inboundQuarantine from './migrations/006-inbound-quarantine.js';
import * as signInAttempts from './migrations/008-sign-in-attempts.js';
import * as sendConfirmation from './migrations/009-send-confirmation.js';
import * as contactAdditionalEmails from './migrations/010-contact-additional-emails.js';
import * as replyDetection from './migrations/011-reply-detection.js';
import * as companies from './migrations/012-companies.js';
import * as properties from './migrations/013-properties.js';
import * as lists from './migrations/014-lists.js';
import * as imports from './migrations/015-imports.js';
import * as oauthMailboxes from './migrations/016-oauth-mailboxes.js';
import * as contactSearchIndex from './migrations/017-contact-search-index.js';
import * as dueWakeUps from './migrations/018-due-wake-ups.js';
import * as holidays from './migrations/019-holidays.js';
import * as templates from './migrations/020-templates.js';
import * as taskQueue from './migrations/021-task-queue.js';
import * as schedules from './migrations/023-schedules.js';
import * as tracking from './migrations/025-tracking.js';
import * as actionRetries from './migrations/026-action-retries.js';
import * as ownerRotations from './migrations/027-owner-rotations.js';
import * as actionLogByContact from './migrations/029-action-log-by-contact.js';
import * as endedEnrollmentTasks from './migrations/030-ended-enrollment-tasks.js';
import * as contactDateIndexes from './migrations/031-contact-date-indexes.js';
import * as sendsWindowCovering from './migrations/032-sends-window-covering.js';
import * as catalogVersions from './migrations/033-catalog-versions.js';
import * as moreCatalogTables from './migrations/034-more-catalog-tables.js';

/** One ordered list for both dialects; a migration may branch on the dialect where SQL differs. */
const MIGRATIONS: Record<string, { up: (db: any, dialect: Database['dialect']) => Promise<void> }> = {
  '001-initial': initial,
  '002-workflows': workflows,
  '003-inbound': inbound,
  '004-sessions': sessions,
  '005-contact-history': contactHistory,
  '006-inbound-quarantine': inboundQuarantine,
  '008-sign-in-attempts': signInAttempts,
  '009-send-confirmation': sendConfirmation,
  '010-contact-additional-emails': contactAdditionalEmails,
  '011-reply-detection': replyDetection,
  '012-companies': companies,
  '013-properties': properties,
  '014-lists': lists,
  '015-imports': imports,
  '016-oauth-mailboxes': oauthMailboxes,
  '017-contact-search-index': contactSearchIndex,
  '018-due-wake-ups': dueWakeUps,
  '019-holidays': holidays,
  '020-templates': templates,
  '021-task-queue': taskQueue,
  '023-schedules': schedules,
  '025-tracking': tracking,
  '026-action-retries': actionRetries,
  '027-owner-rotations': ownerRotations,
  '029-action-log-by-contact': actionLogByContact,
  '030-ended-enrollment-tasks': endedEnrollmentTasks,
  '031-contact-date-indexes': contactDateIndexes,
  '032-sends-window-covering': sendsWindowCovering,
  '033-catalog-versions': catalogVersions,
  '034-more-catalog-tables': moreCatalogTables,
};

export async function migrateToLatest(database: Database): Promise<MigrationResultSet> {
  const migrations: Record<string, Migration> = {};
  for (const [name, m] of Object.entries(MIGRATIONS)) {
    migrations[name] = { up: (db) => m.up(db, database.dialect) };
  }
  const migrator = new Migrator({
    db: database.kysely,
    provider: { getMigrations: async () => migrations },
  });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error;
  return result;
}
