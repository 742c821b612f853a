import { DateTime } from 'luxon';
import type { Contact, Inbox, Sequence } from '../domain/glossary.js';
import { simulate, type ActResult, type ForecastInbox, type ForecastStep, type ForecastWorld, type SimEnrollment, type SimRun } from '../domain/forecast.js';
import { rejectionText, type EnrollmentRejection } from '../domain/reasons.js';
import { firstStepDue, type ScheduleRules } from '../domain/schedule.js';
import { DAY_MS } from '../domain/send-limits.js';
import { delayMillis, findAction, nextAction, startAction, type SingleConnectionAction } from '../domain/workflow-graph.js';
import { nextAllowedInstant } from '../domain/workflow-windows.js';
import { getContact } from '../store/contacts.js';
import type { Db } from '../store/database.js';
import { countScheduledEmails, listDueEnrollmentsOfInbox } from '../store/enrollments.js';
import { listInboxesOfUser } from '../store/inboxes.js';
import { attemptTimesSince } from '../store/sends.js';
import { getSequence, getSteps } from '../store/sequences.js';
import type { Deps } from './deps.js';
import { enrollmentVerdict } from './enroll-contact.js';
import { enrollmentTimeZone, scheduleRules } from './schedule-rules.js';
import { atNow } from './unenroll-contact.js';
import { actionTypeById } from './workflow-actions/index.js';
import { ENROLL_IN_SEQUENCE } from './workflow-actions/enroll-in-sequence.js';
import { existingContacts, requireWorkflow } from './workflows.js';

/** The actions whose effect the forecast states without simulating it (what they would write). */
const DELAY = '0-1';
const SET_PROPERTY = '0-5';

export const FORECAST_DEFAULT_DAYS = 14;

export interface ForecastRequest {
  days: number;
  contactIds?: number[];
}

export interface ForecastStepView {
  stepOrder: number;
  type: 'EMAIL' | 'TASK';
  at: number;
  localTime: string;
  heldByLimit: boolean;
}

export interface ForecastActionView {
  actionId: string;
  type: string;
  outcome: 'WOULD_EXECUTE' | 'WOULD_SKIP' | 'NOT_PREDICTED';
  reasonCode?: string;
  reasonText: string;
  at: number;
  steps?: ForecastStepView[];
}

export interface ContactForecast {
  contactId: number;
  email: string | null;
  zone: string;
  actions: ForecastActionView[];
}

export interface WorkflowForecast {
  generatedAt: number;
  until: number;
  contacts: ContactForecast[];
  summary: { contacts: number; wouldEnroll: number; skipped: Record<string, number> };
}


/**
 * What turning the workflow on (or running it for `contactIds`) would do over the next `days`:
 * who it enrolls, each action's outcome, and when each step of each enrollment goes out. Reads
 * only, through the same checks a run makes (enrollmentVerdict, scheduleRules, the send limits),
 * and replays the worker's order on a simulated clock (src/domain/forecast.ts).
 */
