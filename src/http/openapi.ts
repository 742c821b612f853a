import type { FastifyInstance, RouteOptions } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { z } from 'zod';
import { isApiPath } from './api-paths.js';
import { contractOf, type Body, type RouteContract } from './contracts.js';
import { AUTHENTICATED, PUBLIC, routeDoc } from './scopes.js';
import { common } from '../schemas/index.js';

/**
 * The OpenAPI document of the whole API (HubSpot-compatible and /seqflow/v1 extension routes),
 * served at /seqflow/v1/openapi.json and browsable at /docs (Swagger UI, served locally, no CDN).
 *
 * Generated, not written: the routes as they register (an onRoute hook installed before any
 * route) give the paths and methods; the scope table (src/http/scopes.ts) the tag, summary, scope
 * and security; the route table (src/http/contracts.ts) the parameters, the request body and the
 * responses, from the zod schemas in src/schemas turned into JSON Schema (z.toJSONSchema: what a
 * client may send for requests, what the server sends for responses).
 */

export interface RegisteredRoute {
  method: string;
  url: string;
}

const routesOf = new WeakMap<FastifyInstance, RegisteredRoute[]>();
/** The API routes registered on an app (method and Fastify url), for the scope-coverage test. */
export const apiRoutes = (app: FastifyInstance): RegisteredRoute[] => routesOf.get(app) ?? [];

const HUBSPOT = 'HubSpot-compatible';
const EXTENSION = 'Seqflow extension';
const ERROR = { $ref: '#/components/schemas/Error' };

/** A zod schema as JSON Schema: `input` for what a client sends, `output` for what the server answers. */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

const content = (body: Body, io: 'input' | 'output') =>
  'content' in body
    ? Object.fromEntries(Object.entries(body.content).map(([type, schema]) => [type, { schema: schema ? jsonSchemaOf(schema, io) : { type: 'string' } }]))
    : { 'application/json': { schema: jsonSchemaOf(body, io) } };

/** A parameter is required when its schema refuses to be left out (no default, not optional). */
const isRequired = (schema: z.ZodType) => !schema.safeParse(undefined).success;

function parameters(route: RegisteredRoute, contract: RouteContract | undefined) {
  const shape = (o: z.ZodObject | undefined): Record<string, z.ZodType> => (o?.shape ?? {}) as Record<string, z.ZodType>;
  const path = shape(contract?.params);
  const params = [...route.url.matchAll(/:(\w+)/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: path[name] ? jsonSchemaOf(path[name], 'input') : { type: 'string' },
  }));
  const query = Object.entries(shape(contract?.query)).map(([name, schema]) => {
    const { description, ...json } = jsonSchemaOf(schema, 'input');
    return { name, in: 'query', required: isRequired(schema), ...(description !== undefined && { description }), schema: json };
  });
  return [...params, ...query];
}

const RESPONSE_TEXT: Record<number, string> = { 200: 'Success', 201: 'Created', 204: 'No content', 207: 'Done, but some inputs failed: `errors` lists them' };

function operation(route: RegisteredRoute) {
  const doc = routeDoc(route.method, route.url);
  const contract = contractOf(route.method, route.url);
  const open = doc?.scope === PUBLIC;
  const scopeText = !doc ? 'No scope is mapped: admin tokens only.' : open ? 'Public: no token needed.' : doc.scope === AUTHENTICATED ? 'Any valid token or session.' : `Scope: \`${doc.scope}\`.`;
  const params = parameters(route, contract);
  return {
    tags: [route.url.startsWith('/seqflow/') ? EXTENSION : HUBSPOT],
    summary: doc?.summary ?? `${route.method} ${route.url}`,
    description: scopeText,
    operationId: `${route.method.toLowerCase()}${route.url.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    ...(doc && doc.scope !== PUBLIC && doc.scope !== AUTHENTICATED && { 'x-hubspot-scopes': [doc.scope] }),
    security: open ? [] : [{ bearerAuth: [] }],
    ...(params.length && { parameters: params }),
    ...(contract?.body && { requestBody: { required: !('content' in contract.body), content: content(contract.body, 'input') } }),
    responses: {
      ...Object.fromEntries(
        Object.entries(contract?.responses ?? { 200: null }).map(([status, body]) => [
          status,
          { description: RESPONSE_TEXT[Number(status)] ?? 'Success', ...(body && { content: content(body, 'output') }) },
        ]),
      ),
      default: { description: "HubSpot's error body", content: { 'application/json': { schema: ERROR } } },
    },
  };
}

export function buildPaths(routes: RegisteredRoute[]): Record<string, Record<string, unknown>> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of [...routes].sort((a, b) => a.url.localeCompare(b.url))) {
    const path = route.url.replace(/:(\w+)/g, '{$1}');
    (paths[path] ??= {})[route.method.toLowerCase()] = operation(route);
  }
  return paths;
}

const builtPaths = new Map<string, Record<string, Record<string, unknown>>>();
const pathsFor = (routes: RegisteredRoute[]) => {
  const key = routes.map((r) => `${r.method} ${r.url}`).join('\n');
  let paths = builtPaths.get(key);
  if (!paths) builtPaths.set(key, (paths = buildPaths(routes)));
  return paths;
};

/** Installs the route collector, @fastify/swagger, /seqflow/v1/openapi.json and /docs. Call before any route is added. */
export function installOpenApi(app: FastifyInstance, version: string): void {
  const routes: RegisteredRoute[] = [];
  routesOf.set(app, routes);
  app.addHook('onRoute', (opts: RouteOptions) => {
    if (!isApiPath(opts.url)) return;
    for (const method of [opts.method].flat()) {
      if (method === 'HEAD' || method === 'OPTIONS') continue;
      routes.push({ method, url: opts.url });
    }
  });
  const document = {
    openapi: '3.1.0',
    info: {
      title: 'Seqflow API',
      version,
      description:
        'HubSpot-compatible sales sequences, workflows and CRM contacts, plus Seqflow extensions under /seqflow/v1. ' +
        'Authenticate with `Authorization: Bearer <token>` (private-app style tokens, created with `seqflow token create` or POST /seqflow/v1/tokens). ' +
        'Each token may make 190 requests per rolling 10 s and 4 CRM searches per second (X-HubSpot-RateLimit-* headers; 429 with policyName TEN_SECONDLY_ROLLING).',
    },
    tags: [
      { name: HUBSPOT, description: "Paths, status codes and bodies as HubSpot's (use the official client with basePath)" },
      { name: EXTENSION, description: 'Seqflow extensions under /seqflow/v1' },
    ],
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'A Seqflow API token (pat-…) or the admin token' } },
      schemas: {
        Error: jsonSchemaOf(common.errorBody, 'output'),
      },
    },
    security: [{ bearerAuth: [] }],
  };
  // The paths are built when first asked for (every route has registered by then), once per
  // process for the same routes: a test suite starts many apps and reads the document rarely.
  Object.defineProperty(document, 'paths', { enumerable: true, get: () => pathsFor(routes) });
  // Static mode: the document above, read by @fastify/swagger when /docs asks for it.
  void app.register(fastifySwagger, { mode: 'static', specification: { document: document as never } });
  void app.register(fastifySwaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: true } });
  app.get('/seqflow/v1/openapi.json', async (_req, reply) => reply.type('application/json; charset=utf-8').send(document));
}
