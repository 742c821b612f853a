import crypto from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errors } from '../services/errors.js';
import { sessionUser } from '../services/sign-in.js';
import { authenticateToken } from '../services/tokens.js';
import { SESSION_COOKIE } from './seqflow/sign-in.js';
import type { AppContext } from './context.js';
import { createRateLimiter, type RateLimitOptions } from './rate-limit.js';
import { isApiPath, routedPath } from './api-paths.js';
import { requireSameOrigin } from './same-origin.js';
import { ALL, AUTHENTICATED, PUBLIC as PUBLIC_ROUTE, SESSION_USER_SCOPES, grants, routeDoc } from './scopes.js';

/** Routes that open or close a session: a cross-site page must not sign a browser in as someone else. */
const SESSION_ROUTES = new Set(['/seqflow/v1/auth/setup', '/seqflow/v1/auth/login', '/seqflow/v1/auth/logout']);

export interface Principal {
  admin: boolean;
  userId: number | null;
  scopes: string[];
  /** What the per-token rate limit counts against (a stored token's id); unset = not limited. */
  rateKey?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

/**
 * Routes a rep uses on their own mailbox (AUTHENTICATED in src/http/scopes.ts): the user themselves
 * (a session's or a user token's own id) or a principal granted `seqflow.admin`; anyone else is
 * refused naming that scope, as the route table would.
 */
export function requireSelfOrAdmin(principal: Principal | undefined, userId: number | null): void {
  if ((userId !== null && principal?.userId === userId) || grants(principal?.scopes ?? [], 'seqflow.admin')) return;
  throw errors.scopeMissing({ scope: 'seqflow.admin' });
}

const sameSecret = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
};

/**
 * The scope check (src/http/scopes.ts), after authentication: admins (`*`) pass; a route with
 * no mapping fails closed for everyone else, and is logged so it gets one.
 */
function checkScope(request: FastifyRequest, principal: Principal): void {
  const url = request.routeOptions.url;
  // No route matched (or only the web app's catch-all): the 404 handler answers.
  if (!url || url === '/*') return;
  if (principal.scopes.includes(ALL)) return;
  const doc = routeDoc(request.method, url);
  if (!doc) {
    request.log.error({ method: request.method, route: url }, 'route has no scope mapping in src/http/scopes.ts; refused to a non-admin token');
    throw errors.routeUnmapped({ method: request.method, url });
  }
  if (doc.scope === PUBLIC_ROUTE || doc.scope === AUTHENTICATED) return;
  if (!grants(principal.scopes, doc.scope)) throw errors.scopeMissing({ scope: doc.scope });
}

export function installAuth(app: FastifyInstance, ctx: AppContext, limits: RateLimitOptions = ctx.deps.config.apiRateLimits): void {
  const limiter = createRateLimiter(limits);
  app.addHook('onRequest', async (request: FastifyRequest, reply) => {
    // Decided on the route the router picked, not on the raw URL: the router decodes
    // percent-escapes (`/%73eqflow/…` runs /seqflow/… routes), a regex on the URL would not.
    const route = request.routeOptions.url;
    const matched = route && route !== '/*' ? route : null;
    if (!isApiPath(routedPath(request.url)) && !(matched && isApiPath(matched))) return;
    const isPublic = matched !== null && routeDoc(request.method, matched)?.scope === PUBLIC_ROUTE;
    const header = request.headers.authorization ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    if (!token) {
      if (matched && SESSION_ROUTES.has(matched)) requireSameOrigin(request, ctx.deps.config.publicUrl);
      // The web app signs in with an HttpOnly session cookie instead of a bearer token.
      const session = request.cookies?.[SESSION_COOKIE];
      const user = session ? await sessionUser(ctx.deps, session) : null;
      if (user) {
        // Public routes (form submissions, unsubscribe links) are meant to be posted from anywhere and ignore the session.
        if (!isPublic) requireSameOrigin(request, ctx.deps.config.publicUrl);
        request.principal = { admin: user.role === 'admin', userId: user.id, scopes: user.role === 'admin' ? [ALL] : [...SESSION_USER_SCOPES] };
        checkScope(request, request.principal);
        return;
      }
    }
    if (isPublic) return;
    if (!token) {
      throw errors.credentialsMissing();
    }
    if (ctx.adminToken && sameSecret(token, ctx.adminToken)) {
      // The operator's own credential (SEQFLOW_ADMIN_TOKEN) is not rate-limited.
      request.principal = { admin: true, userId: null, scopes: [ALL] };
      return;
    }
    const stored = await authenticateToken(ctx.deps, token);
    if (!stored) throw errors.tokenInvalid();
    request.principal = { admin: stored.scopes.includes(ALL), userId: stored.userId, scopes: stored.scopes, rateKey: `token:${stored.id}` };
    if (limiter.check(request.principal.rateKey!, request, reply)) return reply;
    checkScope(request, request.principal);
  });
}
