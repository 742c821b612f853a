import { getContact, getContactByEmail } from '../store/contacts.js';
import type { Tx } from '../store/database.js';
import { allMemberIds, getList } from '../store/lists.js';
import { getWorkflow, hasRunningRun, type Workflow } from '../store/workflows.js';
import type { Deps } from './deps.js';
import { errors } from './errors.js';
import { enrollInWorkflow } from './events.js';
import { atNow } from './unenroll-contact.js';

/** The trigger a manual enrollment's run records (workflow_runs.trigger). */
export const MANUAL_TRIGGER = 'MANUAL';

export type ManualTarget = { contactId: number } | { email: string } | { listId: number };

export interface ManualEnrollmentResult {
  enrolled: number[];
  /** Contacts the flow did not take: already enrolled and no re-enrollment, or a run still going. */
  skipped: { contactId: number; reason: 'ALREADY_ENROLLED' }[];
}

/**
 * Enrolls a contact (by id or email), or every member of a list, in a workflow by hand, whatever
 * its trigger (a MANUAL flow runs only this way). The flow's re-enrollment setting holds as for
 * triggers: a single contact it refuses is a 409 ALREADY_ENROLLED; a list's refused members are
 * reported as skipped. The runs start in this transaction; the workflow worker takes them up.
 */
export async function enrollManually(deps: Deps, flowId: number, target: ManualTarget): Promise<ManualEnrollmentResult> {
  return deps.db.transaction(async (tx) => {
    const wf = await getWorkflow(tx, flowId, { forUpdate: deps.db.dialect });
    if (!wf) throw errors.flowNotFound({ id: flowId });
    if (!wf.isEnabled) throw errors.flowNotEnabled({ id: flowId });
    if ('listId' in target) {
      if (!(await getList(tx, target.listId))) throw errors.listNotFound({ id: target.listId, field: 'listId' });
      const result: ManualEnrollmentResult = { enrolled: [], skipped: [] };
      for (const contactId of await allMemberIds(tx, target.listId)) {
        if (!(await getContact(tx, contactId))) continue;
        if (await enrollOne(tx, deps, wf, contactId)) result.enrolled.push(contactId);
        else result.skipped.push({ contactId, reason: 'ALREADY_ENROLLED' });
      }
      return result;
    }
    const contact = 'email' in target ? await getContactByEmail(tx, target.email) : await getContact(tx, target.contactId);
    if (!contact) throw errors.contactNotFound('email' in target ? { id: target.email, field: 'email' } : { id: target.contactId, field: 'contactId' });
    if (!(await enrollOne(tx, deps, wf, contact.id))) {
      throw errors.alreadyInFlow({ id: wf.id, contactId: contact.id, running: await hasRunningRun(tx, wf.id, contact.id) });
    }
    return { enrolled: [contact.id], skipped: [] };
  });
}

const enrollOne = (tx: Tx, deps: Deps, wf: Workflow, contactId: number) => enrollInWorkflow(tx, atNow(deps), wf, contactId, MANUAL_TRIGGER);
