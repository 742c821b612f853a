/**
 * API scopes: HubSpot's names on the compatible routes (hubspot-api.md §3.1), Seqflow's own on
 * the /seqflow/v1 extensions. Which route needs which lives in src/http/scopes.ts; what a
 * principal may hand on to a new token is decided here, so the CLI and the services need no HTTP.
 */
export const SCOPES = [
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.objects.owners.read',
  'settings.users.read',
  'settings.users.write',
  'automation.sequences.read',
  'automation.sequences.enrollments.write',
  'automation',
  'forms',
  'seqflow.sequences.write',
  'seqflow.admin',
  // Reading /metrics, and nothing else: what a Prometheus scrape token should hold.
  'seqflow.metrics',
  // Companies (issue #13), HubSpot's names.
  'crm.objects.companies.read',
  'crm.objects.companies.write',
  'crm.schemas.contacts.read',
  'crm.schemas.contacts.write',
  'crm.schemas.companies.read',
  'crm.schemas.companies.write',
  // Lists v3 (issue #13)
  'crm.lists.read',
  'crm.lists.write',
  // CSV imports (HubSpot's name): start, read and cancel imports of contacts.
  'crm.import',
] as const;
export type Scope = (typeof SCOPES)[number];
/** Every scope at once: the admin's. Only an admin may hand it on. */
export const ALL = '*';

export const grants = (scopes: readonly string[], needed: string): boolean => scopes.includes(ALL) || scopes.includes(needed);

/**
 * The requested scopes the grantor does not hold itself, with their positions: a token can only
 * mint tokens weaker than or equal to itself, or a seqflow.admin token would be a skeleton key.
 */
export function scopesNotHeld(grantor: readonly string[], requested: readonly string[]): { scope: string; index: number }[] {
  return requested.flatMap((scope, index) => (grants(grantor, scope) && (scope !== ALL || grantor.includes(ALL)) ? [] : [{ scope, index }]));
}
