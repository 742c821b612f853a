import crypto from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SeqflowError } from '../services/errors.js';
import { findToken } from '../store/tokens.js';
import { sessionUser } from '../services/sign-in.js';
import { SESSION_COOKIE } from './seqflow/sign-in.js';
import type { AppContext } from './context.js';

/** API routes anyone may call: health, the public form, unsubscribe and sign-in endpoints. */
const PUBLIC = [
  /^\/seqflow\/v1\/health$/,
  /^\/seqflow\/v1\/unsubscribe\//,
  /^\/submissions\//,
  /^\/forms\//,
  /^\/seqflow\/v1\/auth\/(status|setup|login|logout)$/,
];
/** Everything else outside these prefixes is the web app's static files, which hold no data. */
export const API_PATH = /^\/(crm|settings|automation|seqflow|submissions|forms)(\/|$)/;

/** The path as the router matches it (routerOptions in app.ts): duplicate slashes collapsed, one trailing slash dropped. */
const routedPath = (url: string): string => url.split('?')[0].replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1');

export interface Principal {
  admin: boolean;
  userId: number | null;
  scopes: string[];
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

const sameSecret = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
};

export function installAuth(app: FastifyInstance, ctx: AppContext): void {
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const path = routedPath(request.url);
    if (!API_PATH.test(path)) return;
    const isPublic = PUBLIC.some((p) => p.test(path));
    const header = request.headers.authorization ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    if (!token) {
      // The web app signs in with an HttpOnly session cookie instead of a bearer token.
      const session = request.cookies?.[SESSION_COOKIE];
      const user = session ? await sessionUser(ctx.deps, session) : null;
      if (user) {
        request.principal = { admin: user.role === 'admin', userId: user.id, scopes: user.role === 'admin' ? ['*'] : [] };
        return;
      }
    }
    if (isPublic) return;
    if (!token) {
      throw new SeqflowError(401, 'INVALID_AUTHENTICATION', 'Authentication credentials not found. This API supports Bearer token authentication: send Authorization: Bearer <token>.');
    }
    if (ctx.adminToken && sameSecret(token, ctx.adminToken)) {
      request.principal = { admin: true, userId: null, scopes: ['*'] };
      return;
    }
    const stored = await findToken(ctx.deps.db.kysely, token);
    if (!stored) throw new SeqflowError(401, 'INVALID_AUTHENTICATION', 'The access token is not valid or was revoked.');
    request.principal = { admin: stored.scopes.includes('*'), userId: stored.userId, scopes: stored.scopes };
  });
}
