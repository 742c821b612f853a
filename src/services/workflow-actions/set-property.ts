import { getContact, updateContactProperties } from '../../store/contacts.js';
import { contactPropertiesOf } from '../contacts.js';
import { fireListTriggers, recordEvent } from '../events.js';
import type { WorkflowActionType } from './action.js';
import { copyProperty } from './copy-property.js';

export const SET_PROPERTY = '0-5';

/** Sets one contact property; the change starts triggers as any property change does. */
export const setProperty: WorkflowActionType = {
  id: SET_PROPERTY,
  name: 'Set property value',
  groupId: 'records',
  inputFields: [
    { name: 'property_name', type: 'string', required: true },
    { name: 'value', type: 'object', required: true },
  ],
  keepsTimeWindows: true,
  async run(r) {
    const { tx, at, run, fields: f } = r;
    // HubSpot's flows copy a property with this action: value {type: OBJECT_PROPERTY, propertyName}.
    const copied = f.value as { type?: string; propertyName?: unknown } | undefined;
    if (typeof copied === 'object' && copied?.type === 'OBJECT_PROPERTY') return copyProperty.run({ ...r, fields: { source_property: copied.propertyName, target_property: f.property_name } });
    const contact = await getContact(tx, run.contactId);
    if (!contact) return { status: 'SKIPPED', reasonCode: 'CONTACT_NOT_FOUND', reasonText: 'Skipped: the contact was deleted.' };
    const name = String(f.property_name ?? '');
    const raw = f.value as { staticValue?: unknown } | string | undefined;
    const value = typeof raw === 'object' && raw !== null ? String(raw.staticValue ?? '') : String(raw ?? '');
    const updated = await updateContactProperties(tx, contact, { [name]: value }, at.now, 'WORKFLOW');
    await recordEvent(tx, at, contact.id, 'PROPERTY_CHANGED', { property: name, value, previous: contact.properties[name] ?? null }, { hs_name: name, hs_value: value });
    await fireListTriggers(tx, at, contact.id, contactPropertiesOf(contact), contactPropertiesOf(updated));
    return { status: 'EXECUTED', reasonText: `Set ${name} to "${value}".` };
  },
};
