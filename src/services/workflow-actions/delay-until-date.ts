import { dateDelayEnd, dateDelayOf } from '../../domain/workflow-delays.js';
import { getContact } from '../../store/contacts.js';
import { contactPropertiesOf } from '../contacts.js';
import type { WorkflowActionType } from './action.js';

export const DELAY_UNTIL_DATE = '0-35';

/**
 * Waits until a date: a contact date or datetime property (or a fixed date), at a time of day
 * in the account's zone, before or after it. A date that has passed, or no date at all, lets the
 * contact go on at once (HubSpot), logged SKIPPED with the reason.
 */
export const delayUntilDate: WorkflowActionType = {
  id: DELAY_UNTIL_DATE,
  name: 'Delay until a date',
  groupId: 'delays',
  inputFields: [
    { name: 'date', type: 'object', required: true },
    { name: 'delta', type: 'number', required: false },
    { name: 'time_unit', type: 'enumeration', required: false, options: ['MINUTES', 'HOURS', 'DAYS', 'WEEKS'] },
    { name: 'time_of_day', type: 'object', required: false },
  ],
  keepsTimeWindows: false,
  validate(fields) {
    const d = dateDelayOf(fields);
    return typeof d === 'string' ? `Delay until a date: ${d}.` : null;
  },
  async run({ tx, at, run, fields }) {
    const d = dateDelayOf(fields);
    if (typeof d === 'string') return { status: 'FAILED', reasonCode: 'INVALID_ACTION', reasonText: `The delay is misconfigured: ${d}.` };
    let value: string | null | undefined;
    let what: string;
    if ('propertyName' in d.source) {
      const contact = await getContact(tx, run.contactId);
      value = contact ? contactPropertiesOf(contact)[d.source.propertyName] : null;
      what = d.source.propertyName;
    } else {
      value = d.source.staticValue;
      what = 'the date';
    }
    if (!value) return { status: 'SKIPPED', reasonCode: 'DATE_NOT_SET', reasonText: `Continued at once: ${what} has no value.` };
    const end = dateDelayEnd(value, d, at.zone);
    if (end === null) return { status: 'SKIPPED', reasonCode: 'DATE_INVALID', reasonText: `Continued at once: ${what} is "${value}", not a date.` };
    const when = new Date(end).toISOString();
    if (end <= at.now) return { status: 'SKIPPED', reasonCode: 'DATE_PASSED', reasonText: `Continued at once: ${when}, from ${what}, has passed.` };
    return { status: 'EXECUTED', reasonText: `Waiting until ${when}, from ${what}.`, waitMs: end - at.now };
  },
};
