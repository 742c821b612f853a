import crypto from 'node:crypto';
import type { Contact } from '../domain/glossary.js';
import * as contacts from '../store/contacts.js';
import { getFormByGuid, insertForm, listForms, type Form, type FormField } from '../store/forms.js';
import type { Tx } from '../store/database.js';
import { contactPropertiesOf, createContactIn } from './contacts.js';
import type { Deps } from './deps.js';
import { errors, fieldError, isError, validationError } from './errors.js';
import { fireListTriggers, recordEvent, type At } from './events.js';
import { atNow } from './unenroll-contact.js';

export async function createForm(deps: Deps, input: { name: string; fields: FormField[] }): Promise<Form> {
  const email = input.fields.find((f) => f.name === 'email');
  if (!email) throw fieldError('fields', 'A form needs an "email" field: submissions create or update contacts by email.');
  const names = new Set<string>();
  for (const [i, f] of input.fields.entries()) {
    if (names.has(f.name)) throw fieldError(`fields[${i}].name`, `The field name "${f.name}" is used twice.`);
    names.add(f.name);
  }
  const fields = input.fields.map((f) => (f.name === 'email' ? { ...f, required: true } : f));
  return insertForm(deps.db.kysely, { guid: crypto.randomUUID(), name: input.name, fields }, deps.clock.now());
}

export async function requireForm(deps: Deps, guid: string): Promise<Form> {
  const form = await getFormByGuid(deps.db.kysely, guid);
  if (!form) throw errors.formNotFound({ id: guid });
  return form;
}

/**
 * Creates or updates the contact by email, case-insensitively; returns the contact and
 * whether it is new. Shared by form submissions and batch upserts.
 */
export async function upsertContactByEmail(
  tx: Tx,
  at: At,
  properties: Record<string, string | null>,
  source: contacts.PropertySource = 'API',
): Promise<{ contact: Contact; created: boolean }> {
  const existing = await contacts.getContactByEmail(tx, properties.email!);
  if (!existing) return { contact: await createContactIn(tx, at, properties, source, { emailChecked: true }), created: true };
  const patch = Object.fromEntries(Object.entries(properties).filter(([k, v]) => k !== 'email' && (existing.properties[k] ?? null) !== v));
  if (Object.keys(patch).length === 0) return { contact: existing, created: false };
  const updated = await contacts.updateContactProperties(tx, existing, patch, at.now, source);
  for (const property of Object.keys(patch)) {
    await recordEvent(tx, at, existing.id, 'PROPERTY_CHANGED', { property, value: patch[property], previous: existing.properties[property] ?? null }, { hs_name: property, hs_value: patch[property] });
  }
  await fireListTriggers(tx, at, existing.id, contactPropertiesOf(existing), contactPropertiesOf(updated));
  return { contact: updated, created: false };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The public submission endpoint's work (HubSpot forms v3): contact upsert plus a FORM_SUBMITTED event. */
export async function submitForm(deps: Deps, portalId: string, guid: string, values: { name: string; value: string }[]): Promise<{ contactId: number }> {
  if (portalId !== deps.config.portalId) throw errors.portalNotFound({ id: portalId });
  const form = await requireForm(deps, guid);
  const byName = new Map(values.map((v) => [v.name, v.value.trim()]));
  const problems = form.fields
    .filter((f) => f.required && !byName.get(f.name))
    .map((f) => ({ message: `${f.label || f.name} is required.`, in: `fields.${f.name}`, code: 'REQUIRED_FIELD' }));
  const email = byName.get('email') ?? '';
  if (email && !EMAIL.test(email)) problems.push({ message: `${email} is not a valid email address.`, in: 'fields.email', code: 'INVALID_EMAIL' });
  const unknown = values.filter((v) => !form.fields.some((f) => f.name === v.name));
  for (const u of unknown) problems.push({ message: `The form has no field "${u.name}".`, in: `fields.${u.name}`, code: 'UNKNOWN_FIELD' });
  if (problems.length) throw validationError(problems[0].message, problems, problems[0].code);

  const properties = Object.fromEntries(form.fields.filter((f) => byName.get(f.name)).map((f) => [f.name, byName.get(f.name)!]));
  const attempt = () =>
    deps.db.transaction(async (tx) => {
      const at = atNow(deps);
      const { contact } = await upsertContactByEmail(tx, at, properties, 'FORM');
      await recordEvent(tx, at, contact.id, 'FORM_SUBMITTED', { formId: form.guid, formName: form.name, values: properties }, { hs_form_id: form.guid });
      return { contactId: contact.id };
    });
  try {
    return await attempt();
  } catch (err) {
    // Two first submissions of one new address raced on the unique email; the loser's retry
    // finds the contact and updates it.
    if (isError(err, 'CONTACT_EXISTS')) return attempt();
    throw err;
  }
}

export type { Form, FormField } from '../store/forms.js';

export const listAllForms = (deps: Deps): Promise<Form[]> => listForms(deps.db.kysely);
