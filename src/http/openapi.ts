import type { FastifyInstance, RouteOptions } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { z } from 'zod';
import { isApiPath } from './api-paths.js';
import { AUTHENTICATED, PUBLIC, routeDoc } from './scopes.js';

/**
 * The OpenAPI document of the whole API (HubSpot-compatible and /seqflow/v1 extension routes),
 * served at /seqflow/v1/openapi.json and browsable at /docs (Swagger UI, served locally, no CDN).
 *
 * Routes validate with zod inside their handlers rather than with Fastify schemas, so the
 * document is built from the routes as they register (an onRoute hook installed before any
 * route) and the scope table (src/http/scopes.ts): every path and method, a tag, a summary, the
 * scope and the bearer security. Request bodies come from documentBody() (a zod schema, turned
 * into JSON Schema with z.toJSONSchema) or from a route's own Fastify `schema.body`.
 */

export interface RegisteredRoute {
  method: string;
  url: string;
  bodySchema?: unknown;
}

const routesOf = new WeakMap<FastifyInstance, RegisteredRoute[]>();
/** The API routes registered on an app (method and Fastify url), for the scope-coverage test. */
export const apiRoutes = (app: FastifyInstance): RegisteredRoute[] => routesOf.get(app) ?? [];

const bodies = new Map<string, z.ZodType>();
/** Documents a route's JSON request body with its zod schema (call at module load or before ready). */
export function documentBody(method: string, url: string, schema: z.ZodType): void {
  bodies.set(`${method} ${url}`, schema);
}

const HUBSPOT = 'HubSpot-compatible';
const EXTENSION = 'Seqflow extension';

function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  try {
    const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    return rest;
  } catch {
    return { type: 'object' };
  }
}

function operation(route: RegisteredRoute) {
  const doc = routeDoc(route.method, route.url);
  const params = [...route.url.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
  const open = doc?.scope === PUBLIC;
  const body = bodies.get(`${route.method} ${route.url}`);
  const scopeText = !doc ? 'No scope is mapped: admin tokens only.' : open ? 'Public: no token needed.' : doc.scope === AUTHENTICATED ? 'Any valid token or session.' : `Scope: \`${doc.scope}\`.`;
  return {
    tags: [route.url.startsWith('/seqflow/') ? EXTENSION : HUBSPOT],
    summary: doc?.summary ?? `${route.method} ${route.url}`,
    description: scopeText,
    operationId: `${route.method.toLowerCase()}${route.url.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    ...(doc && doc.scope !== PUBLIC && doc.scope !== AUTHENTICATED && { 'x-hubspot-scopes': [doc.scope] }),
    security: open ? [] : [{ bearerAuth: [] }],
    ...(params.length && { parameters: params }),
    ...((body || route.bodySchema || ['POST', 'PUT', 'PATCH'].includes(route.method)) && {
      requestBody: {
        required: Boolean(body || route.bodySchema),
        content: { 'application/json': { schema: body ? jsonSchemaOf(body) : (route.bodySchema ?? { type: 'object' }) } },
      },
    }),
    responses: {
      [route.method === 'DELETE' ? '204' : route.method === 'POST' ? '2XX' : '200']: { description: 'Success' },
      default: { description: "HubSpot's error body", content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
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

/** Installs the route collector, @fastify/swagger, /seqflow/v1/openapi.json and /docs. Call before any route is added. */
export function installOpenApi(app: FastifyInstance, version: string): void {
  const routes: RegisteredRoute[] = [];
  routesOf.set(app, routes);
  app.addHook('onRoute', (opts: RouteOptions) => {
    if (!isApiPath(opts.url)) return;
    for (const method of [opts.method].flat()) {
      if (method === 'HEAD' || method === 'OPTIONS') continue;
      routes.push({ method, url: opts.url, bodySchema: (opts.schema as { body?: unknown } | undefined)?.body });
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
        Error: {
          type: 'object',
          required: ['message', 'correlationId', 'category'],
          properties: {
            status: { type: 'string', const: 'error' },
            message: { type: 'string' },
            correlationId: { type: 'string', format: 'uuid' },
            category: { type: 'string', examples: ['VALIDATION_ERROR', 'INVALID_AUTHENTICATION', 'MISSING_SCOPES', 'OBJECT_NOT_FOUND', 'CONFLICT', 'RATE_LIMITS'] },
            subCategory: { type: 'string' },
            policyName: { type: 'string', description: 'On 429: TEN_SECONDLY_ROLLING or SECONDLY' },
            errors: { type: 'array', items: { type: 'object', properties: { message: { type: 'string' }, in: { type: 'string' }, code: { type: 'string' } } } },
            context: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
          },
        },
      },
    },
    security: [{ bearerAuth: [] }],
    paths: {} as Record<string, Record<string, unknown>>,
  };
  // Static mode: the document above, filled in once every route has registered.
  void app.register(fastifySwagger, { mode: 'static', specification: { document: document as never } });
  void app.register(fastifySwaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: true } });
  app.addHook('onReady', async () => {
    document.paths = buildPaths(routes);
  });
  app.get('/seqflow/v1/openapi.json', async (_req, reply) => reply.type('application/json; charset=utf-8').send(document));
}
