import { getRunningEnrollment } from '../../store/enrollments.js';
import { endEnrollment } from '../unenroll-contact.js';
import type { WorkflowActionType } from './action.js';

export const UNENROLL_FROM_SEQUENCE = '0-4702372';

/** Ends the contact's running enrollment: any, or only one in the given sequence. */
export const unenrollFromSequence: WorkflowActionType = {
  id: UNENROLL_FROM_SEQUENCE,
  name: 'Unenroll from sequence',
  groupId: 'sales',
  inputFields: [{ name: 'sequenceId', type: 'string', required: false }],
  keepsTimeWindows: true,
  async run({ tx, at, run, fields: f }) {
    const running = await getRunningEnrollment(tx, run.contactId);
    const wanted = f.sequenceId === undefined || f.sequenceId === null || f.sequenceId === '' ? null : Number(f.sequenceId);
    if (!running || (wanted !== null && running.sequenceId !== wanted)) {
      return {
        status: 'SKIPPED',
        reasonCode: 'NOT_ENROLLED',
        reasonText: wanted === null ? 'Skipped: the contact is not enrolled in any sequence.' : `Skipped: the contact is not enrolled in sequence ${wanted}.`,
      };
    }
    await endEnrollment(tx, running, 'WORKFLOW', at);
    return { status: 'EXECUTED', reasonText: `Unenrolled the contact from sequence ${running.sequenceId}.` };
  },
};
