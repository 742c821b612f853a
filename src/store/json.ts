/** JSON columns are text in both dialects. */
export const toJson = (value: unknown): string => JSON.stringify(value ?? null);
export function fromJson<T>(text: string | null | undefined, fallback: T): T {
  if (text == null || text === '') return fallback;
  return JSON.parse(text) as T;
}

/** A unique-constraint violation, as either driver reports it. */
export function isUniqueViolation(err: unknown, constraintHint?: string): boolean {
  const e = err as { code?: string; constraint?: string; message?: string };
  const unique = e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(e?.message ?? '');
  if (!unique || !constraintHint) return unique;
  return (e.constraint ?? e.message ?? '').includes(constraintHint);
}
