import { sql, type Expression, type SqlBool } from 'kysely';

/**
 * `column` contains `text`, ignoring case, in both dialects: PostgreSQL's LIKE is case-sensitive
 * and SQLite's is not, so both sides are lowered; `%`, `_` and `\` in the text match themselves.
 */
export function containsText(column: string, text: string): Expression<SqlBool> {
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<SqlBool>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
}
