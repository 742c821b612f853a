import crypto from 'node:crypto';
import type { ImapSettings, SmtpSettings } from '../domain/glossary.js';
import type { Database } from '../store/database.js';
import { listAllInboxes, updateInboxServers } from '../store/inboxes.js';
import { ensureSetting, putSetting } from '../store/tokens.js';
import { SecretKeyError, type SecretBox } from './secret-box.js';

const KEY_CHECK = 'secret_key_check';
const UNSUBSCRIBE_SECRET = 'unsubscribe_secret';

type MailServer = SmtpSettings | ImapSettings;

/** Settings as stored: the password sealed. */
export const sealMailServer = <T extends MailServer | null>(box: SecretBox, s: T): T =>
  s?.auth && !box.isSealed(s.auth.pass) ? { ...s, auth: { ...s.auth, pass: box.seal(s.auth.pass) } } : s;

/** Settings to connect with: the password opened, just before use. */
export const openMailServer = <T extends MailServer | null>(box: SecretBox, s: T): T =>
  s?.auth ? { ...s, auth: { ...s.auth, pass: box.open(s.auth.pass) } } : s;

const resealMailServer = <T extends MailServer | null>(box: SecretBox, s: T): T =>
  s?.auth && box.needsReseal(s.auth.pass) ? { ...s, auth: { ...s.auth, pass: box.seal(box.isSealed(s.auth.pass) ? box.open(s.auth.pass) : s.auth.pass) } } : s;

/**
 * Run at every start, before anything reads a secret: proves this server holds the database's key
 * (a worker started with another key stops here with a clear message, not at its first send),
 * seals what an older version stored in plaintext, re-seals what a previous key sealed (rotation),
 * and returns the unsubscribe signing secret.
 */
export async function sealSecretsAtRest(db: Database, box: SecretBox): Promise<{ unsubscribeSecret: string }> {
  const k = db.kysely;
  const check = await ensureSetting(k, KEY_CHECK, box.seal('seqflow'));
  try {
    box.open(check);
  } catch (err) {
    throw new SecretKeyError(
      `This database's secrets were sealed with another key (${check.split(':')[1] ?? '?'}; this server has ${box.keyId}). ` +
        'Give every Seqflow process the same SEQFLOW_SECRET_KEY (the first server wrote it to <data-dir>/secret-key if none was set); ' +
        'after a rotation, keep the old key in SEQFLOW_SECRET_KEY_PREVIOUS.',
      { cause: err },
    );
  }
  if (box.needsReseal(check)) await putSetting(k, KEY_CHECK, box.seal('seqflow'));

  const stored = await ensureSetting(k, UNSUBSCRIBE_SECRET, box.seal(crypto.randomBytes(32).toString('base64url')));
  const unsubscribeSecret = box.isSealed(stored) ? box.open(stored) : stored;
  if (box.needsReseal(stored)) await putSetting(k, UNSUBSCRIBE_SECRET, box.seal(unsubscribeSecret));

  for (const inbox of await listAllInboxes(k)) {
    const smtp = resealMailServer(box, inbox.smtp);
    const imap = resealMailServer(box, inbox.imap);
    if (smtp !== inbox.smtp || imap !== inbox.imap) await updateInboxServers(k, inbox.id, { smtp, imap });
  }
  return { unsubscribeSecret };
}

