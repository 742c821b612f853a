import type { ReactNode } from 'react';
import type { User } from '../../types';

export interface ActionFormProps {
  fields: Record<string, unknown>;
  set(k: string, v: unknown): void;
  users: User[] | undefined;
}

/** One action type's editor form: its fields, the check Save makes, and its card's summary lines. */
export interface ActionForm {
  actionTypeId: string;
  Fields(p: ActionFormProps): ReactNode;
  validate(f: Record<string, unknown>): string | null;
  summary(f: Record<string, unknown>, users: User[] | undefined): string[];
}