export async function forecastWorkflow(deps: Deps, workflowId: number, r: ForecastRequest): Promise<WorkflowForecast> {
  const wf = await requireWorkflow(deps, workflowId);
  const def = wf.definition;
  const db = deps.db.kysely;
  const at = atNow(deps);
  const start = at.now;
  const end = start + r.days * DAY_MS;
  const ids = r.contactIds ?? (await existingContacts(db, at, wf, def));

  const contacts: ContactForecast[] = [];
  const facts: (Contact | null)[] = [];
  for (const id of ids) {
    const c = await getContact(db, id);
    facts.push(c);
    contacts.push({ contactId: id, email: c?.email ?? null, zone: deps.config.accountTimeZone, actions: [] });
  }

  const cache = new Map<string, Promise<{ steps: ForecastStep[]; rules: ScheduleRules }>>();
  const plan = (sequence: Sequence, version: number, zone: string, senderId: number) => {
    const key = `${sequence.id}/${version}/${zone}/${senderId}`;
    let p = cache.get(key);
    if (!p) {
      p = (async () => {
        const steps = await getSteps(db, sequence.id, version);
        return {
          steps: steps.map((s, i) => ({
            stepOrder: s.stepOrder,
            type: s.type,
            delayMillis: s.delayMillis,
            waitsForRep: s.type === 'TASK' && (s.taskType === 'EMAIL' || (s.taskGatesNextStep && i + 1 < steps.length)),
          })),
          rules: await scheduleRules(db, sequence, zone, senderId),
        };
      })();
      cache.set(key, p);
    }
    return p;
  };

  const inboxes = new Map<string, ForecastInbox>();
  /**
   * The inbox's limits and sends of the last 24 h, and its running enrollments replayed beside the
   * forecast's own (their emails take its room); paused ones only count as scheduled.
   */
  const loadInbox = async (inbox: Inbox, world: ForecastWorld): Promise<string> => {
    const key = String(inbox.id);
    if (inboxes.has(key)) return key;
    const existing: SimEnrollment[] = [];
    for (const e of await listDueEnrollmentsOfInbox(db, inbox.id)) {
      const sequence = await getSequence(db, e.sequenceId, { includeDeleted: true });
      if (!sequence) continue;
      const { steps, rules } = await plan(sequence, e.sequenceVersion, e.timeZone, e.senderUserId);
      existing.push({ order: e.id, inboxKey: key, rules, steps, current: e.currentStep, due: e.nextDueAt, held: false, predicted: [], waitingForRep: false });
    }
    const replayedSoon = existing.filter((e) => e.steps[e.current]?.type === 'EMAIL' && e.due! >= start && e.due! < start + DAY_MS).length;
    inboxes.set(key, {
      dailyLimit: inbox.dailyLimit,
      perMinuteLimit: inbox.perMinuteLimit,
      attempts: await attemptTimesSince(db, inbox.id, start - DAY_MS),
      scheduledElsewhere: Math.max(0, (await countScheduledEmails(db, inbox.id, start, start + DAY_MS)) - replayedSoon),
    });
    world.adopt(existing);
    return key;
  };

  // The simulated enrollment of each contact (the last one an action started), to fill in its steps.
  const enrolledBy = new Map<ForecastActionView, SimEnrollment>();
  const running = new Map<number, SimEnrollment>();

  const enroll = async (contactIndex: number, action: SingleConnectionAction, world: ForecastWorld): Promise<Pick<ForecastActionView, 'outcome' | 'reasonCode' | 'reasonText'> & { sim?: SimEnrollment; zone?: string }> => {
    const f = action.fields ?? {};
    const contact = facts[contactIndex];
    const contactId = contacts[contactIndex].contactId;
    let senderId: number;
    if (f.senderType === 'CONTACT_OWNER') {
      const owner = contact?.properties[String(f.contactOwnerProperty ?? 'hubspot_owner_id')];
      if (!owner || !/^\d+$/.test(owner)) return skip('CONTACT_OWNER_NOT_SET', 'The sender is the contact owner, and this contact has none.');
      senderId = Number(owner);
    } else senderId = Number(f.userId);
    const senderInboxes = Number.isInteger(senderId) ? await listInboxesOfUser(db, senderId) : [];
    const senderEmail = typeof f.senderEmail === 'string' && f.senderEmail ? f.senderEmail : (senderInboxes.find((i) => i.status === 'connected')?.address ?? '');
    const inbox = senderInboxes.find((i) => i.status === 'connected' && [i.address, ...i.aliases].some((a) => a.toLowerCase() === senderEmail.toLowerCase()));
    const useContactTimeZone = f.shouldUseContactTimeZone === true || f.shouldUseContactTimeZone === 'true';
    const v = await enrollmentVerdict(
      db,
      deps,
      {
        contactId,
        sequenceId: Number(f.sequenceId),
        senderUserId: senderId,
        senderEmail: inbox?.address ?? senderEmail,
        senderAliasAddress: inbox && inbox.address.toLowerCase() !== senderEmail.toLowerCase() ? senderEmail : undefined,
        source: 'WORKFLOW',
        seatRule: 'workflowSender',
      },
      { countLimit: false },
    );
    let rejection: EnrollmentRejection | null = v.rejection;
    const still = running.get(contactId);
    if (!rejection && still && (still.due !== null || still.waitingForRep)) rejection = 'ALREADY_ENROLLED';
    const inboxKey = v.inbox ? await loadInbox(v.inbox, world) : '';
    if (!rejection && !world.hasRoomForEnrollment(inboxKey)) rejection = 'SEND_LIMIT_REACHED';
    if (rejection) return skip(rejection, `Would not enroll: ${rejectionText(rejection)}`);
    const zone = enrollmentTimeZone(v.contact!, v.sender!, useContactTimeZone, deps.config.accountTimeZone);
    const { steps, rules } = await plan(v.sequence!, v.sequence!.version, zone, v.sender!.id);
    const first = steps[0];
    const firstDue = first ? firstStepDue(world.now, first.delayMillis, rules, first.type === 'EMAIL') : null;
    const sim = world.enroll({ inboxKey, rules, steps, firstDue });
    running.set(contactId, sim);
    return { outcome: 'WOULD_EXECUTE', reasonText: `Would enroll in sequence ${v.sequence!.id}, sent from ${v.fromAddress}.`, sim, zone };
  };

  const act = async (runIndex: number, actionId: string, world: ForecastWorld): Promise<ActResult> => {
    const action = findAction(def, actionId);
    const log = (view: Omit<ForecastActionView, 'actionId' | 'at' | 'type'>): ForecastActionView => {
      const entry = { actionId, type: action?.type === 'SINGLE_CONNECTION' ? action.actionTypeId : (action?.type ?? 'UNKNOWN'), at: world.now, ...view };
      contacts[runIndex].actions.push(entry);
      return entry;
    };
    if (!action) return { next: null, dueAt: world.now };
    if (action.type !== 'SINGLE_CONNECTION') {
      // A branch decides on the contact's properties as they will be then, which earlier actions may change.
      log({ outcome: 'NOT_PREDICTED', reasonText: 'A branch: the forecast stops here.' });
      return { next: null, dueAt: world.now };
    }
    const type = actionTypeById(action.actionTypeId);
    if (type?.keepsTimeWindows) {
      const allowedAt = nextAllowedInstant(world.now, def, deps.config.accountTimeZone);
      if (allowedAt > world.now) return { next: actionId, dueAt: allowedAt, retry: true };
    }
    const next = nextAction(def, actionId);
    const fields = action.fields ?? {};
    switch (action.actionTypeId) {
      case ENROLL_IN_SEQUENCE: {
        const { sim, zone, ...view } = await enroll(runIndex, action, world);
        const entry = log(view);
        if (sim) {
          enrolledBy.set(entry, sim);
          contacts[runIndex].zone = zone!;
        }
        return { next, dueAt: world.now };
      }
      case DELAY: {
        const ms = delayMillis(fields);
        if (typeof ms === 'string') {
          log({ outcome: 'WOULD_SKIP', reasonCode: 'INVALID_ACTION', reasonText: `The delay is misconfigured: ${ms}.` });
          return { next, dueAt: world.now };
        }
        log({ outcome: 'WOULD_EXECUTE', reasonText: `Would wait ${String(fields.delta)} ${String(fields.time_unit).toLowerCase()}.` });
        return { next, dueAt: world.now + ms };
      }
      case SET_PROPERTY: {
        const raw = fields.value as { staticValue?: unknown } | string | undefined;
        const value = typeof raw === 'object' && raw !== null ? String(raw.staticValue ?? '') : String(raw ?? '');
        log({ outcome: 'WOULD_EXECUTE', reasonText: `Would set ${String(fields.property_name)} to "${value}".` });
        return { next, dueAt: world.now };
      }
      default:
        log({ outcome: 'NOT_PREDICTED', reasonText: `${type?.name ?? action.actionTypeId}: not predicted by the forecast.` });
        return { next, dueAt: world.now };
    }
  };

  const first = startAction(def);
  const runs: SimRun[] = contacts.map(() => ({ actionId: first, due: first === null ? null : start }));
  await simulate({ start, end, runs, inboxes, act });

  for (const c of contacts) {
    for (const a of c.actions) {
      const sim = enrolledBy.get(a);
      if (!sim) continue;
      a.steps = sim.predicted.map((p) => ({ ...p, localTime: localTime(p.at, c.zone) }));
    }
  }
  return { generatedAt: start, until: end, contacts, summary: summarize(contacts) };
}

function skip(code: string, text: string) {
  return { outcome: 'WOULD_SKIP' as const, reasonCode: code, reasonText: text };
}

/** The time as the contact's zone shows it, e.g. "Mon 2026-03-02 09:00 EST". */
export const localTime = (t: number, zone: string): string => DateTime.fromMillis(t, { zone }).toFormat('ccc yyyy-LL-dd HH:mm ZZZZ');

function summarize(contacts: ContactForecast[]): WorkflowForecast['summary'] {
  let wouldEnroll = 0;
  const skipped: Record<string, number> = {};
  for (const c of contacts) {
    for (const a of c.actions) {
      if (a.type !== ENROLL_IN_SEQUENCE) continue;
      if (a.outcome === 'WOULD_EXECUTE') wouldEnroll++;
      else if (a.reasonCode) skipped[a.reasonCode] = (skipped[a.reasonCode] ?? 0) + 1;
    }
  }
  return { contacts: contacts.length, wouldEnroll, skipped };
}
