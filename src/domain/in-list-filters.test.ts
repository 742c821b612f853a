import { describe, expect, it } from 'vitest';
import { matchesFlowBranch, validateFlowBranch, type FlowFilterBranch } from './filters.js';
import { listTriggerFires, type EnrollmentCriteria } from './workflow-graph.js';

const ctx = { now: Date.parse('2026-03-02T14:00:00Z'), zone: 'America/New_York' };
const onList = (listId: string, operator: 'IN_LIST' | 'NOT_IN_LIST' = 'IN_LIST'): FlowFilterBranch => ({
  filterBranchType: 'OR',
  filterBranches: [{ filterBranchType: 'AND', filters: [{ filterType: 'IN_LIST', listId, operator }] }],
});

describe('IN_LIST filters', () => {
  it('should match a member and not a non-member when the contact is on the list', () => {
    expect(matchesFlowBranch({}, onList('7'), { ...ctx, listIds: new Set(['7']) })).toBe(true);
    expect(matchesFlowBranch({}, onList('7'), { ...ctx, listIds: new Set(['8']) })).toBe(false);
    expect(matchesFlowBranch({}, onList('7', 'NOT_IN_LIST'), { ...ctx, listIds: new Set(['8']) })).toBe(true);
  });

  it('should match no one when memberships are not known', () => {
    expect(matchesFlowBranch({}, onList('7'), ctx)).toBe(false);
  });

  it('should be refused where lists are not allowed and accepted in a trigger, naming the field', () => {
    const problems = validateFlowBranch(onList('7'), 'filterBranch');
    expect(problems[0]).toMatchObject({ in: 'filterBranch.filterBranches[0].filters[0].filterType', message: expect.stringContaining('IN_LIST') });
    expect(validateFlowBranch(onList('7'), 'c', { inList: true })).toEqual([]);
    const bad = { filterBranchType: 'AND', filters: [{ filterType: 'IN_LIST', listId: 'x', operator: 'MEMBER' }] };
    expect(validateFlowBranch(bad, 'c', { inList: true }).map((p) => p.in)).toEqual(['c.filters[0].listId', 'c.filters[0].operator']);
  });

  it('should fire a list-based trigger only when the contact joins the list', () => {
    const c: EnrollmentCriteria = { type: 'LIST_BASED', listFilterBranch: onList('7') };
    const props = { email: 'a@b.test' };
    expect(listTriggerFires(c, props, props, ctx, { before: new Set(), after: new Set(['7']) })).toBe(true);
    expect(listTriggerFires(c, props, props, ctx, { before: new Set(['7']), after: new Set(['7']) })).toBe(false);
    expect(listTriggerFires(c, props, props, ctx, { before: new Set(['7']), after: new Set() })).toBe(false);
  });
});
