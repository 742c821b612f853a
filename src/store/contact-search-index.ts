import type { Kysely } from 'kysely';
import { indexedValues, queryWords } from '../domain/search-index.js';
import type { Db } from './database.js';

type Properties = Record<string, string | null>;
// Kysely<any> too: the migration that back-fills runs before the schema type describes the tables.
type AnyDb = Db | Kysely<any>;

const valueRows = (contactId: number, props: Properties) =>
  indexedValues(props).map((v) => ({ contact_id: contactId, name: v.name, value: v.value, text_key: v.textKey, bool_key: v.boolKey, num: v.num, instant: v.instant }));
const wordRows = (contactId: number, props: Properties) => queryWords(props).map((word) => ({ contact_id: contactId, word }));

// Well under both databases' bound-parameter limits (7 and 2 columns a row).
const VALUE_CHUNK = 1000;
const WORD_CHUNK = 2000;

/** Writes the search rows of contacts that have none yet (created, or back-filled). */
export async function indexContacts(db: AnyDb, contacts: { id: number; properties: Properties }[]): Promise<void> {
  const k = db as Kysely<any>;
  const values = contacts.flatMap((c) => valueRows(c.id, c.properties));
  for (let i = 0; i < values.length; i += VALUE_CHUNK) await k.insertInto('contact_property_values').values(values.slice(i, i + VALUE_CHUNK)).execute();
  const words = contacts.flatMap((c) => wordRows(c.id, c.properties));
  for (let i = 0; i < words.length; i += WORD_CHUNK) await k.insertInto('contact_search_words').values(words.slice(i, i + WORD_CHUNK)).execute();
}

/** Rewrites the search rows of the `changed` properties (and the words, when `words`) after an update. */
export async function reindexContact(db: Db, contactId: number, props: Properties, changed: string[], words: boolean): Promise<void> {
  if (changed.length) {
    // One upsert for the values that remain and a delete only for those that went: a typical
    // update (an enrollment's maintained properties) is one statement, not two.
    const rows = valueRows(contactId, Object.fromEntries(changed.map((n) => [n, props[n] ?? null])));
    const gone = changed.filter((n) => !rows.some((r) => r.name === n));
    if (gone.length) await db.deleteFrom('contact_property_values').where('contact_id', '=', contactId).where('name', 'in', gone).execute();
    if (rows.length) {
      await db
        .insertInto('contact_property_values')
        .values(rows)
        .onConflict((oc) =>
          oc.columns(['contact_id', 'name']).doUpdateSet((eb) => ({
            value: eb.ref('excluded.value'),
            text_key: eb.ref('excluded.text_key'),
            bool_key: eb.ref('excluded.bool_key'),
            num: eb.ref('excluded.num'),
            instant: eb.ref('excluded.instant'),
          })),
        )
        .execute();
    }
  }
  if (words) {
    await db.deleteFrom('contact_search_words').where('contact_id', '=', contactId).execute();
    const rows = wordRows(contactId, props);
    for (let i = 0; i < rows.length; i += WORD_CHUNK) await db.insertInto('contact_search_words').values(rows.slice(i, i + WORD_CHUNK)).execute();
  }
}

/** An archived (or purged) contact is found by no search: its search rows go. */
export async function unindexContact(db: Db, contactId: number): Promise<void> {
  await db.deleteFrom('contact_property_values').where('contact_id', '=', contactId).execute();
  await db.deleteFrom('contact_search_words').where('contact_id', '=', contactId).execute();
}
