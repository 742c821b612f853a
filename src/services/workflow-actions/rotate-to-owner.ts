import { getContact } from '../../store/contacts.js';
import { takeRotationTurn } from '../../store/owner-rotations.js';
import { getUser } from '../../store/users.js';
import type { WorkflowActionType } from './action.js';
import { writeContactProperty } from './write-contact-property.js';

export const ROTATE_TO_OWNER = '0-11';

const userIdsOf = (f: Record<string, unknown>): string[] | null =>
  Array.isArray(f.user_ids) && f.user_ids.length > 0 && f.user_ids.every((u) => /^\d+$/.test(String(u))) ? f.user_ids.map(String) : null;
const overwrites = (f: Record<string, unknown>) => f.overwrite_current_owner === true || f.overwrite_current_owner === 'true';

/**
 * Hands the contact to the next of the listed users, round-robin. The turn is counted in the
 * database in this action's transaction (src/store/owner-rotations.ts), so rotations stay even
 * across workers and restarts; a skipped contact takes no turn.
 */
export const rotateToOwner: WorkflowActionType = {
  id: ROTATE_TO_OWNER,
  name: 'Rotate record to owner',
  groupId: 'records',
  inputFields: [
    { name: 'user_ids', type: 'object', required: true },
    { name: 'overwrite_current_owner', type: 'bool', required: false },
    { name: 'target_property', type: 'enumeration', required: false, options: ['hubspot_owner_id'] },
  ],
  keepsTimeWindows: true,
  validate(fields) {
    if (Array.isArray(fields.team_ids) && fields.team_ids.length > 0 && !fields.user_ids) return 'Rotate record to owner: Seqflow has no teams; list the users in user_ids.';
    if (!userIdsOf(fields)) return 'Rotate record to owner: user_ids must list at least one user id.';
    if (fields.target_property !== undefined && fields.target_property !== 'hubspot_owner_id') return 'Rotate record to owner: target_property must be hubspot_owner_id.';
    return null;
  },
  async run({ tx, at, run, fields: f }) {
    const ids = userIdsOf(f);
    if (!ids) return { status: 'FAILED', reasonCode: 'INVALID_ACTION', reasonText: 'The rotation lists no users.' };
    const contact = await getContact(tx, run.contactId);
    if (!contact) return { status: 'SKIPPED', reasonCode: 'CONTACT_NOT_FOUND', reasonText: 'Skipped: the contact was deleted.' };
    const current = contact.properties.hubspot_owner_id;
    if (current && !overwrites(f)) return { status: 'SKIPPED', reasonCode: 'OWNER_ALREADY_SET', reasonText: `Skipped: the contact already has owner ${current}.` };
    // A user deleted since the save leaves the rotation; the others share it.
    const live: string[] = [];
    for (const id of ids) if (await getUser(tx, Number(id))) live.push(id);
    if (live.length === 0) return { status: 'FAILED', reasonCode: 'USER_NOT_FOUND', reasonText: `None of the rotation's users (${ids.join(', ')}) exists any more.` };
    const turn = await takeRotationTurn(tx, run.workflowId, run.currentActionId ?? '', at.now);
    const owner = live[turn % live.length];
    await writeContactProperty(tx, at, contact, 'hubspot_owner_id', owner);
    return { status: 'EXECUTED', reasonText: `Assigned to user ${owner}.` };
  },
};
