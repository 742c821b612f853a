import type { SmtpSettings } from '../domain/glossary.js';
import { getSetting } from '../store/tokens.js';
import { fromJson } from '../store/json.js';
import type { Deps } from './deps.js';
import { DEV_SMTP_SETTING } from './dev-mail.js';

/** An smtp:// or smtps:// URL (SEQFLOW_SYSTEM_SMTP_URL) as connection settings. */
export function smtpSettingsOfUrl(raw: string): SmtpSettings {
  const url = new URL(raw);
  const secure = url.protocol === 'smtps:';
  const user = decodeURIComponent(url.username);
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    ...(user && { auth: { user, pass: decodeURIComponent(url.password) } }),
  };
}

/**
 * Where Seqflow's own mail goes (internal notifications): the configured relay, else the dev
 * mail server, whose address a worker-only process reads from the database.
 */
export async function systemSmtp(deps: Deps): Promise<{ smtp: SmtpSettings; from: string }> {
  const from = deps.config.systemSmtp?.from ?? 'seqflow@localhost';
  const url = deps.config.systemSmtp?.url;
  if (url) return { smtp: smtpSettingsOfUrl(url), from };
  const address = deps.config.devSmtp ?? fromJson<{ host: string; port: number } | null>(await getSetting(deps.db.kysely, DEV_SMTP_SETTING), null);
  // Port 9 (discard) is refused on loopback: the notification is retried until a dev server runs.
  return { smtp: { host: address?.host ?? '127.0.0.1', port: address?.port ?? 9, secure: false }, from };
}
