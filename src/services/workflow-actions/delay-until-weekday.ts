import { nextWeekdayTime, weekdayDelayOf } from '../../domain/workflow-delays.js';
import type { WorkflowActionType } from './action.js';

/** HubSpot documents no v4 id for this one: ours (docs/decisions.md). */
export const DELAY_UNTIL_WEEKDAY = 'seqflow-delay-until-weekday';

/** Waits until the next chosen weekday at a time of day in a zone (the account's when none). */
export const delayUntilWeekday: WorkflowActionType = {
  id: DELAY_UNTIL_WEEKDAY,
  name: 'Delay until a day and time',
  groupId: 'delays',
  inputFields: [
    { name: 'days_of_week', type: 'object', required: true },
    { name: 'time_of_day', type: 'object', required: true },
    { name: 'time_zone', type: 'string', required: false },
  ],
  keepsTimeWindows: false,
  validate(fields) {
    const d = weekdayDelayOf(fields);
    return typeof d === 'string' ? `Delay until a day and time: ${d}.` : null;
  },
  async run({ at, fields }) {
    const d = weekdayDelayOf(fields);
    if (typeof d === 'string') return { status: 'FAILED', reasonCode: 'INVALID_ACTION', reasonText: `The delay is misconfigured: ${d}.` };
    const zone = d.zone ?? at.zone;
    const end = nextWeekdayTime(at.now, d, zone);
    return { status: 'EXECUTED', reasonText: `Waiting until ${new Date(end).toISOString()} (${zone}).`, waitMs: end - at.now };
  },
};
