import { describe, expect, it } from 'vitest';
import { buildCriteria, parseTrigger, triggerSummary } from './flow';

describe('the "added to a list" trigger', () => {
  it('should build HubSpot\'s LIST_BASED criteria with one IN_LIST filter and read it back when a list is chosen', () => {
    const criteria = buildCriteria({ kind: 'list', listId: '12' }, false);
    expect(criteria).toMatchObject({
      type: 'LIST_BASED',
      listFilterBranch: { filterBranchType: 'OR', filterBranches: [{ filterBranchType: 'AND', filters: [{ filterType: 'IN_LIST', listId: '12', operator: 'IN_LIST' }] }] },
    });
    expect(parseTrigger(criteria)).toEqual({ kind: 'list', listId: '12' });
    expect(triggerSummary(criteria, [])).toBe('Added to list 12');
  });

  it('should keep a NOT_IN_LIST trigger as a custom one when the editor cannot show it', () => {
    const criteria = buildCriteria({ kind: 'list', listId: '12' }, false)!;
    const not = JSON.parse(JSON.stringify(criteria).replace('"operator":"IN_LIST"', '"operator":"NOT_IN_LIST"'));
    expect(parseTrigger(not).kind).toBe('other');
  });
});

describe('the "replied to an email" trigger', () => {
  it("should build HubSpot's email-replied event criteria and read it back when it is chosen in the editor", () => {
    const criteria = buildCriteria({ kind: 'replied' }, false);
    expect(criteria).toMatchObject({ type: 'EVENT_BASED', eventFilterBranches: [{ eventTypeId: '4-665538', operator: 'HAS_COMPLETED', filters: [] }] });
    expect(parseTrigger(criteria)).toEqual({ kind: 'replied' });
    expect(triggerSummary(criteria, [])).toBe('Replied to an email');
  });
});
