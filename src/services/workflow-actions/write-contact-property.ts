import type { Contact } from '../../domain/glossary.js';
import type { Tx } from '../../store/database.js';
import { updateContactProperties } from '../../store/contacts.js';
import { contactPropertiesOf } from '../contacts.js';
import { fireListTriggers, recordEvent, type At } from '../events.js';

/** Writes one contact property from a workflow: history, the timeline event and list triggers, as a Set property action does. */
export async function writeContactProperty(tx: Tx, at: At, contact: Contact, name: string, value: string | null): Promise<Contact> {
  const updated = await updateContactProperties(tx, contact, { [name]: value }, at.now, 'WORKFLOW');
  await recordEvent(tx, at, contact.id, 'PROPERTY_CHANGED', { property: name, value }, { hs_name: name, hs_value: value ?? '' });
  await fireListTriggers(tx, at, contact.id, contactPropertiesOf(contact), contactPropertiesOf(updated));
  return updated;
}
