import type { Logger } from 'pino';
import type { Clock } from '../domain/glossary.js';
import type { TemplateRenderer } from '../domain/templates.js';
import type { SeatPolicy } from '../domain/seats.js';
import type { Database } from '../store/database.js';
import type { SmtpSender } from '../mail/smtp-sender.js';
import type { SecretBox } from './secret-box.js';
import type { MailHostPolicy } from '../mail/host-policy.js';
import type { Settings } from '../config/settings.js';
import type { Metrics } from './metrics.js';

export interface Config {
  seatPolicy: SeatPolicy;
  /** Used when neither the contact's nor the sender's time zone applies. */
  accountTimeZone: string;
  /** Base of links in emails (unsubscribe). */
  publicUrl: string;
  unsubscribeSecret: string;
  /** Where inboxes of the `dev` provider send. */
  devSmtp: { host: string; port: number } | null;
  /** The account's HubSpot-style portal id, part of public form URLs. */
  portalId: string;
  /** Public form submissions allowed per client address per 10 seconds. */
  formSubmissionsPer10s: number;
  /** Where inbox SMTP/IMAP settings may point (SEQFLOW_ALLOW_PRIVATE_MAIL_HOSTS). */
  mailHosts: MailHostPolicy;
  /** Where workflow webhooks may call (SEQFLOW_ALLOW_PRIVATE_WEBHOOK_HOSTS); unset: public addresses only. */
  webhookHosts?: MailHostPolicy;
  /** Seqflow's own mail (SEQFLOW_SYSTEM_SMTP_URL); null: the dev mail server. */
  systemSmtp?: { url: string | null; from: string };
  /** Per-token API limits; 0 turns one off (SEQFLOW_RATE_LIMIT_10S, SEQFLOW_SEARCH_RATE_LIMIT_1S). */
  apiRateLimits: { per10s: number; searchPer1s: number };
  /**
   * An inbox whose reply watcher has not read its mailbox to the end for this long (wall clock)
   * pauses its sequences (REPLY_DETECTION_DOWN) until it does; 0 turns the alarm off.
   */
  replyDetectionAlarmMs: number;
  /** How often a worker checks for that (on deps.clock). */
  replyDetectionCheckMs: number;
  /** /seqflow/v1/health reports `degraded` when the oldest due work has waited longer than this. */
  healthBacklogMs: number;
}

/** What every application service is given: no hidden state, no global clock. */
export interface Deps {
  db: Database;
  clock: Clock;
  config: Config;
  log: Logger;
  smtp: SmtpSender;
  /** Seals secrets before they are stored and opens them just before use. */
  secrets: SecretBox;
  /** Renders email templates off the event loop, within time and memory bounds. */
  renderer: TemplateRenderer;
  /** The effective settings (src/config/settings.ts), parsed once at start. */
  settings: Settings;
  /** This instance's Prometheus registry and instruments (never prom-client's global registry). */
  metrics: Metrics;
}
