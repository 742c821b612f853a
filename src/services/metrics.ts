import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { INBOUND_QUARANTINE_REASONS } from '../domain/reasons.js';
import { dueBacklog } from '../store/due-backlog.js';
import { listReplyWatches } from '../store/inbox-watch.js';
import type { Deps } from './deps.js';

/**
 * Prometheus metrics of one Seqflow instance (issue #10). Each instance has its own registry,
 * never prom-client's global one: tests start several servers in one process, and each must
 * count only its own work.
 *
 * Two kinds of numbers, and they mean different things with several processes on one
 * PostgreSQL:
 * - counters and histograms (sends, workflow actions, inbound messages, claim latency, HTTP)
 *   count what *this process* did; sum them over processes (`sum without (instance)`);
 * - gauges read from the database when scraped (the due backlog and its age, watcher lag, the
 *   reply-detection alarm) describe *the whole cluster*: every process reports the same value,
 *   so take `max`, not `sum`.
 */

/** How a send ended, as counted by `seqflow_sends_total{outcome}`. */
export const SEND_OUTCOMES = [
  /** The server answered 250. */
  'sent',
  /** Interrupted, then found in the dev mail server or the Sent folder: it was sent. */
  'confirmed_later',
  /** A 4xx or a connection failure before the data: tried again later. */
  'retrying',
  /** Retried MAX_SEND_ATTEMPTS times without success: the step failed. */
  'gave_up',
  /** A 5xx about the message (policy, content, full mailbox): the step failed. */
  'rejected',
  /** A 5xx about the recipient's address: the contact is marked bounced. */
  'bounced',
  /** Interrupted after the data and not found anywhere: paused for a person to check. */
  'uncertain',
] as const;
export type SendOutcomeLabel = (typeof SEND_OUTCOMES)[number];

export const INBOUND_CLASSES = ['reply', 'auto_reply', 'bounce', 'delay', 'complaint', 'other', 'duplicate', 'quarantined'] as const;
export const WORKFLOW_ACTION_STATUSES = ['EXECUTED', 'SKIPPED', 'FAILED', 'RETRYING'] as const;
export type ClaimKind = 'sequence_step' | 'workflow_action';

export interface Metrics {
  registry: Registry;
  sends: Counter<'outcome'>;
  workflowActions: Counter<'status' | 'action_type'>;
  inbound: Counter<'class'>;
  inboundQuarantined: Counter<'reason'>;
  /** Seconds from an item's due time to its claim by a worker (product clock). */
  claimLatency: Histogram<'kind'>;
  /** By route template (never the raw URL: ids would make a series per contact) and status. */
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  /** Observes the claim latency of a batch of claimed items. */
  observeClaims(kind: ClaimKind, dueTimes: (number | null)[], claimedAt: number): void;
  /** Makes the scrape read the database gauges through these deps (set once deps exist). */
  readDatabase(deps: Deps): void;
  /** Empties the registry and lets go of deps (process metrics' observers outlive it, holding nothing of ours). */
  close(): void;
}

