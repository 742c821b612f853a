import { describe, expect, it } from 'vitest';
import { buildCriteria, draftOfOption, parseTrigger, triggerOptionId, triggerOptions, triggerSummary } from './flow';

const catalog = [
  { eventTypeId: '4-1639801', label: 'Form submitted', filterProperties: [{ name: 'hs_form_id', label: 'Form' }] },
  { eventTypeId: '4-1720599', label: 'Meeting booked', filterProperties: [] },
  { eventTypeId: '4-675777', label: 'Enrolled in a sequence', filterProperties: [{ name: 'hs_sequence_id', label: 'Sequence' }] },
];

describe('the trigger dropdown', () => {
  it('should offer the server catalog\'s triggers with their labels, then the property filter, list and none, when the catalog has arrived', () => {
    expect(triggerOptions(catalog)).toEqual([
      { id: 'form', label: 'Form submitted' },
      { id: 'meeting', label: 'Meeting booked' },
      { id: 'event:4-675777', label: 'Enrolled in a sequence' },
      { id: 'property', label: 'Property filter' },
      { id: 'list', label: 'Added to a list' },
      { id: 'none', label: 'No trigger (manual enrollment only)' },
    ]);
  });

  it('should build the event criteria of a catalog trigger without its own kind and read it back when it is chosen', () => {
    const draft = draftOfOption('event:4-675777');
    expect(triggerOptionId(draft)).toBe('event:4-675777');
    const criteria = buildCriteria(draft, true);
    expect(criteria).toMatchObject({ type: 'EVENT_BASED', shouldReEnroll: true, eventFilterBranches: [{ eventTypeId: '4-675777', operator: 'HAS_COMPLETED', filters: [] }] });
    expect(parseTrigger(criteria)).toEqual({ kind: 'event', eventTypeId: '4-675777' });
    expect(triggerSummary(criteria, [], catalog)).toBe('Enrolled in a sequence');
  });
});
