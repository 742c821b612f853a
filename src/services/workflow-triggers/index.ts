import { contactCreated } from './contact-created.js';
import { emailReplied } from './email-replied.js';
import { formSubmitted } from './form-submitted.js';
import { meetingBooked } from './meeting-booked.js';
import { propertyChanged } from './property-changed.js';
import { sequenceEnrolled } from './sequence-enrolled.js';
import { sequenceFinished } from './sequence-finished.js';
import { sequenceUnenrolled } from './sequence-unenrolled.js';
import type { WorkflowTrigger } from './trigger.js';

/** Every event-based workflow trigger, in the order the editor offers them. Add new ones here. */
export const WORKFLOW_TRIGGERS: readonly WorkflowTrigger[] = [formSubmitted, meetingBooked, emailReplied, contactCreated, propertyChanged, sequenceEnrolled, sequenceUnenrolled, sequenceFinished];

const byEventType = new Map(WORKFLOW_TRIGGERS.map((t) => [t.eventType, t]));
const byId = new Map(WORKFLOW_TRIGGERS.map((t) => [t.eventTypeId, t]));
/** The trigger a timeline event of this type fires, if any. */
export const triggerOfEvent = (eventType: string): WorkflowTrigger | undefined => byEventType.get(eventType);
export const triggerById = (eventTypeId: string): WorkflowTrigger | undefined => byId.get(eventTypeId);
export const KNOWN_EVENT_TYPE_IDS: readonly string[] = WORKFLOW_TRIGGERS.map((t) => t.eventTypeId);

/** The triggers' catalog entries, as GET /seqflow/v1/workflow-catalog serves them. */
export const TRIGGER_CATALOG = WORKFLOW_TRIGGERS.map((t) => ({ eventTypeId: t.eventTypeId, label: t.label, filterProperties: t.filterProperties.map((p) => ({ ...p, ...(p.options && { options: [...p.options] }) })) }));

export type { PastEvent, WorkflowTrigger } from './trigger.js';
