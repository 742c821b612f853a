import { delayMillis } from '../../domain/workflow-graph.js';
import type { WorkflowActionType } from './action.js';

export const DELAY = '0-1';

/** Waits before the next action; time windows do not apply to the delay itself (HubSpot). */
export const delay: WorkflowActionType = {
  id: DELAY,
  name: 'Delay',
  groupId: 'delays',
  inputFields: [
    { name: 'delta', type: 'number', required: true },
    { name: 'time_unit', type: 'enumeration', required: true, options: ['MINUTES', 'HOURS', 'DAYS', 'WEEKS'] },
  ],
  keepsTimeWindows: false,
  validate(fields) {
    const d = delayMillis(fields);
    return typeof d === 'string' ? `Delay: ${d}.` : null;
  },
  async run({ fields: f }) {
    const ms = delayMillis(f);
    if (typeof ms === 'string') return { status: 'FAILED', reasonCode: 'INVALID_ACTION', reasonText: `The delay is misconfigured: ${ms}.` };
    return { status: 'EXECUTED', reasonText: `Waiting ${f.delta} ${String(f.time_unit).toLowerCase()} before the next action.`, waitMs: ms };
  },
};
