/**
 * The API's request and response bodies as zod schemas, one module per part of the API. The
 * routes validate with them (src/http), the OpenAPI document is generated from them
 * (src/http/openapi.ts, via the route table in src/http/contracts.ts) and the web app takes its
 * types from them (web/src/types.ts). Imports nothing but zod.
 */
export * as common from './common.js';
export * as contacts from './contacts.js';
export * as enrollments from './enrollments.js';
export * as flows from './flows.js';
export * as forms from './forms.js';
export * as inboxes from './inboxes.js';
export * as sequences from './sequences.js';
export * as system from './system.js';
export * as users from './users.js';
export * as vocabulary from './vocabulary.js';
export * as companies from './companies.js';
export * as associations from './associations.js';
export * as properties from './properties.js';
export * as lists from './lists.js';
export * as imports from './imports.js';
export * as oauth from './oauth.js';
export * as holidays from './holidays.js';
export * as templates from './templates.js';
export * as schedules from './schedules.js';
export * as reports from './reports.js';
export * as tasks from './tasks.js';
