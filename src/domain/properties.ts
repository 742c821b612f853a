import type { Contact } from './glossary.js';

/**
 * Property definitions (HubSpot's CRM properties v3) and the rules for values written to them.
 * Pure: the definitions store lives in src/store/properties.ts, the use cases in
 * src/services/properties.ts.
 *
 * Values are strings on the wire and in storage, as in HubSpot. A type decides which strings are
 * valid and how filters compare them; `null` or "" clears any property that may be written.
 */

export const OBJECT_TYPES = ['contacts', 'companies'] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];
/** HubSpot also names object types by id: 0-1 contacts, 0-2 companies. */
export const OBJECT_TYPE_IDS: Record<string, ObjectType> = { '0-1': 'contacts', '0-2': 'companies' };

export const PROPERTY_TYPES = ['string', 'number', 'date', 'datetime', 'enumeration', 'bool'] as const;
export type PropertyType = (typeof PROPERTY_TYPES)[number];
export const FIELD_TYPES = ['text', 'textarea', 'number', 'date', 'select', 'radio', 'checkbox', 'booleancheckbox'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Which form fields go with which type (HubSpot's pairs). */
export const FIELD_TYPES_OF: Record<PropertyType, readonly FieldType[]> = {
  string: ['text', 'textarea'],
  number: ['number'],
  date: ['date'],
  datetime: ['date'],
  enumeration: ['select', 'radio', 'checkbox', 'booleancheckbox'],
  bool: ['booleancheckbox'],
};

export interface PropertyOption {
  label: string;
  value: string;
  displayOrder: number;
  hidden: boolean;
  description?: string;
}

export interface PropertyDefinition {
  objectType: ObjectType;
  name: string;
  label: string;
  type: PropertyType;
  fieldType: FieldType;
  groupName: string;
  description: string;
  options: PropertyOption[];
  displayOrder: number;
  hidden: boolean;
  formField: boolean;
  hasUniqueValue: boolean;
  /** Defined by HubSpot (built in): cannot be archived or retyped. */
  hubspotDefined: boolean;
  /** Maintained by Seqflow: API writers cannot set it (READ_ONLY_VALUE). */
  readOnlyValue: boolean;
  createdAt: number | null;
  updatedAt: number | null;
  archivedAt: number | null;
}

export interface PropertyGroupDefinition {
  objectType: ObjectType;
  name: string;
  label: string;
  displayOrder: number;
  hubspotDefined: boolean;
  archivedAt: number | null;
}

// ---------------------------------------------------------------------------------------------
// Built-in properties

type BuiltIn = [name: string, label: string, type: PropertyType, fieldType: FieldType, group: string, extra?: Partial<PropertyDefinition>];
const opt = (values: string[]): PropertyOption[] => values.map((v, i) => ({ label: v.charAt(0) + v.slice(1).toLowerCase().replace(/_/g, ' '), value: v, displayOrder: i, hidden: false }));
const RO = { readOnlyValue: true };

export const LIFECYCLE_STAGES = ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other'];
/**
 * HubSpot's bounce categories (the `category` of its email BOUNCE events), used as the options of
 * hs_email_hard_bounce_reason_enum; src/domain/inbound maps DSN status codes onto them.
 */
export const BOUNCE_REASONS = [
  'UNKNOWN_USER',
  'MAILBOX_FULL',
  'CONTENT',
  'SPAM',
  'POLICY',
  'MAILBOX_MISCONFIGURATION',
  'DNS_FAILURE',
  'TIMEOUT',
  'THROTTLED',
  'UNCATEGORIZED',
] as const;
export type BounceReason = (typeof BOUNCE_REASONS)[number];

const lifecycle = LIFECYCLE_STAGES.map((v, i) => ({ label: v, value: v, displayOrder: i, hidden: false }));
const yesNo: PropertyOption[] = [
  { label: 'Yes', value: 'true', displayOrder: 0, hidden: false },
  { label: 'No', value: 'false', displayOrder: 1, hidden: false },
];

const CONTACT_BUILT_INS: BuiltIn[] = [
  ['email', 'Email', 'string', 'text', 'contactinformation', { hasUniqueValue: true }],
  ['firstname', 'First Name', 'string', 'text', 'contactinformation'],
  ['lastname', 'Last Name', 'string', 'text', 'contactinformation'],
  ['company', 'Company Name', 'string', 'text', 'contactinformation'],
  ['jobtitle', 'Job Title', 'string', 'text', 'contactinformation'],
  ['phone', 'Phone Number', 'string', 'text', 'contactinformation'],
  ['mobilephone', 'Mobile Phone Number', 'string', 'text', 'contactinformation'],
  ['website', 'Website URL', 'string', 'text', 'contactinformation'],
  ['address', 'Street Address', 'string', 'text', 'contactinformation'],
  ['city', 'City', 'string', 'text', 'contactinformation'],
  ['state', 'State/Region', 'string', 'text', 'contactinformation'],
  ['zip', 'Postal Code', 'string', 'text', 'contactinformation'],
  ['country', 'Country/Region', 'string', 'text', 'contactinformation'],
  ['industry', 'Industry', 'string', 'text', 'contactinformation'],
  ['message', 'Message', 'string', 'textarea', 'contactinformation'],
  ['timezone', 'Time Zone', 'string', 'text', 'contactinformation'],
  ['hs_additional_emails', 'Additional email addresses', 'string', 'textarea', 'contactinformation'],
  ['hubspot_owner_id', 'Contact owner', 'string', 'text', 'sales_properties'],
  // Owned by companies and associations (issue #13): the contact's primary company.
  ['associatedcompanyid', 'Primary Associated Company ID', 'number', 'number', 'contactinformation'],
  ['lifecyclestage', 'Lifecycle Stage', 'enumeration', 'radio', 'contactinformation', { options: lifecycle }],
  ['hs_lead_status', 'Lead Status', 'string', 'text', 'sales_properties'],
  ['hs_analytics_source', 'Original Source', 'string', 'text', 'analyticsinformation'],
  // Read-only in HubSpot; writable here because importers set it and the COLD_IMPORT guardrail reads it.
  ['hs_object_source', 'Record source', 'string', 'text', 'analyticsinformation'],
  // The import that created the contact (with hs_object_source=IMPORT); set by the import alone.
  ['hs_object_source_id', 'Record source ID', 'string', 'text', 'analyticsinformation', RO],
  ['createdate', 'Create Date', 'datetime', 'date', 'contactinformation', RO],
  ['lastmodifieddate', 'Last Modified Date', 'datetime', 'date', 'contactinformation', RO],
  ['hs_object_id', 'Record ID', 'number', 'number', 'contactinformation', RO],
  // Maintained by Seqflow from what happens to the contact (issue #13 item 6).
  ['hs_email_optout', 'Unsubscribed from all email', 'bool', 'booleancheckbox', 'emailinformation', { ...RO, options: yesNo }],
  ['hs_sequences_is_enrolled', 'Currently in Sequence', 'bool', 'booleancheckbox', 'sales_properties', { ...RO, options: yesNo }],
  ['hs_sequences_enrolled_count', 'Number of sequences enrolled', 'number', 'number', 'sales_properties', RO],
  ['hs_latest_sequence_enrolled', 'Last sequence enrolled', 'string', 'text', 'sales_properties', RO],
  ['hs_latest_sequence_enrolled_date', 'Last sequence enrolled date', 'datetime', 'date', 'sales_properties', RO],
  ['hs_sales_email_last_replied', 'Recent Sales Email Replied Date', 'datetime', 'date', 'sales_properties', RO],
  ['hs_email_bounce', 'Sales emails bounced', 'number', 'number', 'emailinformation', RO],
  ['hs_email_hard_bounce_reason_enum', 'Email hard bounce reason', 'enumeration', 'select', 'emailinformation', { ...RO, options: opt([...BOUNCE_REASONS]) }],
];

const COMPANY_BUILT_INS: BuiltIn[] = [
  ['name', 'Company name', 'string', 'text', 'companyinformation'],
  ['domain', 'Company Domain Name', 'string', 'text', 'companyinformation'],
  ['website', 'Website URL', 'string', 'text', 'companyinformation'],
  ['phone', 'Phone Number', 'string', 'text', 'companyinformation'],
  ['industry', 'Industry', 'string', 'text', 'companyinformation'],
  ['description', 'Description', 'string', 'textarea', 'companyinformation'],
  ['address', 'Street Address', 'string', 'text', 'companyinformation'],
  ['city', 'City', 'string', 'text', 'companyinformation'],
  ['state', 'State/Region', 'string', 'text', 'companyinformation'],
  ['zip', 'Postal Code', 'string', 'text', 'companyinformation'],
  ['country', 'Country/Region', 'string', 'text', 'companyinformation'],
  ['numberofemployees', 'Number of Employees', 'number', 'number', 'companyinformation'],
  ['annualrevenue', 'Annual Revenue', 'number', 'number', 'companyinformation'],
  ['timezone', 'Time Zone', 'string', 'text', 'companyinformation'],
  ['hubspot_owner_id', 'Company owner', 'string', 'text', 'companyinformation'],
  ['lifecyclestage', 'Lifecycle Stage', 'enumeration', 'radio', 'companyinformation', { options: lifecycle }],
  ['createdate', 'Create Date', 'datetime', 'date', 'companyinformation', RO],
  ['hs_lastmodifieddate', 'Last Modified Date', 'datetime', 'date', 'companyinformation', RO],
  ['hs_object_id', 'Record ID', 'number', 'number', 'companyinformation', RO],
];

const builtIn = (objectType: ObjectType, rows: BuiltIn[]): PropertyDefinition[] =>
  rows.map(([name, label, type, fieldType, groupName, extra], i) => ({
    objectType,
    name,
    label,
    type,
    fieldType,
    groupName,
    description: '',
    options: [],
    displayOrder: i,
    hidden: false,
    formField: !extra?.readOnlyValue,
    hasUniqueValue: false,
    hubspotDefined: true,
    readOnlyValue: false,
    createdAt: null,
    updatedAt: null,
    archivedAt: null,
    ...extra,
  }));

export const BUILT_IN_PROPERTIES: Record<ObjectType, PropertyDefinition[]> = {
  contacts: builtIn('contacts', CONTACT_BUILT_INS),
  companies: builtIn('companies', COMPANY_BUILT_INS),
};

export const BUILT_IN_GROUPS: Record<ObjectType, PropertyGroupDefinition[]> = {
  contacts: [
    ['contactinformation', 'Contact information'],
    ['emailinformation', 'Email information'],
    ['sales_properties', 'Sales properties'],
    ['analyticsinformation', 'Web analytics history'],
  ].map(([name, label], i) => ({ objectType: 'contacts', name: name!, label: label!, displayOrder: i, hubspotDefined: true, archivedAt: null })),
  companies: [['companyinformation', 'Company information']].map(([name, label], i) => ({
    objectType: 'companies',
    name: name!,
    label: label!,
    displayOrder: i,
    hubspotDefined: true,
    archivedAt: null,
  })),
};

export const builtInProperty = (objectType: ObjectType, name: string): PropertyDefinition | undefined => BUILT_IN_PROPERTIES[objectType].find((p) => p.name === name);

// ---------------------------------------------------------------------------------------------
// Definitions: what may be created or changed

export interface Problem {
  message: string;
  in: string;
}

/** HubSpot's internal names: lower-case, starting with a letter, letters, digits and underscores. */
export const PROPERTY_NAME = /^[a-z][a-z0-9_]{0,99}$/;

export function pairProblems(type: PropertyType, fieldType: FieldType): Problem[] {
  return FIELD_TYPES_OF[type].includes(fieldType)
    ? []
    : [{ message: `fieldType ${fieldType} does not go with type ${type}; use ${FIELD_TYPES_OF[type].join(' or ')}`, in: 'fieldType' }];
}

/** Options of an enumeration: at least one, values unique and without surrounding whitespace. */
export function optionProblems(type: PropertyType, options: { value: string; label: string }[] | undefined): Problem[] {
  if (type !== 'enumeration') return [];
  if (!options?.length) return [{ message: 'an enumeration property needs at least one option', in: 'options' }];
  const out: Problem[] = [];
  const seen = new Set<string>();
  options.forEach((o, i) => {
    if (o.value === '' || o.value !== o.value.trim() || o.value.includes(';'))
      out.push({ message: 'an option value must be non-empty, without surrounding whitespace or ";"', in: `options[${i}].value` });
    if (seen.has(o.value)) out.push({ message: `duplicate option value ${JSON.stringify(o.value)}`, in: `options[${i}].value` });
    seen.add(o.value);
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Values

/** HubSpot's error codes for a property value it refuses. */
export type ValueErrorCode =
  | 'PROPERTY_DOESNT_EXIST'
  | 'READ_ONLY_VALUE'
  | 'INVALID_NUMBER'
  | 'INVALID_DATE'
  | 'INVALID_DATETIME'
  | 'INVALID_BOOLEAN'
  | 'INVALID_OPTION'
  | 'LEADING_TRAILING_WHITESPACE';

export interface ValueProblem {
  name: string;
  error: ValueErrorCode;
  message: string;
}

const NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const EPOCH = /^-?\d{1,15}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;
const DAY = 86_400_000;

const validDateOnly = (s: string): number | null => {
  const m = DATE_ONLY.exec(s);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Date.UTC rolls 2025-02-30 over into March: a real calendar date reads back the same.
  return new Date(ms).toISOString().slice(0, 10) === s ? ms : null;
};

/**
 * A value for a property of this type, in the form Seqflow stores: numbers as written, date as
 * YYYY-MM-DD (HubSpot takes epoch ms at UTC midnight too), datetime as ISO-8601 UTC with ms
 * (from ISO with an offset or epoch ms), bool as true/false, enumeration as option values
 * (checkbox: several, ";"-separated). Returns the stored form, or the problem.
 */
export function normalizeValue(def: Pick<PropertyDefinition, 'name' | 'type' | 'fieldType' | 'options'>, value: string): { value: string } | ValueProblem {
  const bad = (error: ValueErrorCode, message: string): ValueProblem => ({ name: def.name, error, message });
  if (def.type === 'string') return { value };
  if (value !== value.trim()) return bad('LEADING_TRAILING_WHITESPACE', `${JSON.stringify(value)} includes leading or trailing whitespace.`);
  switch (def.type) {
    case 'number':
      return NUMBER.test(value) && Number.isFinite(Number(value)) ? { value } : bad('INVALID_NUMBER', `${JSON.stringify(value)} is not a valid number.`);
    case 'date': {
      if (validDateOnly(value) !== null) return { value };
      if (EPOCH.test(value) && Number(value) % DAY === 0) return { value: new Date(Number(value)).toISOString().slice(0, 10) };
      return bad('INVALID_DATE', `${JSON.stringify(value)} is not a valid date: send YYYY-MM-DD or epoch milliseconds at midnight UTC.`);
    }
    case 'datetime': {
      let ms: number | null = null;
      if (EPOCH.test(value)) ms = Number(value);
      else if (ISO.test(value)) ms = Date.parse(value);
      else ms = validDateOnly(value);
      if (ms === null || !Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return bad('INVALID_DATETIME', `${JSON.stringify(value)} is not a valid datetime: send ISO-8601 or epoch milliseconds.`);
      return { value: new Date(ms).toISOString() };
    }
    case 'bool': {
      const v = value.toLowerCase();
      return v === 'true' || v === 'false' ? { value: v } : bad('INVALID_BOOLEAN', `${JSON.stringify(value)} is not a valid boolean: send true or false.`);
    }
    case 'enumeration': {
      const allowed = def.options.map((o) => o.value);
      const parts = def.fieldType === 'checkbox' ? value.split(';').filter((p) => p !== '') : [value];
      const unknown = parts.filter((p) => !allowed.includes(p));
      if (unknown.length === 0 && parts.length) return { value: parts.join(';') };
      return bad('INVALID_OPTION', `${JSON.stringify(unknown[0] ?? value)} was not one of the allowed options: [${allowed.join(', ')}]`);
    }
  }
}

/**
 * Checks a write of `values` against the definitions (by name): every property must exist
 * (PROPERTY_DOESNT_EXIST), may not be maintained by Seqflow (READ_ONLY_VALUE) and must suit its
 * type. Returns the values in stored form, or every problem found.
 */
export function checkValues(
  defs: ReadonlyMap<string, PropertyDefinition>,
  values: Record<string, string | null>,
): { values: Record<string, string | null>; problems: ValueProblem[] } {
  const out: Record<string, string | null> = {};
  const problems: ValueProblem[] = [];
  for (const [name, value] of Object.entries(values)) {
    const def = defs.get(name);
    if (!def || def.archivedAt !== null) {
      problems.push({ name, error: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` });
      continue;
    }
    if (def.readOnlyValue) {
      problems.push({ name, error: 'READ_ONLY_VALUE', message: `"${name}" is a read only property; its value cannot be set.` });
      continue;
    }
    if (value === null || value === '') {
      out[name] = value;
      continue;
    }
    const r = normalizeValue(def, value);
    if ('error' in r) problems.push(r);
    else out[name] = r.value;
  }
  return { values: out, problems };
}

/** How filters compare a property: by its type, where it has one. */
export type ComparisonType = 'string' | 'number' | 'date' | 'datetime' | 'enumeration' | 'bool' | 'checkbox';
export const comparisonType = (def: Pick<PropertyDefinition, 'type' | 'fieldType'>): ComparisonType =>
  def.type === 'enumeration' && def.fieldType === 'checkbox' ? 'checkbox' : def.type;

// ---------------------------------------------------------------------------------------------
// Properties Seqflow maintains (issue #13 item 6)

/** Properties as filters and API readers see them: the stored ones plus those derived from the record. */
export const contactProperties = (c: Contact): Record<string, string | null> => ({
  ...c.properties,
  createdate: new Date(c.createdAt).toISOString(),
  lastmodifieddate: new Date(c.updatedAt).toISOString(),
  hs_object_id: String(c.id),
});

/**
 * HubSpot's bounce category for a DSN status (RFC 3463) and its diagnostic text: 5.1.x unknown
 * address, 5.2.2 mailbox full, 5.7.x policy (spam when the text says so), 5.4.x routing, 5.6.x
 * content. Anything else is UNCATEGORIZED.
 */
export function bounceReason(status: unknown, diagnostic: unknown): BounceReason {
  const code = typeof status === 'string' ? status.trim() : '';
  const text = typeof diagnostic === 'string' ? diagnostic.toLowerCase() : '';
  const fromText = /\b(5\.\d{1,3}\.\d{1,3})\b/.exec(text)?.[1];
  const s = /^\d\.\d{1,3}\.\d{1,3}$/.test(code) ? code : (fromText ?? '');
  if (/^\d\.2\.2$/.test(s) || /mailbox (is )?full|over quota|quota exceeded/.test(text)) return 'MAILBOX_FULL';
  if (/^\d\.1\.(1|10|0|2|3|6)$/.test(s) || /no such user|user unknown|does not exist|unknown user/.test(text)) return 'UNKNOWN_USER';
  if (/^\d\.7\.\d+$/.test(s)) return /spam/.test(text) ? 'SPAM' : 'POLICY';
  if (/^\d\.4\.7$/.test(s)) return 'TIMEOUT';
  if (/^\d\.4\.\d+$/.test(s)) return 'DNS_FAILURE';
  if (/^\d\.6\.\d+$/.test(s)) return 'CONTENT';
  if (/^\d\.2\.\d+$/.test(s)) return 'MAILBOX_MISCONFIGURATION';
  if (/^\d\.3\.\d+$/.test(s)) return 'MAILBOX_MISCONFIGURATION';
  return 'UNCATEGORIZED';
}

/**
 * What an event does to the properties Seqflow maintains on the contact, given its current
 * ones; an empty object when it does nothing. Values are in stored form (datetimes ISO).
 */
export function maintainedChanges(type: string, data: Record<string, unknown>, current: Record<string, string | null>, now: number): Record<string, string> {
  const count = (name: string) => String((Number(current[name] ?? 0) || 0) + 1);
  switch (type) {
    case 'SEQUENCE_ENROLLED':
      return {
        hs_sequences_is_enrolled: 'true',
        hs_sequences_enrolled_count: count('hs_sequences_enrolled_count'),
        ...(data.sequenceId !== undefined && { hs_latest_sequence_enrolled: String(data.sequenceId) }),
        hs_latest_sequence_enrolled_date: new Date(now).toISOString(),
      };
    case 'SEQUENCE_UNENROLLED':
    case 'SEQUENCE_FINISHED':
      return { hs_sequences_is_enrolled: 'false' };
    case 'EMAIL_REPLIED':
      return { hs_sales_email_last_replied: new Date(now).toISOString() };
    case 'EMAIL_BOUNCED':
      return { hs_email_bounce: count('hs_email_bounce'), hs_email_hard_bounce_reason_enum: bounceReason(data.status, data.diagnostic) };
    case 'UNSUBSCRIBED':
      return { hs_email_optout: 'true' };
    default:
      return {};
  }
}
