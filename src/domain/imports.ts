import { domainKey } from './companies.js';

/**
 * CSV imports (HubSpot's CRM imports API): how a file's columns map to an object's properties and
 * what makes one row good or bad. Pure: the service streams the file and hands each row here.
 *
 * Terms: a *column mapping* ties a CSV column (by header name) to a property of an object type
 * (`columnObjectTypeId`, HubSpot's ids: `0-1` contacts, `0-2` companies); a *row error* is
 * HubSpot's `errorType` with the row's line number, and a bad row is reported, never half-written.
 */

/** Where an import is in its life, HubSpot's `state` names. */
export const IMPORT_STATES = ['STARTED', 'PROCESSING', 'DONE', 'FAILED', 'CANCELED', 'DEFERRED', 'REVERTED'] as const;
export type ImportState = (typeof IMPORT_STATES)[number];
/** States after which nothing more happens to an import. */
export const FINISHED_STATES: readonly ImportState[] = ['DONE', 'FAILED', 'CANCELED', 'REVERTED'];

/**
 * The object types an import can write, by HubSpot's object type id. Each names the property
 * records are matched on (HubSpot dedupes contacts on email, companies on domain). Companies join
 * this table when the companies branch lands: one entry here and one writer in the service.
 */
export const IMPORT_OBJECT_TYPES = {
  '0-1': { name: 'CONTACT', matchProperty: 'email' },
  // Companies are matched by their domain, compared as auto-association compares it (domainKey).
  '0-2': { name: 'COMPANY', matchProperty: 'domain' },
} as const;
export type ImportObjectTypeId = keyof typeof IMPORT_OBJECT_TYPES;
export const isImportObjectType = (id: string): id is ImportObjectTypeId => Object.hasOwn(IMPORT_OBJECT_TYPES, id);

/** HubSpot's errorType names for the row errors Seqflow reports. */
export type RowErrorType =
  | 'INVALID_EMAIL'
  | 'MISSING_REQUIRED_PROPERTY'
  | 'INCORRECT_NUMBER_OF_COLUMNS'
  | 'COLUMN_TOO_LARGE'
  | 'FAILED_VALIDATION'
  | 'INVALID_CUSTOM_PROPERTY_VALIDATION'
  | 'UNKNOWN_ERROR';

export interface RowError {
  errorType: RowErrorType;
  message: string;
  /** 1-based column of the offending cell, when one cell is to blame. */
  knownColumnNumber?: number;
  invalidValue?: string;
  propertyName?: string;
}

/** One mapped column: where it sits in the file and the property it fills. */
export interface ResolvedColumn {
  index: number;
  columnName: string;
  objectTypeId: ImportObjectTypeId;
  propertyName: string;
}

export interface ColumnMapping {
  columnName: string;
  propertyName?: string | null;
  columnObjectTypeId?: string;
}

/** Properties Seqflow maintains on every record; an import may not set them. */
export const UNMAPPABLE_PROPERTIES = ['hs_object_id', 'createdate', 'lastmodifieddate', 'hs_object_source', 'hs_object_source_id'];

/** A problem with the import request itself, naming the field as HubSpot's errors[].in does. */
export interface MappingProblem {
  message: string;
  in: string;
}

/**
 * Ties each mapping to its column in the header row. Columns without a property are ignored, as
 * HubSpot's "don't import column" is; a mapping naming no column of the file, a property mapped
 * twice, a property Seqflow maintains or a missing match property (email for contacts) is a
 * problem with the request, so the import never starts.
 */
export function resolveColumns(header: string[], mappings: ColumnMapping[], objectTypeId: ImportObjectTypeId): { columns: ResolvedColumn[]; problems: MappingProblem[] } {
  const problems: MappingProblem[] = [];
  const columns: ResolvedColumn[] = [];
  const byName = new Map<string, number>();
  header.forEach((h, i) => {
    const key = h.trim().toLowerCase();
    if (!byName.has(key)) byName.set(key, i);
  });
  const seen = new Set<string>();
  mappings.forEach((m, i) => {
    const at = `importRequest.files[0].fileImportPage.columnMappings[${i}]`;
    const property = m.propertyName?.trim();
    if (!property) return;
    const type = m.columnObjectTypeId ?? objectTypeId;
    if (type !== objectTypeId) {
      problems.push({ message: `Column "${m.columnName}" maps to object type ${type}; this import writes ${objectTypeId} only.`, in: `${at}.columnObjectTypeId` });
      return;
    }
    const index = byName.get(m.columnName.trim().toLowerCase());
    if (index === undefined) {
      problems.push({ message: `The file has no column "${m.columnName}".`, in: `${at}.columnName` });
      return;
    }
    if (UNMAPPABLE_PROPERTIES.includes(property)) {
      problems.push({ message: `${property} is maintained by Seqflow and cannot be imported.`, in: `${at}.propertyName` });
      return;
    }
    if (seen.has(property)) {
      problems.push({ message: `${property} is mapped to more than one column.`, in: `${at}.propertyName` });
      return;
    }
    seen.add(property);
    columns.push({ index, columnName: header[index], objectTypeId, propertyName: property });
  });
  const match = IMPORT_OBJECT_TYPES[objectTypeId].matchProperty;
  if (!problems.length && !seen.has(match)) {
    problems.push({ message: `Map a column to ${match}: records are created or updated by ${match}.`, in: 'importRequest.files[0].fileImportPage.columnMappings' });
  }
  return { columns, problems };
}

