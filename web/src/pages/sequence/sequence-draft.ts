/**
 * A sequence as the editor holds it while it is being changed: delays in a unit a person typed,
 * a task's "next step waits" as a flag on the step, and a key per step so React keeps each
 * step's inputs (and the caret in them) when steps move.
 */
import type { Sequence, SequenceSettings } from '../../types';

export type Unit = 'MINUTES' | 'HOURS' | 'DAYS';
export const UNIT_MS: Record<Unit, number> = { MINUTES: 60_000, HOURS: 3_600_000, DAYS: 86_400_000 };

export interface StepDraft {
  key: string;
  type: 'EMAIL' | 'TASK';
  delay: number;
  unit: Unit;
  subject: string;
  body: string;
  threadToStepOrder?: number | null;
  /** EMAIL: the library template the subject and body were copied from, kept for reference. */
  templateId?: string | null;
  taskType: string;
  taskPriority: string;
  taskGatesNextStep: boolean;
}
export interface Draft {
  name: string;
  userId: string;
  settings: SequenceSettings;
  steps: StepDraft[];
}

export const DEFAULT_SETTINGS: SequenceSettings = {
  eligibleFollowUpDays: 'WEEKDAYS_ONLY',
  sendWindowStartMinute: 480,
  sendWindowEndMinute: 1080,
  sendWindowsByWeekday: {},
  /** Listed (undefined) so a saved sequence's named schedule is kept in the draft. */
  scheduleId: undefined,
  useThreadedFollowUps: true,
  unenrollOnReply: true,
  unenrollOnMeeting: true,
  sellingStrategy: 'LEAD_BASED',
  trackOpens: false,
  trackClicks: false,
};

let keySeq = 0;
const newKey = () => `s${++keySeq}`;

function splitDelay(ms: number): { delay: number; unit: Unit } {
  if (ms % UNIT_MS.DAYS === 0) return { delay: ms / UNIT_MS.DAYS, unit: 'DAYS' };
  if (ms % UNIT_MS.HOURS === 0) return { delay: ms / UNIT_MS.HOURS, unit: 'HOURS' };
  return { delay: Math.round(ms / UNIT_MS.MINUTES), unit: 'MINUTES' };
}

export const emptyStep = (type: 'EMAIL' | 'TASK', first: boolean): StepDraft => ({
  key: newKey(),
  type,
  delay: first ? 0 : 3,
  unit: 'DAYS',
  subject: type === 'EMAIL' && first ? 'Quick question, {{ contact.firstname | default: "there" }}' : '',
  body: type === 'EMAIL' ? (first ? '<p>Hi {{ contact.firstname | default: "there" }},</p>\n<p></p>\n<p>{{ sender.firstname }}</p>' : '<p></p>') : '',
  taskType: 'CALL',
  taskPriority: 'NONE',
  taskGatesNextStep: true,
});

/** The draft of a saved sequence: steps in order, settings limited to what the editor shows. */
export function toDraft(s: Sequence): Draft {
  const settings = Object.fromEntries(Object.keys(DEFAULT_SETTINGS).map((k) => [k, (s.settings as unknown as Record<string, unknown>)[k]])) as unknown as SequenceSettings;
  return {
    name: s.name,
    userId: s.userId,
    settings: { ...DEFAULT_SETTINGS, ...settings },
    steps: [...s.steps]
      .sort((a, b) => a.stepOrder - b.stepOrder)
      .map((st) => ({
        key: newKey(),
        type: st.actionType,
        ...splitDelay(st.delayMillis),
        subject: st.emailPattern?.subject ?? st.taskPattern?.subject ?? '',
        body: st.emailPattern?.body ?? st.taskPattern?.notes ?? '',
        threadToStepOrder: st.emailPattern?.threadEmailToStepOrder ?? null,
        templateId: st.emailPattern?.sourceTemplateId ?? null,
        taskType: st.taskPattern?.taskType ?? 'CALL',
        taskPriority: st.taskPattern?.taskPriority ?? 'NONE',
        taskGatesNextStep: s.dependencies.some((d) => d.reliesOnStepOrder === st.stepOrder),
      })),
  };
}

/** The body of POST (`withOwner`) or PUT /seqflow/v1/sequences. */
export function toBody(d: Draft, withOwner: boolean) {
  return {
    name: d.name.trim(),
    ...(withOwner && { userId: d.userId }),
    settings: d.settings,
    steps: d.steps.map((s) =>
      s.type === 'EMAIL'
        ? { type: 'EMAIL', delayMillis: Math.round(s.delay * UNIT_MS[s.unit]), subject: s.subject, body: s.body, ...(s.threadToStepOrder != null && { threadToStepOrder: s.threadToStepOrder }), ...(s.templateId && { templateId: s.templateId }) }
        : { type: 'TASK', delayMillis: Math.round(s.delay * UNIT_MS[s.unit]), subject: s.subject, body: s.body, taskType: s.taskType, taskPriority: s.taskPriority, taskGatesNextStep: s.taskGatesNextStep },
    ),
  };
}

/** A new sequence starts with two emails: the first sent at once, a follow-up three days later. */
export const newDraft = (): Draft => ({ name: '', userId: '', settings: DEFAULT_SETTINGS, steps: [emptyStep('EMAIL', true), emptyStep('EMAIL', false)] });

export const withStep = (d: Draft, i: number, patch: Partial<StepDraft>): Draft => ({ ...d, steps: d.steps.map((s, j) => (j === i ? { ...s, ...patch } : s)) });

/** Moves step `i` by `by` places (-1 up, 1 down). */
export function withStepMoved(d: Draft, i: number, by: number): Draft {
  const steps = [...d.steps];
  const [s] = steps.splice(i, 1);
  steps.splice(i + by, 0, s);
  return { ...d, steps };
}
