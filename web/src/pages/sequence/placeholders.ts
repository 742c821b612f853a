import type { Sequence } from '../../types';

/** `[[placeholder: text]]`, as src/domain/templates.ts reads it (placeholders.test.ts holds the two together). */
const PLACEHOLDER = /\[\[\s*placeholder\s*:([\s\S]*?)\]\]/gi;

/** The placeholder texts of a template, trimmed (the key `placeholderValues` fills), first seen first. */
export function placeholdersIn(source: string): string[] {
  return [...new Set([...source.matchAll(PLACEHOLDER)].map((m) => m[1].trim()))];
}

/** Every placeholder the sequence's emails ask the sender for, in step order. */
export function sequencePlaceholders(sequence: Pick<Sequence, 'steps'>): string[] {
  const emails = [...sequence.steps].filter((s) => s.actionType === 'EMAIL').sort((a, b) => a.stepOrder - b.stepOrder);
  return [...new Set(emails.flatMap((s) => placeholdersIn(`${s.emailPattern?.subject ?? ''}\n${s.emailPattern?.body ?? ''}`)))];
}

/** The placeholders left blank: enrolling with one would only pause the email until someone fills it. */
export const unfilledPlaceholders = (names: string[], values: Record<string, string>): string[] => names.filter((n) => !values[n]?.trim());
