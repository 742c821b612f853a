import type { PropertyDefinition } from '../../domain/properties.js';
import { getCompany } from '../../store/companies.js';
import { getContact } from '../../store/contacts.js';
import { companyPropertiesOf } from '../companies.js';
import { ASSOCIATED_COMPANY_ID } from '../company-links.js';
import { contactPropertiesOf } from '../contacts.js';
import { SeqflowError } from '../errors.js';
import { checkPropertyValues, definitionsOf } from '../properties.js';
import type { WorkflowActionType } from './action.js';
import { writeContactProperty } from './write-contact-property.js';

/** HubSpot's v4 id for "Copy property value" is not documented: ours (docs/decisions.md). */
export const COPY_PROPERTY = 'seqflow-copy-property';
const CONTACT = '0-1';
const COMPANY = '0-2';

/** Any value reads as text; otherwise the types must match (a date is not a number). */
const compatible = (from: PropertyDefinition, to: PropertyDefinition) => to.type === 'string' || from.type === to.type || (from.type === 'date' && to.type === 'datetime');

/**
 * Copies a property of the contact, or of its primary company, to a property of the contact.
 * Definitions decide: a property that does not exist, or types that cannot hold each other's
 * values, fail the action (the workflow needs review); a source with no value, or a value the
 * target refuses (an enumeration option it lacks), skips it for this contact.
 */
export const copyProperty: WorkflowActionType = {
  id: COPY_PROPERTY,
  name: 'Copy property value',
  groupId: 'records',
  inputFields: [
    { name: 'source_object_type_id', type: 'enumeration', required: false, options: [CONTACT, COMPANY] },
    { name: 'source_property', type: 'string', required: true },
    { name: 'target_property', type: 'string', required: true },
  ],
  keepsTimeWindows: true,
  validate(f) {
    if (f.source_object_type_id !== undefined && f.source_object_type_id !== CONTACT && f.source_object_type_id !== COMPANY) return 'Copy property value: source_object_type_id must be 0-1 (the contact) or 0-2 (its company).';
    if (typeof f.source_property !== 'string' || !f.source_property) return 'Copy property value: name the source_property.';
    if (typeof f.target_property !== 'string' || !f.target_property) return 'Copy property value: name the target_property.';
    return null;
  },
  async run({ tx, at, run, fields: f }) {
    const fromCompany = f.source_object_type_id === COMPANY;
    const sourceName = String(f.source_property ?? '');
    const targetName = String(f.target_property ?? '');
    const source = (await definitionsOf(tx, fromCompany ? 'companies' : 'contacts')).get(sourceName);
    const target = (await definitionsOf(tx, 'contacts')).get(targetName);
    const where = fromCompany ? 'company' : 'contact';
    if (!source || source.archivedAt !== null) return { status: 'FAILED', reasonCode: 'PROPERTY_NOT_FOUND', reasonText: `The ${where} property ${sourceName} does not exist.` };
    if (!target || target.archivedAt !== null) return { status: 'FAILED', reasonCode: 'PROPERTY_NOT_FOUND', reasonText: `The contact property ${targetName} does not exist.` };
    if (target.readOnlyValue) return { status: 'FAILED', reasonCode: 'PROPERTY_READ_ONLY', reasonText: `Seqflow maintains ${targetName}: a workflow cannot set it.` };
    if (!compatible(source, target)) {
      return { status: 'FAILED', reasonCode: 'PROPERTY_TYPES_INCOMPATIBLE', reasonText: `Cannot copy ${source.type} property ${sourceName} into ${target.type} property ${targetName}.` };
    }
    const contact = await getContact(tx, run.contactId);
    if (!contact) return { status: 'SKIPPED', reasonCode: 'CONTACT_NOT_FOUND', reasonText: 'Skipped: the contact was deleted.' };
    let props = contactPropertiesOf(contact);
    if (fromCompany) {
      const companyId = Number(contact.properties[ASSOCIATED_COMPANY_ID]);
      const company = Number.isInteger(companyId) && companyId > 0 ? await getCompany(tx, companyId) : null;
      if (!company) return { status: 'SKIPPED', reasonCode: 'NO_ASSOCIATED_COMPANY', reasonText: 'Skipped: the contact has no company to copy from.' };
      props = companyPropertiesOf(company);
    }
    const value = props[sourceName];
    if (value === null || value === undefined || value === '') {
      return { status: 'SKIPPED', reasonCode: 'SOURCE_VALUE_EMPTY', reasonText: `Skipped: the ${where}'s ${sourceName} has no value.` };
    }
    let stored: string | null;
    try {
      stored = (await checkPropertyValues(tx, 'contacts', { [targetName]: value }))[targetName];
    } catch (err) {
      if (!(err instanceof SeqflowError)) throw err;
      return { status: 'SKIPPED', reasonCode: 'PROPERTY_VALUE_INVALID', reasonText: `Skipped: ${targetName} cannot hold "${value}": ${err.message}` };
    }
    await writeContactProperty(tx, at, contact, targetName, stored);
    return { status: 'EXECUTED', reasonText: `Copied ${sourceName} ("${value}") to ${targetName}.` };
  },
};
