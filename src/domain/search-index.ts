/**
 * What SQL search reads instead of a contact's JSON properties (docs/decisions.md, "Contact
 * search in SQL"): each set property as the keys the filter evaluator compares by, and the words
 * the full-text `query` finds by. Computed here, in JS, with the evaluator's own parsers, so SQL
 * compares exactly what src/domain/filters.ts would (SQLite's lower() and trim() would not).
 */
import { QUERY_PROPERTIES, readProp, searchableWords, toInstant, toNumber, type Properties } from './filters.js';

export interface IndexedValue {
  name: string;
  /** The value as stored ('' is never indexed: HubSpot reads it as no value). */
  value: string;
  /** value.toLowerCase(): string order and untyped equality. */
  textKey: string;
  /** value.trim().toLowerCase(): boolean equality. */
  boolKey: string;
  /** The value as a number, when it reads as one. */
  num: number | null;
  /** The value as epoch ms (ISO-8601 or epoch digits), when it reads as one. */
  instant: number | null;
}

export function indexedValues(props: Properties): IndexedValue[] {
  const out: IndexedValue[] = [];
  for (const name of Object.keys(props)) {
    const value = readProp(props, name);
    if (value === null) continue;
    out.push({ name, value, textKey: value.toLowerCase(), boolKey: value.trim().toLowerCase(), num: toNumber(value), instant: toInstant(value) });
  }
  return out;
}

/** The distinct words a `query` term may be a prefix of. */
export const queryWords = (props: Properties): string[] => [...new Set(searchableWords(props))];

/** Whether a patch touches what `query` reads, i.e. whether the words must be rewritten. */
export const touchesQueryWords = (names: string[]): boolean => names.some((n) => (QUERY_PROPERTIES as readonly string[]).includes(n));
