import { createRequire } from 'node:module';
import type pg from 'pg';

/**
 * The pg driver (~3 MB of heap), loaded when a PostgreSQL URL is opened: a server on SQLite never
 * pays for it. pg is CommonJS, so a synchronous require keeps opening a database synchronous.
 */
export const loadPg = (): typeof pg => createRequire(import.meta.url)('pg') as typeof pg;
