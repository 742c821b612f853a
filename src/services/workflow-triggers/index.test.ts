import { describe, expect, it } from 'vitest';
import { KNOWN_EVENT_TYPE_IDS, TRIGGER_CATALOG, triggerById, triggerOfEvent, WORKFLOW_TRIGGERS } from './index.js';

describe('the workflow trigger registry', () => {
  it('should list each event type id and each timeline event type once when the registry is read', () => {
    const ids = WORKFLOW_TRIGGERS.map((t) => t.eventTypeId);
    const types = WORKFLOW_TRIGGERS.map((t) => t.eventType);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(types).size).toBe(types.length);
    for (const t of WORKFLOW_TRIGGERS) {
      expect(triggerById(t.eventTypeId)).toBe(t);
      expect(triggerOfEvent(t.eventType)).toBe(t);
    }
    expect(KNOWN_EVENT_TYPE_IDS).toEqual(ids);
  });

  it('should give every trigger a way to find past events for enroll existing', () => {
    for (const t of WORKFLOW_TRIGGERS) expect(typeof t.findPast, t.label).toBe('function');
  });

  it('should rebuild from stored data every property a trigger offers to filters on', () => {
    const samples: Record<string, Record<string, unknown>> = {
      FORM_SUBMITTED: { formId: 'f-1' },
      PROPERTY_CHANGED: { property: 'lifecyclestage', value: 'lead', previous: 'subscriber' },
      EMAIL_REPLIED: { sequenceId: 7 },
      SEQUENCE_ENROLLED: { sequenceId: 7 },
      SEQUENCE_UNENROLLED: { sequenceId: 7, reason: 'REPLIED' },
      SEQUENCE_FINISHED: { sequenceId: 7 },
    };
    for (const t of WORKFLOW_TRIGGERS) {
      const props = t.propertiesOf(samples[t.eventType] ?? {});
      expect(Object.keys(props).sort(), t.label).toEqual(t.filterProperties.map((p) => p.name).sort());
    }
  });

  it('should serve a label and the filter properties of each trigger in the catalog', () => {
    expect(TRIGGER_CATALOG.map((t) => t.eventTypeId)).toEqual(WORKFLOW_TRIGGERS.map((t) => t.eventTypeId));
    for (const t of TRIGGER_CATALOG) expect(t.label.trim()).not.toBe('');
  });
});
