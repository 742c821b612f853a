import { getContact } from '../../store/contacts.js';
import { insertTask } from '../../store/tasks.js';
import type { WorkflowActionType } from './action.js';

export const CREATE_TASK = '0-3';

/** A task for the given user, or the contact owner, due now. */
export const createTask: WorkflowActionType = {
  id: CREATE_TASK,
  name: 'Create task',
  groupId: 'sales',
  inputFields: [
    { name: 'subject', type: 'string', required: true },
    { name: 'body', type: 'string', required: false },
    { name: 'task_type', type: 'enumeration', required: false, options: ['TODO', 'CALL', 'EMAIL'] },
    { name: 'userId', type: 'string', required: false },
  ],
  keepsTimeWindows: true,
  async run({ tx, at, run, fields: f }) {
    const contact = await getContact(tx, run.contactId);
    const owner = Number(f.userId ?? contact?.properties.hubspot_owner_id);
    if (!contact || !Number.isInteger(owner)) return { status: 'SKIPPED', reasonCode: 'CONTACT_OWNER_NOT_SET', reasonText: 'Skipped: no user to assign the task to.' };
    const type = ['CALL', 'EMAIL', 'TODO'].includes(String(f.task_type)) ? (String(f.task_type) as 'TODO') : 'TODO';
    await insertTask(tx, { userId: owner, contactId: contact.id, enrollmentId: null, stepOrder: null, type, subject: String(f.subject ?? 'Follow up'), notes: String(f.body ?? ''), reason: null, dueAt: at.now }, at.now);
    return { status: 'EXECUTED', reasonText: `Created a task for user ${owner}.` };
  },
};
