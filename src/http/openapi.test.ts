import { describe, expect, it } from 'vitest';
import { CONTRACTS, contractOf } from './contracts.js';
import { buildPaths } from './openapi.js';
import { ROUTES } from './scopes.js';

/** The OpenAPI document is generated from the route table: every served route is in it, whole. */

type Operation = {
  parameters?: { name: string; in: string; required: boolean; schema: Record<string, unknown> }[];
  requestBody?: { required: boolean; content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: Record<string, unknown> }> }>;
};

const paths = buildPaths(ROUTES.map((r) => ({ method: r.method, url: r.url }))) as Record<string, Record<string, Operation>>;
const operationOf = (method: string, url: string): Operation => paths[url.replace(/:(\w+)/g, '{$1}')][method.toLowerCase()];
const label = (r: { method: string; url: string }) => `${r.method} ${r.url}`;

describe('the OpenAPI document', () => {
  it('should have a contract in src/http/contracts.ts for every route of the scope table when the document is built', () => {
    const undocumented = ROUTES.filter((r) => !contractOf(r.method, r.url)).map(label);
    expect(undocumented, 'document these routes in src/http/contracts.ts').toEqual([]);
    const served = new Set(ROUTES.map(label));
    expect(Object.keys(CONTRACTS).filter((k) => !served.has(k)), 'src/http/contracts.ts documents routes the scope table does not serve').toEqual([]);
  });

  it('should document a success answer, and its body unless it is a 204, when a route is served', () => {
    const problems = ROUTES.flatMap((r) => {
      // A browser hand-off (the OAuth callback) succeeds with a redirect, which has no body.
      const responses = Object.entries(operationOf(r.method, r.url).responses).filter(([status]) => /^(2\d\d|302|303)$/.test(status));
      if (responses.length === 0) return [`${label(r)}: no success answer`];
      return responses.filter(([status, res]) => !['204', '302', '303'].includes(status) && !res.content).map(([status]) => `${label(r)}: ${status} without a body schema`);
    });
    expect(problems).toEqual([]);
  });

  it('should document the request body when a route takes one, and none when it takes none', () => {
    const problems = ROUTES.flatMap((r) => {
      const op = operationOf(r.method, r.url);
      const takes = contractOf(r.method, r.url)!.body !== null;
      if (takes !== Boolean(op.requestBody)) return [`${label(r)}: request body ${takes ? 'missing' : 'documented but not taken'}`];
      if (['GET', 'DELETE'].includes(r.method) && takes) return [`${label(r)}: a ${r.method} with a body`];
      return [];
    });
    expect(problems).toEqual([]);
    // Every write that takes JSON says which fields.
    const json = ROUTES.filter((r) => operationOf(r.method, r.url).requestBody?.content['application/json']);
    expect(json.length).toBeGreaterThan(30);
    // HubSpot's labelled association PUT (v4) and list membership changes take bare arrays.
    const arrays = new Set(['PUT /crm/v3/lists/:listId/memberships/add', 'PUT /crm/v3/lists/:listId/memberships/remove']);
    const takesArray = (r: (typeof json)[number]) => arrays.has(`${r.method} ${r.url}`) || (r.url.startsWith('/crm/v4/objects/') && r.method === 'PUT');
    for (const r of json) {
      expect(operationOf(r.method, r.url).requestBody!.content['application/json'].schema, label(r)).toHaveProperty('type', takesArray(r) ? 'array' : 'object');
    }
  });

  it('should list the fields of a body and of an answer when a contact is created', () => {
    const op = operationOf('POST', '/crm/v3/objects/contacts');
    expect(op.requestBody).toMatchObject({ required: true, content: { 'application/json': { schema: { type: 'object', required: ['properties'] } } } });
    expect(op.responses['201'].content!['application/json'].schema).toMatchObject({
      type: 'object',
      required: expect.arrayContaining(['id', 'properties', 'createdAt', 'updatedAt', 'archived']),
      additionalProperties: false,
    });
    expect(op.responses.default.content!['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
  });

  it('should document the query parameters and path ids a route reads when it has them', () => {
    const list = operationOf('GET', '/crm/v3/objects/contacts').parameters!.map((p) => [p.name, p.in, p.required]);
    expect(list).toEqual([
      ['limit', 'query', false],
      ['after', 'query', false],
      ['archived', 'query', false],
      ['properties', 'query', false],
      ['propertiesWithHistory', 'query', false],
    ]);
    expect(operationOf('GET', '/automation/v4/flows/:id').parameters).toEqual([{ name: 'id', in: 'path', required: true, schema: expect.objectContaining({ type: 'string', pattern: '^\\d+$' }) }]);
    expect(operationOf('POST', '/automation/v4/sequences/enrollments').parameters).toEqual([expect.objectContaining({ name: 'userId', in: 'query' })]);
  });

  it('should answer a 207 with the batch failures when a batch route documents it', () => {
    const op = operationOf('POST', '/crm/v3/objects/contacts/batch/create');
    expect(Object.keys(op.responses).sort()).toEqual(['201', '207', 'default']);
    expect(op.responses['207'].content!['application/json'].schema).toMatchObject({ properties: { errors: { type: 'array' } } });
  });
});
