import type { Db } from './database.js';
import { itemEverExisted, TEMPLATE, type LibraryFields, type LibraryItem } from './library-items.js';

export type { LibraryFilter } from './library-items.js';
export type Template = LibraryItem<'subject'>;
export type TemplateFields = LibraryFields<'subject'>;

/** Whether a template by this id was ever made (a step may name a removed one). */
export const templateEverExisted = (db: Db, id: number): Promise<boolean> => itemEverExisted(db, TEMPLATE, id);
