import type { ListsBeforeAfter } from '../domain/workflow-graph.js';
import { matchesFlowBranch, type FlowFilterBranch, type Properties, type PropertyTypes } from '../domain/filters.js';
import type { Tx } from '../store/database.js';
import { addMembers, listDynamicLists, listIdsOfContact, removeMembers } from '../store/lists.js';
import type { ContactList } from '../domain/glossary.js';
import { appendEvent } from '../store/events.js';
import type { At } from './events.js';

/**
 * Materialized DYNAMIC membership (docs/decisions.md, "Lists"): a changed contact is evaluated
 * against every live DYNAMIC list in the transaction of the change, joining the lists it now
 * matches and leaving those it no longer does. Returns the lists it was on before and is on
 * after, which the list-membership triggers compare.
 */
export async function refreshDynamicMemberships(
  tx: Tx,
  at: At & { types?: PropertyTypes },
  contactId: number,
  props: Properties,
  // An import's batch reads the dynamic lists once, and its new contacts are on no list yet.
  o: { dynamicLists?: ContactList[]; isNew?: boolean } = {},
): Promise<ListsBeforeAfter> {
  const before = new Set(o.isNew ? [] : (await listIdsOfContact(tx, contactId)).map(String));
  const after = new Set(before);
  for (const list of o.dynamicLists ?? (await listDynamicLists(tx))) {
    const key = String(list.id);
    const matches = matchesFlowBranch(props, list.filterBranch as FlowFilterBranch, at);
    if (matches && !before.has(key)) {
      await addMembers(tx, list.id, [contactId], at.now);
      await appendEvent(tx, contactId, 'ADDED_TO_LIST', at.now, { listId: list.id });
      after.add(key);
    } else if (!matches && before.has(key)) {
      await removeMembers(tx, list.id, [contactId]);
      await appendEvent(tx, contactId, 'REMOVED_FROM_LIST', at.now, { listId: list.id });
      after.delete(key);
    }
  }
  return { before, after };
}