/** Due-to-claim latencies run from milliseconds (an idle worker) to hours (a stalled cluster). */
const CLAIM_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createMetrics(opts: { processMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  const registers = [registry];
  if (opts.processMetrics ?? true) collectDefaultMetrics({ register: registry });

  const sends = new Counter({ name: 'seqflow_sends_total', help: 'Sequence email sends by outcome (this process).', labelNames: ['outcome'] as const, registers });
  const workflowActions = new Counter({
    name: 'seqflow_workflow_actions_total',
    help: 'Workflow actions run, by status and action type (this process).',
    labelNames: ['status', 'action_type'] as const,
    registers,
  });
  const inbound = new Counter({ name: 'seqflow_inbound_messages_total', help: 'Inbound messages handled, by classification (this process).', labelNames: ['class'] as const, registers });
  const inboundQuarantined = new Counter({
    name: 'seqflow_inbound_quarantined_total',
    help: 'Inbound messages quarantined, by reason (this process); their headers may still have been acted on.',
    labelNames: ['reason'] as const,
    registers,
  });
  const claimLatency = new Histogram({
    name: 'seqflow_claim_latency_seconds',
    help: 'Seconds from the due time of a sequence step or workflow action to its claim by a worker (this process).',
    labelNames: ['kind'] as const,
    buckets: CLAIM_BUCKETS,
    registers,
  });
  const httpDuration = new Histogram({
    name: 'seqflow_http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status (this process).',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: HTTP_BUCKETS,
    registers,
  });
  // Known label values start at zero, so rate() sees the first event of each.
  for (const outcome of SEND_OUTCOMES) sends.inc({ outcome }, 0);
  for (const c of INBOUND_CLASSES) inbound.inc({ class: c }, 0);
  for (const reason of INBOUND_QUARANTINE_REASONS) inboundQuarantined.inc({ reason }, 0);

  let deps: Deps | null = null;
  // Two gauges read one query: the first collect starts it, the other shares it.
  const shared = <T>(read: (d: Deps) => Promise<T>) => {
    let pending: Promise<T> | null = null;
    return (d: Deps): Promise<T> => {
      pending ??= read(d).finally(() => {
        pending = null;
      });
      return pending;
    };
  };
  const backlog = shared((d) => dueBacklog(d.db.kysely, d.clock.now()).then((b) => ({ b, now: d.clock.now() })));
  // Sync times are wall-clock facts (src/services/inboxes.ts), so lag is measured on the wall clock.
  const watches = shared((d) => listReplyWatches(d.db.kysely).then((w) => ({ w, wallNow: Date.now() })));

  new Gauge({
    name: 'seqflow_due_backlog',
    help: 'Sequence steps and workflow actions due now and not yet done (the whole cluster: read from the database).',
    labelNames: ['kind'] as const,
    registers,
    async collect() {
      if (!deps) return;
      const { b } = await backlog(deps);
      this.set({ kind: 'sequence_step' }, b.sequenceSteps.due);
      this.set({ kind: 'workflow_action' }, b.workflowActions.due);
    },
  });
  new Gauge({
    name: 'seqflow_due_backlog_oldest_age_seconds',
    help: 'Age of the oldest due item not yet done, 0 when none (the whole cluster: read from the database).',
    labelNames: ['kind'] as const,
    registers,
    async collect() {
      if (!deps) return;
      const { b, now } = await backlog(deps);
      const age = (oldest: number | null) => (oldest === null ? 0 : Math.max(0, now - oldest) / 1000);
      this.set({ kind: 'sequence_step' }, age(b.sequenceSteps.oldestDueAt));
      this.set({ kind: 'workflow_action' }, age(b.workflowActions.oldestDueAt));
    },
  });
  new Gauge({
    name: 'seqflow_inbox_watcher_lag_seconds',
    help: 'Seconds since the reply watcher of an inbox last read its mailbox to the end (or, never, since it was first watched).',
    labelNames: ['inbox_id'] as const,
    registers,
    async collect() {
      if (!deps) return;
      const { w, wallNow } = await watches(deps);
      this.reset();
      for (const x of w) {
        const since = x.lastSyncAt ?? x.firstSeenAt;
        if (x.connected && since !== null) this.set({ inbox_id: String(x.inboxId) }, Math.max(0, wallNow - since) / 1000);
      }
    },
  });
  new Gauge({
    name: 'seqflow_reply_detection_down',
    help: "1 while an inbox's reply-detection alarm holds its sequences (REPLY_DETECTION_DOWN), else 0.",
    labelNames: ['inbox_id'] as const,
    registers,
    async collect() {
      if (!deps) return;
      const { w } = await watches(deps);
      this.reset();
      for (const x of w) this.set({ inbox_id: String(x.inboxId) }, x.alarmSince === null ? 0 : 1);
    },
  });

  return {
    registry,
    sends,
    workflowActions,
    inbound,
    inboundQuarantined,
    claimLatency,
    httpDuration,
    observeClaims(kind, dueTimes, claimedAt) {
      for (const due of dueTimes) if (due !== null) claimLatency.observe({ kind }, Math.max(0, claimedAt - due) / 1000);
    },
    readDatabase(d) {
      deps = d;
    },
    close() {
      deps = null;
      registry.clear();
    },
  };
}
