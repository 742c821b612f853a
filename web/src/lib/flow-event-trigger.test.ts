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

describe('trigger refinements', () => {
  it('should build a property-changed trigger with its property, old and new value, and read it back, when the refinement fields are filled', () => {
    const draft = { kind: 'event' as const, eventTypeId: '4-655002', refinements: { hs_name: 'lifecyclestage', hs_previous_value: 'lead', hs_value: ' customer ' } };
    const criteria = buildCriteria(draft, false);
    expect(criteria).toMatchObject({
      eventFilterBranches: [
        {
          eventTypeId: '4-655002',
          filters: [
            { property: 'hs_name', operation: { operator: 'IS_EQUAL_TO', value: 'lifecyclestage' } },
            { property: 'hs_previous_value', operation: { operator: 'IS_EQUAL_TO', value: 'lead' } },
            { property: 'hs_value', operation: { operator: 'IS_EQUAL_TO', value: 'customer' } },
          ],
        },
      ],
    });
    expect(parseTrigger(criteria)).toEqual({ ...draft, refinements: { hs_name: 'lifecyclestage', hs_previous_value: 'lead', hs_value: 'customer' } });
  });

  it('should leave out a refinement left empty, meaning any value, when the trigger is built', () => {
    const criteria = buildCriteria({ kind: 'event', eventTypeId: '4-675776', refinements: { hs_sequence_id: '', hs_unenroll_reason: 'REPLIED' } }, false);
    expect(parseTrigger(criteria)).toEqual({ kind: 'event', eventTypeId: '4-675776', refinements: { hs_unenroll_reason: 'REPLIED' } });
    const unenrolled = [{ eventTypeId: '4-675776', label: 'Unenrolled from a sequence', filterProperties: [{ name: 'hs_unenroll_reason', label: 'Reason' }] }];
    expect(triggerSummary(criteria, [], unenrolled)).toBe('Unenrolled from a sequence · Reason: REPLIED');
  });

  it('should keep a trigger whose filters are not plain equalities as a custom trigger when it is read', () => {
    const criteria = buildCriteria({ kind: 'event', eventTypeId: '4-655002' }, false)!;
    if (criteria.type !== 'EVENT_BASED') throw new Error('expected an event trigger');
    criteria.eventFilterBranches[0].filters = [{ filterType: 'PROPERTY', property: 'hs_value', operation: { operationType: 'MULTISTRING', operator: 'CONTAINS', value: 'x' } }];
    expect(parseTrigger(criteria).kind).toBe('other');
  });
});

describe('the manual-only trigger', () => {
  it("should save HubSpot's MANUAL criteria with the re-enrollment choice, and read it back as no trigger, when no trigger is chosen", () => {
    const criteria = buildCriteria({ kind: 'none' }, true);
    expect(criteria).toEqual({ type: 'MANUAL', shouldReEnroll: true });
    expect(parseTrigger(criteria)).toEqual({ kind: 'none' });
    expect(triggerSummary(criteria, [])).toBe('No trigger');
  });
});
