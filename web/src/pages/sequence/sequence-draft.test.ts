import { describe, expect, it } from 'vitest';
import type { Sequence } from '../../types';
import { DEFAULT_SETTINGS, newDraft, toBody, toDraft, withStep, withStepMoved } from './sequence-draft';

// Only the fields the draft reads; the server's full shape is not the point here.
const saved = {
  id: '3',
  name: 'Follow-up',
  userId: '1',
  createdAt: '2026-03-10T09:00:00.000Z',
  updatedAt: '2026-03-10T09:00:00.000Z',
  settings: { ...DEFAULT_SETTINGS, eligibleFollowUpDays: 'EVERYDAY', sendWindowStartMinute: 0, sendWindowEndMinute: 1440, extra: 'not edited' },
  // Out of order on purpose: the editor lists steps by stepOrder.
  steps: [
    { id: 's2', stepOrder: 1, delayMillis: 90 * 60_000, actionType: 'TASK', taskPattern: { taskType: 'CALL', taskPriority: 'HIGH', subject: 'Call them', notes: 'Ask about Q3' } },
    { id: 's1', stepOrder: 0, delayMillis: 0, actionType: 'EMAIL', emailPattern: { subject: 'Hi', body: '<p>Hi</p>' } },
    { id: 's3', stepOrder: 2, delayMillis: 2 * 86_400_000, actionType: 'EMAIL', emailPattern: { subject: '', body: '<p>Again</p>', threadEmailToStepOrder: 0 } },
  ],
  dependencies: [{ reliesOnStepOrder: 1, requiredByStepOrder: 2 }],
} as unknown as Sequence;

describe('sequence draft', () => {
  it('should list steps by step order with each delay in the largest whole unit when a saved sequence is opened', () => {
    const d = toDraft(saved);
    expect(d.steps.map((s) => [s.type, s.delay, s.unit])).toEqual([
      ['EMAIL', 0, 'DAYS'],
      ['TASK', 90, 'MINUTES'],
      ['EMAIL', 2, 'DAYS'],
    ]);
    expect(d.steps[1]).toMatchObject({ subject: 'Call them', body: 'Ask about Q3', taskPriority: 'HIGH', taskGatesNextStep: true });
    expect(d.settings).toEqual({ ...DEFAULT_SETTINGS, eligibleFollowUpDays: 'EVERYDAY', sendWindowStartMinute: 0, sendWindowEndMinute: 1440 });
  });

  it('should give back the same steps, without the owner, when an opened sequence is saved unchanged', () => {
    expect(toBody(toDraft(saved), false)).toEqual({
      name: 'Follow-up',
      settings: toDraft(saved).settings,
      steps: [
        { type: 'EMAIL', delayMillis: 0, subject: 'Hi', body: '<p>Hi</p>' },
        { type: 'TASK', delayMillis: 90 * 60_000, subject: 'Call them', body: 'Ask about Q3', taskType: 'CALL', taskPriority: 'HIGH', taskGatesNextStep: true },
        { type: 'EMAIL', delayMillis: 2 * 86_400_000, subject: '', body: '<p>Again</p>', threadToStepOrder: 0 },
      ],
    });
  });

  it('should keep the template a step was copied from when the sequence is saved again', () => {
    const fromTemplate = { ...saved, steps: [{ id: 's1', stepOrder: 0, delayMillis: 0, actionType: 'EMAIL', emailPattern: { subject: 'Hi', body: '<p>Hi</p>', sourceTemplateId: '7' } }], dependencies: [] } as unknown as Sequence;
    expect(toBody(toDraft(fromTemplate), false).steps).toEqual([{ type: 'EMAIL', delayMillis: 0, subject: 'Hi', body: '<p>Hi</p>', templateId: '7' }]);
  });

  it('should send the owner and a trimmed name when a new sequence is created', () => {
    const body = toBody({ ...newDraft(), name: '  Welcome ', userId: '4' }, true);
    expect(body).toMatchObject({ name: 'Welcome', userId: '4' });
    expect(body.steps.map((s) => s.delayMillis)).toEqual([0, 3 * 86_400_000]);
  });

  it('should give every step its own key when steps are created, so moved steps keep their inputs', () => {
    const keys = [...newDraft().steps, ...toDraft(saved).steps].map((s) => s.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('should change only the one step when a step is edited, and swap neighbours when a step moves', () => {
    const d = toDraft(saved);
    expect(withStep(d, 1, { subject: 'Call' }).steps.map((s) => s.subject)).toEqual(['Hi', 'Call', '']);
    expect(withStepMoved(d, 2, -1).steps.map((s) => s.type)).toEqual(['EMAIL', 'EMAIL', 'TASK']);
  });
});