const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
/** The longest property value a row may carry (HubSpot's COLUMN_TOO_LARGE). */
export const MAX_VALUE_LENGTH = 65_536;

export type MappedRow = { ok: true; properties: Record<string, string> } | { ok: false; error: RowError };

/**
 * One data row as properties, or the reason it cannot be written. Empty cells set nothing (an
 * import never clears a value, as HubSpot's). The match property must be present and, for
 * email, valid; every other value goes through `checkValue` (property definitions plug in there).
 */
export function mapRow(row: string[], headerLength: number, columns: ResolvedColumn[], objectTypeId: ImportObjectTypeId): MappedRow {
  if (row.length !== headerLength) {
    return { ok: false, error: { errorType: 'INCORRECT_NUMBER_OF_COLUMNS', message: `The row has ${row.length} columns; the header has ${headerLength}.` } };
  }
  const properties: Record<string, string> = {};
  for (const c of columns) {
    const value = (row[c.index] ?? '').trim();
    if (value.includes('\u0000')) {
      return { ok: false, error: { errorType: 'FAILED_VALIDATION', message: `${c.propertyName} holds a NUL character (\\u0000), which no property value may.`, knownColumnNumber: c.index + 1, propertyName: c.propertyName } };
    }
    if (value.length > MAX_VALUE_LENGTH) {
      return { ok: false, error: { errorType: 'COLUMN_TOO_LARGE', message: `${c.propertyName} is longer than ${MAX_VALUE_LENGTH} characters.`, knownColumnNumber: c.index + 1, propertyName: c.propertyName } };
    }
    if (value !== '') properties[c.propertyName] = value;
  }
  const match = IMPORT_OBJECT_TYPES[objectTypeId].matchProperty;
  const matchColumn = columns.find((c) => c.propertyName === match)!;
  const key = properties[match];
  if (!key) {
    return { ok: false, error: { errorType: 'MISSING_REQUIRED_PROPERTY', message: `${match} is empty.`, knownColumnNumber: matchColumn.index + 1, propertyName: match } };
  }
  if (match === 'domain' && !domainKey(key)) {
    return { ok: false, error: { errorType: 'FAILED_VALIDATION', message: `${key} is not a domain name.`, knownColumnNumber: matchColumn.index + 1, invalidValue: key, propertyName: match } };
  }
  if (match === 'email' && !EMAIL.test(key)) {
    return { ok: false, error: { errorType: 'INVALID_EMAIL', message: `${key} is not a valid email address.`, knownColumnNumber: matchColumn.index + 1, invalidValue: key, propertyName: match } };
  }
  return { ok: true, properties };
}

/** Is this row blank (every cell empty)? HubSpot skips blank rows rather than reporting them. */
export const isBlankRow = (row: string[]): boolean => row.every((cell) => cell.trim() === '');

/** The key a record is matched on: emails compare case-insensitively. */
export const matchKey = (objectTypeId: ImportObjectTypeId, properties: Record<string, string>): string => {
  const value = properties[IMPORT_OBJECT_TYPES[objectTypeId].matchProperty];
  return objectTypeId === '0-2' ? (domainKey(value) ?? '') : value.trim().toLowerCase();
};

const normalise = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Header names people write for the common contact properties, beyond the property's own name and label. */
const ALIASES: Record<string, string[]> = {
  email: ['email', 'emailaddress', 'mail', 'e-mail'],
  firstname: ['firstname', 'first', 'givenname', 'forename'],
  lastname: ['lastname', 'last', 'surname', 'familyname'],
  company: ['company', 'companyname', 'organization', 'organisation'],
  jobtitle: ['jobtitle', 'title', 'position', 'role'],
  phone: ['phone', 'phonenumber', 'telephone', 'tel'],
  city: ['city', 'town'],
  country: ['country'],
  website: ['website', 'url', 'web'],
};

/**
 * A suggested mapping for a header row: a column whose name (ignoring case, spaces and
 * punctuation) is a known property's name, label or a common alias maps to it; others are left
 * unmapped (null) for the user to choose.
 */
export function suggestMapping(header: string[], known: { name: string; label?: string }[]): { columnName: string; propertyName: string | null }[] {
  const taken = new Set<string>();
  return header.map((columnName) => {
    const n = normalise(columnName);
    const hit = known.find((p) => !taken.has(p.name) && (normalise(p.name) === n || (p.label && normalise(p.label) === n) || ALIASES[p.name]?.includes(n)));
    if (hit) taken.add(hit.name);
    return { columnName, propertyName: hit?.name ?? null };
  });
}

/**
 * The CLI's `--map email=Email,firstname="First Name"`: property=column pairs, comma-separated;
 * a column name may be double-quoted to hold commas or equals signs.
 */
export function parseMapFlag(text: string): { propertyName: string; columnName: string }[] {
  const out: { propertyName: string; columnName: string }[] = [];
  const re = /\s*([^=,\s]+)\s*=\s*(?:"((?:[^"]|"")*)"|([^,]*))\s*(?:,|$)/gy;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while (consumed < text.length && (m = re.exec(text)) !== null) {
    if (m[0] === '') break;
    out.push({ propertyName: m[1], columnName: m[2] !== undefined ? m[2].replace(/""/g, '"') : m[3].trim() });
    consumed = re.lastIndex;
  }
  if (consumed < text.trim().length || out.length === 0) throw new Error(`--map expects property=column pairs separated by commas, e.g. email=Email,firstname="First Name"; could not read "${text.slice(consumed)}".`);
  return out;
}
