import type { Contact } from '../domain/glossary.js';
import { MAX_ID } from '../schemas/common.js';
import { matchesFilterGroups, matchesQuery, sortComparator, validateFilterGroups, type FilterGroup, type PropertyTypes } from '../domain/filters.js';
import { countContacts, findContactsByEmailOrId, listContacts, listContactsAt } from '../store/contacts.js';
import { contactPropertiesOf } from './contacts.js';
import type { Deps } from './deps.js';
import { comparisonTypes } from './properties.js';
import { searchContactsSql } from '../store/contact-search-sql.js';
import { errors, validationError } from './errors.js';

/** HubSpot serves at most 10,000 results per search query. */
export const SEARCH_CAP = 10_000;

export interface ContactSearch {
  filterGroups: unknown[];
  sorts: unknown[];
  query?: string;
  limit: number;
  after?: string | number;
}

export interface ContactSearchPage {
  /** Every match, as HubSpot reports it; only paging stops at SEARCH_CAP. */
  total: number;
  contacts: Contact[];
  /** The cursor of the next page, or null on the last one. */
  nextAfter: string | null;
}

/**
 * CRM search (POST /crm/v3/objects/contacts/search). Nothing to filter or sort is a count and an
 * id-ordered page; otherwise the search compiled to SQL (src/store/contact-search-sql.ts), which
 * answers as the filter evaluator of src/domain/filters.ts would. The few searches it cannot
 * compile exactly run the evaluator over the contacts: groups that each pin email or
 * hs_object_id read only those rows, anything else reads every live contact in batches.
 */
export async function searchContacts(deps: Deps, s: ContactSearch): Promise<ContactSearchPage> {
  const problems = validateFilterGroups(s.filterGroups);
  if (problems.length) throw validationError(problems[0].message, problems);
  const db = deps.db.kysely;
  const offset = searchOffset(s.after);
  const groups = s.filterGroups as FilterGroup[];
  // Typed properties (numbers, dates, options) compare as their type, not as text.
  const types = await comparisonTypes(db, 'contacts');
  const room = Math.max(0, Math.min(s.limit, SEARCH_CAP - offset));

  let total: number;
  let page: Contact[];
  if (groups.length === 0 && !s.query && s.sorts.length === 0) {
    // Nothing filters or sorts: a count and an id-ordered page, straight from SQL.
    total = await countContacts(db);
    page = room ? await listContactsAt(db, { offset, limit: room }) : [];
  } else {
    const compiled = await searchContactsSql(db, deps.db.dialect, { groups, sorts: s.sorts, query: s.query, offset, limit: room, types });
    if (compiled) return { total: compiled.total, contacts: compiled.contacts, nextAfter: nextSearchCursor(offset, s.limit, compiled.total) };
    const matches: { c: Contact; props: Record<string, string | null> }[] = [];
    const keep = (c: Contact) => {
      const props = contactPropertiesOf(c);
      if (matchesFilterGroups(props, groups, types) && (!s.query || matchesQuery(props, s.query))) matches.push({ c, props });
    };
    const pushed = pushDown(groups);
    if (pushed) {
      // Every group pins email or hs_object_id: only those rows can match; the evaluator still decides.
      for (const c of await findContactsByEmailOrId(db, pushed.emails, pushed.ids)) keep(c);
    } else {
      for (let after = 0; ; ) {
        const batch = await listContacts(db, { after, limit: 2000 });
        if (batch.length === 0) break;
        batch.forEach(keep);
        after = batch[batch.length - 1].id;
      }
    }
    if (s.sorts.length) {
      const cmp = sortComparator(s.sorts, types);
      matches.sort((a, b) => cmp(a.props, b.props));
    }
    total = matches.length;
    page = matches.slice(offset, offset + room).map((m) => m.c);
  }
  return { total, contacts: page, nextAfter: nextSearchCursor(offset, s.limit, total) };
}

/** The cursor of the page after [offset, offset + limit), or null when that was the last one. */
export const nextSearchCursor = (offset: number, limit: number, total: number): string | null =>
  offset + limit < Math.min(total, SEARCH_CAP) ? String(offset + limit) : null;

/**
 * Search over records already read (any CRM object): checks the filter groups, then filters,
 * sorts and pages by the same rules as contact search. `props` is how filters see a record.
 */
export function searchRecords<T>(records: T[], props: (r: T) => Record<string, string | null>, s: ContactSearch, types?: PropertyTypes): { total: number; page: T[]; nextAfter: string | null } {
  const problems = validateFilterGroups(s.filterGroups);
  if (problems.length) throw validationError(problems[0].message, problems);
  const offset = searchOffset(s.after);
  const groups = s.filterGroups as FilterGroup[];
  const room = Math.max(0, Math.min(s.limit, SEARCH_CAP - offset));
  const matches = records.map((r) => ({ r, p: props(r) })).filter(({ p }) => matchesFilterGroups(p, groups, types) && (!s.query || matchesQuery(p, s.query)));
  if (s.sorts.length) {
    const cmp = sortComparator(s.sorts, types);
    matches.sort((a, b) => cmp(a.p, b.p));
  }
  return { total: matches.length, page: matches.slice(offset, offset + room).map((m) => m.r), nextAfter: nextSearchCursor(offset, s.limit, matches.length) };
}

/**
 * The search cursor is an offset (numeric or a digit string, `after: 0` included). HubSpot
 * serves at most 10,000 results per query: a cursor at or past that is a 400, as there.
 */
export function searchOffset(after: string | number | undefined): number {
  const raw = after === undefined || after === '' ? '0' : String(after).trim();
  if (!/^\d+$/.test(raw)) throw errors.searchCursorInvalid();
  const offset = Number(raw);
  if (offset >= SEARCH_CAP) throw errors.searchCursorPastCap({ after: raw, cap: SEARCH_CAP });
  return offset;
}

/** A canonical email or id operand, or null when the SQL side could not match exactly what the evaluator does. */
const emailOperand = (v: unknown): string | null => (typeof v === 'string' && v.includes('@') ? v.trim().toLowerCase() : null);
const idOperand = (v: unknown): number | null => {
  const s = typeof v === 'number' ? String(v) : typeof v === 'string' ? v : '';
  return /^[1-9]\d{0,9}$/.test(s) && Number(s) <= MAX_ID ? Number(s) : null;
};

/**
 * When every group has an EQ (or IN) on email or hs_object_id with operands SQL can look up
 * exactly, the union of those rows is a superset of the matches; else null (full scan).
 */
function pushDown(groups: FilterGroup[]): { emails: string[]; ids: number[] } | null {
  if (groups.length === 0) return null;
  const emails: string[] = [];
  const ids: number[] = [];
  for (const g of groups) {
    let pinned = false;
    for (const f of g.filters ?? []) {
      const operands = f.operator === 'EQ' ? [f.value] : f.operator === 'IN' ? (f.values ?? []) : null;
      if (!operands || operands.length === 0) continue;
      if (f.propertyName === 'email') {
        const es = operands.map(emailOperand);
        if (es.every((e): e is string => e !== null)) {
          emails.push(...es);
          pinned = true;
          break;
        }
      } else if (f.propertyName === 'hs_object_id') {
        const ns = operands.map(idOperand);
        if (ns.every((n): n is number => n !== null)) {
          ids.push(...ns);
          pinned = true;
          break;
        }
      }
    }
    if (!pinned) return null;
  }
  return { emails, ids };
}
