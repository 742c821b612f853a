import { describe, expect, it } from 'vitest';
import type { SenderOption, SequenceRow } from '../../lib/data';
import { ACTION } from '../../lib/flow';
import type { FlowAction, GuardrailIssue, User } from '../../types';
import { brokenActions, mergeIssues } from './action-problems';

const enroll = (actionId: string, fields: Record<string, unknown>): FlowAction => ({ type: 'SINGLE_CONNECTION', actionId, actionTypeId: ACTION.ENROLL, fields });
const rita: User = { id: '1', email: 'rita@acme.test', firstName: 'Rita', lastName: 'Rep', seat: 'sales_starter', timezone: null, superAdmin: false, roleIds: [], secondaryTeamIds: [] };
const sequences: SequenceRow[] = [{ id: '10', name: 'Follow-up', userId: '1', createdAt: '', updatedAt: '', ownerName: 'Rita Rep' }];
const ineligible: SenderOption[] = [{ user: rita, eligible: false, reason: 'no connected inbox', addresses: [] }];

describe('mergeIssues', () => {
  it("should add a save's warning only when the server's check does not already report it for that action", () => {
    const checked: GuardrailIssue[] = [{ code: 'MANY', level: 'warning', message: 'from the check' }];
    const fromSave: GuardrailIssue[] = [
      { code: 'MANY', level: 'warning', message: 'from the save' },
      { code: 'MANY', level: 'warning', message: 'for one action', actionId: '3' },
    ];
    expect(mergeIssues(checked, fromSave).map((i) => i.message)).toEqual(['from the check', 'for one action']);
  });
});

describe('brokenActions', () => {
  it('should flag an enroll action whose sequence is no longer listed when the server has not said so yet', () => {
    const broken = brokenActions([], [enroll('1', { sequenceId: '99', senderType: 'CONTACT_OWNER' })], sequences, ineligible);
    expect(broken.get('1')).toEqual(['Sequence 99 was deleted or does not exist: this action no longer enrolls contacts. Choose another sequence.']);
  });

  it("should use the server's message alone when its check already reports the deleted sequence", () => {
    const issues: GuardrailIssue[] = [{ code: 'SEQUENCE_DELETED', level: 'error', message: 'Sequence 99 is gone', actionId: '1' }];
    expect(brokenActions(issues, [enroll('1', { sequenceId: '99', senderType: 'CONTACT_OWNER' })], sequences, ineligible).get('1')).toEqual(['Sequence 99 is gone']);
  });

  it('should flag a specific sender who can no longer send when sequences and senders have loaded', () => {
    const broken = brokenActions([], [enroll('1', { sequenceId: '10', userId: '1' })], sequences, ineligible);
    expect(broken.get('1')).toEqual(['Rita Rep can no longer send sequences from workflows: no connected inbox.']);
  });

  it('should flag nothing it cannot know when the sequences and senders are still loading', () => {
    expect(brokenActions([], [enroll('1', { sequenceId: '99', userId: '1' })], undefined, undefined).size).toBe(0);
  });
});
