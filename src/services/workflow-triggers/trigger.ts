import type { Properties } from '../../domain/filters.js';
import type { Tx } from '../../store/database.js';
import { listEventsOfTypes } from '../../store/events.js';

/** A past event as an event-based trigger sees it: whose, and what its filters can refine on. */
export interface PastEvent {
  contactId: number;
  properties: Properties;
}

/**
 * An event property a trigger's filter can refine on, and where the editor finds its values:
 * fixed `options` (reason codes), or the account's forms, sequences or contact properties.
 */
export interface FilterProperty {
  name: string;
  label: string;
  valuesFrom?: 'forms' | 'sequences' | 'contactProperties';
  options?: readonly string[];
}

/**
 * One event-based trigger: everything Seqflow knows about it lives in its own file and is listed
 * in ./index.ts. A timeline event of `eventType` fires the workflows whose trigger names
 * `eventTypeId`; 'enroll existing' asks `findPast` for the events that happened before.
 */
export interface WorkflowTrigger {
  /** HubSpot's event type id (hubspot-api.md §2.1). */
  eventTypeId: string;
  /** The contact timeline's event type (events.type). */
  eventType: string;
  label: string;
  /** The event properties trigger filters can refine on. */
  filterProperties: readonly FilterProperty[];
  /** Can fire for a contact who never engaged (the cold-import guardrail counts such contacts). */
  passive: boolean;
  /** The properties filters see, rebuilt from the event's stored data. */
  propertiesOf(data: Record<string, unknown>): Properties;
  /** The events of this type that happened before, oldest first. */
  findPast(tx: Tx): Promise<PastEvent[]>;
}

type Definition = Omit<WorkflowTrigger, 'findPast' | 'propertiesOf' | 'passive'> & Partial<Pick<WorkflowTrigger, 'propertiesOf' | 'passive'>>;

/** A trigger whose past events are the contact timeline's events of its type. */
export function timelineTrigger(d: Definition): WorkflowTrigger {
  const propertiesOf = d.propertiesOf ?? (() => ({}));
  return {
    passive: false,
    ...d,
    propertiesOf,
    async findPast(tx) {
      return (await listEventsOfTypes(tx, [d.eventType])).map((e) => ({ contactId: e.contactId, properties: propertiesOf(e.data) }));
    },
  };
}

/** hs_sequence_id of a sequence event, from its stored data. */
export const sequenceProperties = (data: Record<string, unknown>): Properties => (data.sequenceId === undefined || data.sequenceId === null ? {} : { hs_sequence_id: String(data.sequenceId) });
export const SEQUENCE_FILTERS: readonly FilterProperty[] = [{ name: 'hs_sequence_id', label: 'Sequence', valuesFrom: 'sequences' }];
