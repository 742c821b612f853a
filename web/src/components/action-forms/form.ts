import type { ReactNode } from 'react';
import type { User } from '../../types';

export interface ActionFormProps {
  fields: Record<string, unknown>;
  set(k: string, v: unknown): void;
  users: User[] | undefined;
}

/**
 * An action's editor form in its own file: the fields it draws, the problem Save shows, the
 * fields it saves (without keys only the form uses) and its card's summary. ActionPanel lists them.
 */
export interface ActionForm {
  actionTypeId: string;
  Fields(p: ActionFormProps): ReactNode;
  validate(fields: Record<string, unknown>): string | null;
  clean?(fields: Record<string, unknown>): Record<string, unknown>;
  summary(fields: Record<string, unknown>, users: User[] | undefined): string[];
}

export const WEEKDAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;
export const dayLabel = (d: string) => d.charAt(0) + d.slice(1).toLowerCase();

/** {hour, minute} as an <input type="time"> value, and back. */
export const timeText = (t: unknown): string => {
  const x = t as { hour?: number; minute?: number } | undefined;
  return x && Number.isInteger(x.hour) && Number.isInteger(x.minute) ? `${String(x.hour).padStart(2, '0')}:${String(x.minute).padStart(2, '0')}` : '';
};
export const timeOf = (text: string): { hour: number; minute: number } | undefined => {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text);
  return m ? { hour: Number(m[1]), minute: Number(m[2]) } : undefined;
};
