import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { z } from 'zod';
import { CONTRACTS, type Body } from '../../src/http/contracts.js';
import { jsonSchemaOf } from '../../src/http/openapi.js';
import { common } from '../../src/schemas/index.js';

/**
 * Every answer an integration test gets through the harness is checked against what the OpenAPI
 * document says the route answers (src/http/contracts.ts, the same JSON Schema the document
 * serves, with unknown fields refused where the schema is closed): a route that returns a field,
 * a status or a shape the document does not describe fails the test that saw it. Errors are
 * checked against HubSpot's error body.
 */

const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
const compiled = new WeakMap<z.ZodType, ValidateFunction>();
const validatorOf = (schema: z.ZodType): ValidateFunction => {
  let v = compiled.get(schema);
  if (!v) compiled.set(schema, (v = ajv.compile(jsonSchemaOf(schema, 'output'))));
  return v;
};

interface Route {
  method: string;
  pattern: RegExp;
  params: number;
  responses: Record<number, Body | null>;
}

const ROUTES: Route[] = Object.entries(CONTRACTS)
  .map(([key, contract]) => {
    const [method, url] = key.split(' ');
    const pattern = new RegExp(`^${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:\w+/g, '[^/]+')}$`);
    return { method, pattern, params: (url.match(/:\w+/g) ?? []).length, responses: contract.responses };
  })
  // As the router: a static segment wins over a parameter.
  .sort((a, b) => a.params - b.params);

const pathOf = (url: string): string => {
  const p = url.split('?')[0].replace(/\/{2,}/g, '/');
  return p.length > 1 ? p.replace(/\/$/, '') : p;
};

/** Problems with one answer (none when it is as documented, or when no documented route was hit). */
export function undocumented(method: string, url: string, status: number, contentType: string | undefined, body: unknown): string[] {
  if (!/^application\/json/i.test(contentType ?? '') || body === undefined) return [];
  const label = `${method} ${url} → ${status}`;
  const describe = (v: ValidateFunction) => (v.errors ?? []).map((e) => `${label}: ${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` '${String(e.params.additionalProperty)}'` : ''}`);
  const path = pathOf(url);
  const route = ROUTES.find((r) => r.method === method.toUpperCase() && r.pattern.test(path));
  // Failures are HubSpot's error body, unless the route documents its own (health's strict 503).
  if (status >= 400 && !(route && status in route.responses)) {
    const v = validatorOf(common.errorBody);
    return v(body) ? [] : describe(v);
  }
  if (!route) return [];
  if (!(status in route.responses)) return [`${label}: the route documents ${Object.keys(route.responses).join(', ')} only (src/http/contracts.ts)`];
  const documented = route.responses[status];
  const schema = documented && ('content' in documented ? documented.content['application/json'] : documented);
  if (!schema) return [`${label}: the route documents no JSON body for ${status} (src/http/contracts.ts)`];
  const v = validatorOf(schema);
  return v(body) ? [] : describe(v);
}
