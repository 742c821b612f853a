import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

/**
 * Our own JSON Schemas for the HubSpot shapes Seqflow serves (written from the documented shapes
 * in shared/spec/hubspot-api.md, not copied from HubSpot's OpenAPI files), the validator, and
 * the table that says which schema an exchange (method, path, status) must satisfy.
 */

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'schemas');
const BASE = 'https://seqflow.test/contracts/';

/** §3.2 rule 4: ISO-8601 with milliseconds and Z, which the client parses with new Date(). */
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
ajv.addFormat('date-time', { type: 'string', validate: (s: string) => ISO_MS.test(s) && !Number.isNaN(Date.parse(s)) });
ajv.addFormat('uuid', UUID);

export const SCHEMA_NAMES: string[] = [];
for (const file of fs.readdirSync(DIR).filter((f) => f.endsWith('.json')).sort()) {
  ajv.addSchema(JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8')));
  SCHEMA_NAMES.push(file.replace(/\.json$/, ''));
}

const compiled = new Map<string, ValidateFunction>();
function validator(name: string): ValidateFunction {
  let v = compiled.get(name);
  if (!v) {
    v = ajv.getSchema(`${BASE}${name}.json`);
    if (!v) throw new Error(`No contract schema named ${name}`);
    compiled.set(name, v);
  }
  return v;
}

const describeError = (e: ErrorObject): string => {
  const where = e.instancePath || '/';
  if (e.keyword === 'required') return `${where}: missing required property '${(e.params as { missingProperty: string }).missingProperty}'`;
  if (e.keyword === 'additionalProperties') return `${where}: unexpected property '${(e.params as { additionalProperty: string }).additionalProperty}'`;
  return `${where}: ${e.message}${e.keyword === 'enum' ? ` ${JSON.stringify((e.params as { allowedValues: unknown }).allowedValues)}` : ''}`;
};

/** Validates `data` against the named schema; each problem is reported with its JSON path. */
export function validate(name: string, data: unknown): string[] {
  const v = validator(name);
  if (v(data)) return [];
  // `if/then` failures repeat the inner error; keep the informative ones.
  return [...new Set((v.errors ?? []).filter((e) => e.keyword !== 'if').map(describeError))];
}

// ---------------------------------------------------------------------------------------------
// Which schema an exchange must satisfy

export interface Exchange {
  method: string;
  /** Path without the base URL or query, e.g. /crm/v3/objects/contacts/12. */
  path: string;
  query: string;
  requestBody?: string;
  status: number;
  contentType: string | undefined;
  text: string;
}

type Contract = { method: string; path: RegExp; ok: Record<number, string | null> };

const SEQ = '/automation/(?:v4/sequences|sequences/(?:2025-09|2026-03|2026-09))';
const ID = '[^/]+';
const C = '/crm/v3/objects/contacts';
const PROPS = '/crm/v3/properties/(?:contacts|companies|0-1|0-2)';
const re = (s: string) => new RegExp(`^${s}/?$`);

const CO = '/crm/v3/objects/companies';
const V4 = `/crm/v4/objects/${ID}/${ID}/associations`;
const V4B = `/crm/v4/associations/${ID}/${ID}/batch`;

/** Companies v3 (the contacts shapes) and associations v4 (issue #13). */
const COMPANY_CONTRACTS: Contract[] = [
  { method: 'POST', path: re(`${CO}/search`), ok: { 200: 'CollectionResponseWithTotalSimplePublicObject' } },
  { method: 'POST', path: re(`${CO}/batch/create`), ok: { 201: 'BatchResponseSimplePublicObject', 207: 'BatchResponseSimplePublicObjectWithErrors' } },
  { method: 'POST', path: re(`${CO}/batch/read`), ok: { 200: 'BatchResponseSimplePublicObject', 207: 'BatchResponseSimplePublicObjectWithErrors' } },
  { method: 'POST', path: re(`${CO}/batch/update`), ok: { 200: 'BatchResponseSimplePublicObject', 207: 'BatchResponseSimplePublicObjectWithErrors' } },
  { method: 'POST', path: re(`${CO}/batch/archive`), ok: { 204: null } },
  { method: 'POST', path: re(CO), ok: { 201: 'SimplePublicObject' } },
  { method: 'GET', path: re(CO), ok: { 200: 'CollectionResponseSimplePublicObjectWithAssociations' } },
  { method: 'GET', path: re(`${CO}/${ID}`), ok: { 200: 'SimplePublicObjectWithAssociations' } },
  { method: 'PATCH', path: re(`${CO}/${ID}`), ok: { 200: 'SimplePublicObject' } },
  { method: 'DELETE', path: re(`${CO}/${ID}`), ok: { 204: null } },
  { method: 'PUT', path: re(`${V4}/default/${ID}/${ID}`), ok: { 200: 'BatchResponsePublicDefaultAssociation' } },
  { method: 'PUT', path: re(`${V4}/${ID}/${ID}`), ok: { 201: 'LabelsBetweenObjectPair' } },
  { method: 'DELETE', path: re(`${V4}/${ID}/${ID}`), ok: { 204: null } },
  { method: 'GET', path: re(`${V4}/${ID}`), ok: { 200: 'CollectionResponseMultiAssociatedObjectWithLabelForwardPaging' } },
  { method: 'POST', path: re(`${V4B}/create`), ok: { 201: 'BatchResponseLabelsBetweenObjectPair', 207: 'BatchResponseLabelsBetweenObjectPairWithErrors' } },
  { method: 'POST', path: re(`${V4B}/associate/default`), ok: { 200: 'BatchResponsePublicDefaultAssociation' } },
  { method: 'POST', path: re(`${V4B}/read`), ok: { 200: 'BatchResponsePublicAssociationMultiWithLabel', 207: 'BatchResponsePublicAssociationMultiWithLabelWithErrors' } },
  { method: 'POST', path: re(`${V4B}/archive`), ok: { 204: null } },
  { method: 'POST', path: re(`${V4B}/labels/archive`), ok: { 204: null } },
];

/** Success statuses per operation (the generated client accepts exactly these) and their schema; null = no body. */
export const CONTRACTS: Contract[] = [
  { method: 'POST', path: re(`${C}/search`), ok: { 200: 'CollectionResponseWithTotalSimplePublicObject' } },
  { method: 'POST', path: re(`${C}/merge`), ok: { 200: 'SimplePublicObject' } },
  { method: 'POST', path: re(`${C}/gdpr-delete`), ok: { 204: null } },
  { method: 'POST', path: re(`${C}/batch/create`), ok: { 201: 'BatchResponseSimplePublicObject', 207: 'BatchResponseSimplePublicObjectWithErrors' } },
  { method: 'POST', path: re(`${C}/batch/read`), ok: { 200: 'BatchResponseSimplePublicObject', 207: 'BatchResponseSimplePublicObjectWithErrors' } },
  { method: 'POST', path: re(`${C}/batch/update`), ok: { 200: 'BatchResponseSimplePublicObject', 207: 'BatchResponseSimplePublicObjectWithErrors' } },
  { method: 'POST', path: re(`${C}/batch/upsert`), ok: { 200: 'BatchResponseSimplePublicUpsertObject', 207: 'BatchResponseSimplePublicUpsertObjectWithErrors' } },
  { method: 'POST', path: re(`${C}/batch/archive`), ok: { 204: null } },
  { method: 'POST', path: re(C), ok: { 201: 'SimplePublicObject' } },
  { method: 'GET', path: re(C), ok: { 200: 'CollectionResponseSimplePublicObjectWithAssociations' } },
  { method: 'GET', path: re(`${C}/${ID}`), ok: { 200: 'SimplePublicObjectWithAssociations' } },
  { method: 'PATCH', path: re(`${C}/${ID}`), ok: { 200: 'SimplePublicObject' } },
  { method: 'DELETE', path: re(`${C}/${ID}`), ok: { 204: null } },
  ...COMPANY_CONTRACTS,
  { method: 'POST', path: re('/crm/v3/objects/meetings'), ok: { 201: 'SimplePublicObject' } },
  { method: 'GET', path: re('/crm/v3/objects/meetings'), ok: { 200: 'CollectionResponseSimplePublicObjectWithAssociations' } },
  { method: 'GET', path: re(`/crm/v3/objects/meetings/${ID}`), ok: { 200: 'SimplePublicObjectWithAssociations' } },
  { method: 'GET', path: re('/crm/v3/objects/tasks'), ok: { 200: 'CollectionResponseSimplePublicObjectWithAssociations' } },
  { method: 'GET', path: re(`/crm/v3/objects/tasks/${ID}`), ok: { 200: 'SimplePublicObjectWithAssociations' } },
  { method: 'PATCH', path: re(`/crm/v3/objects/tasks/${ID}`), ok: { 200: 'SimplePublicObject' } },
  { method: 'GET', path: re('/crm/v3/owners'), ok: { 200: 'CollectionResponsePublicOwner' } },
  { method: 'GET', path: re(`/crm/v3/owners/${ID}`), ok: { 200: 'PublicOwner' } },
  { method: 'GET', path: re('/settings/v3/users'), ok: { 200: 'CollectionResponsePublicUser' } },
  { method: 'POST', path: re('/settings/v3/users'), ok: { 201: 'PublicUser' } },
  { method: 'GET', path: re('/settings/v3/users/(teams|roles)'), ok: { 200: 'CollectionResponsePublicTeamOrRole' } },
  { method: 'GET', path: re(`/settings/v3/users/${ID}`), ok: { 200: 'PublicUser' } },
  { method: 'PUT', path: re(`/settings/v3/users/${ID}`), ok: { 200: 'PublicUser' } },
  { method: 'DELETE', path: re(`/settings/v3/users/${ID}`), ok: { 204: null } },
  { method: 'POST', path: re(`${SEQ}/enrollments`), ok: { 200: 'PublicSequenceEnrollmentLiteResponse' } },
  { method: 'GET', path: re(`${SEQ}/enrollments/contact/${ID}`), ok: { 200: 'PublicSequenceEnrollmentResponse' } },
  { method: 'GET', path: re(SEQ), ok: { 200: 'CollectionResponseWithTotalPublicSequenceLiteResponse' } },
  { method: 'GET', path: re(`${SEQ}/${ID}`), ok: { 200: 'PublicSequenceResponse' } },
  { method: 'POST', path: re('/automation/v4/flows/batch/read'), ok: { 200: 'BatchResponseApiFlow', 207: 'BatchResponseApiFlowWithErrors' } },
  { method: 'GET', path: re('/automation/v4/flows'), ok: { 200: 'CollectionResponseApiFlowListing' } },
  { method: 'POST', path: re('/automation/v4/flows'), ok: { 201: 'ApiFlow' } },
  { method: 'GET', path: re(`/automation/v4/flows/${ID}`), ok: { 200: 'ApiFlow' } },
  { method: 'PUT', path: re(`/automation/v4/flows/${ID}`), ok: { 200: 'ApiFlow' } },
  { method: 'DELETE', path: re(`/automation/v4/flows/${ID}`), ok: { 204: null } },
  // Workflows v2 manual enrollment (legacy spec create-manage-workflows-v2: POST …/enrollments/contacts/{email}, no body)
  { method: 'POST', path: re(`/automation/v2/workflows/${ID}/enrollments/contacts/${ID}`), ok: { 204: null } },
  // CRM properties v3: groups before properties, so /groups is not read as a property name.
  { method: 'GET', path: re(`${PROPS}/groups`), ok: { 200: 'CollectionResponsePropertyGroupNoPaging' } },
  { method: 'POST', path: re(`${PROPS}/groups`), ok: { 201: 'PropertyGroup' } },
  { method: 'GET', path: re(`${PROPS}/groups/${ID}`), ok: { 200: 'PropertyGroup' } },
  { method: 'PATCH', path: re(`${PROPS}/groups/${ID}`), ok: { 200: 'PropertyGroup' } },
  { method: 'DELETE', path: re(`${PROPS}/groups/${ID}`), ok: { 204: null } },
  { method: 'POST', path: re(`${PROPS}/batch/create`), ok: { 201: 'BatchResponseProperty', 207: 'BatchResponsePropertyWithErrors' } },
  { method: 'POST', path: re(`${PROPS}/batch/read`), ok: { 200: 'BatchResponseProperty', 207: 'BatchResponsePropertyWithErrors' } },
  { method: 'POST', path: re(`${PROPS}/batch/archive`), ok: { 204: null } },
  { method: 'GET', path: re(PROPS), ok: { 200: 'CollectionResponsePropertyNoPaging' } },
  { method: 'POST', path: re(PROPS), ok: { 201: 'Property' } },
  { method: 'GET', path: re(`${PROPS}/${ID}`), ok: { 200: 'Property' } },
  { method: 'PATCH', path: re(`${PROPS}/${ID}`), ok: { 200: 'Property' } },
  { method: 'DELETE', path: re(`${PROPS}/${ID}`), ok: { 204: null } },
  // Lists v3 (issue #13)
  { method: 'POST', path: re('/crm/v3/lists/search'), ok: { 200: 'ListSearchResponse' } },
  { method: 'POST', path: re('/crm/v3/lists'), ok: { 200: 'ListCreateResponse' } },
  { method: 'GET', path: re('/crm/v3/lists'), ok: { 200: 'ListsByIdResponse' } },
  { method: 'GET', path: re(`/crm/v3/lists/records/${ID}/${ID}/memberships`), ok: { 200: 'ApiCollectionResponseRecordListMembershipNoPaging' } },
  { method: 'GET', path: re(`/crm/v3/lists/object-type-id/${ID}/name/${ID}`), ok: { 200: 'ListCreateResponse' } },
  { method: 'GET', path: re(`/crm/v3/lists/${ID}/memberships`), ok: { 200: 'ApiCollectionResponseJoinTimeAndRecordId' } },
  { method: 'PUT', path: re(`/crm/v3/lists/${ID}/memberships/(add|remove|add-and-remove)`), ok: { 200: 'MembershipsUpdateResponse' } },
  { method: 'PUT', path: re(`/crm/v3/lists/${ID}/update-list-(name|filters)`), ok: { 200: 'ListUpdateResponse' } },
  { method: 'PUT', path: re(`/crm/v3/lists/${ID}/restore`), ok: { 204: null } },
  { method: 'GET', path: re(`/crm/v3/lists/${ID}`), ok: { 200: 'ListCreateResponse' } },
  { method: 'DELETE', path: re(`/crm/v3/lists/${ID}`), ok: { 204: null } },
  { method: 'POST', path: re('/crm/v3/imports'), ok: { 200: 'PublicImportResponse' } },
  { method: 'GET', path: re('/crm/v3/imports'), ok: { 200: 'CollectionResponsePublicImportResponse' } },
  { method: 'POST', path: re(`/crm/v3/imports/${ID}/cancel`), ok: { 200: 'ActionResponse' } },
  { method: 'GET', path: re(`/crm/v3/imports/${ID}/errors`), ok: { 200: 'CollectionResponsePublicImportErrorForwardPaging' } },
  { method: 'GET', path: re(`/crm/v3/imports/${ID}`), ok: { 200: 'PublicImportResponse' } },
];

export function contractFor(method: string, urlPath: string): Contract | undefined {
  return CONTRACTS.find((c) => c.method === method.toUpperCase() && c.path.test(urlPath));
}

/**
 * Every problem with one exchange: a success status the generated client would not accept, a body
 * without application/json, or a body that breaks its schema (errors: the Error schema).
 * Seqflow's own /seqflow/v1 endpoints have no HubSpot contract; only their errors are checked.
 */
export function checkExchange(x: Exchange): string[] {
  const label = `${x.method} ${x.path}${x.query} → ${x.status}`;
  const problems: string[] = [];
  const contract = contractFor(x.method, x.path);
  let schema: string | null;
  if (x.status >= 400) schema = 'Error';
  else if (x.path.startsWith('/seqflow/')) return [];
  else if (!contract) return [`${label}: no contract is defined for this endpoint`];
  else if (!(x.status in contract.ok)) return [`${label}: HubSpot answers ${Object.keys(contract.ok).join('/')} here; the generated client rejects ${x.status}`];
  else schema = contract.ok[x.status];
  if (schema === null) {
    if (x.text.length) problems.push(`${label}: a ${x.status} must have no body, got ${x.text.slice(0, 200)}`);
    return problems;
  }
  if (!/^application\/json/i.test(x.contentType ?? '')) problems.push(`${label}: Content-Type is ${x.contentType ?? '(none)'}, not application/json`);
  let data: unknown;
  try {
    data = JSON.parse(x.text);
  } catch {
    return [...problems, `${label}: body is not JSON: ${x.text.slice(0, 200)}`];
  }
  return [...problems, ...validate(schema, data).map((p) => `${label} [${schema}] ${p}`)];
}
