import type { FastifyInstance, FastifyReply } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { SESSION_TTL_MS, needsSetup, setPassword, setupFirstAdmin, signIn, signOut } from '../../services/sign-in.js';
import { errors, isError } from '../../services/errors.js';
import { requireUser } from '../../services/users.js';
import type { AppContext } from '../context.js';
import { errorBody } from '../errors.js';
import { publicUser } from '../hubspot/users.js';
import { system } from '../../schemas/index.js';
import { idParam, parse } from '../validate.js';

export const SESSION_COOKIE = 'seqflow_session';
/** Marks a browser that signed in before: its failures are counted apart from strangers' (services/sign-in.ts). */
export const DEVICE_COOKIE = 'seqflow_device';
const DEVICE_MAX_AGE_S = 365 * 24 * 60 * 60;


/** The web app's sign-in: sessions in an HttpOnly cookie, and the first-run admin screen. */
export async function registerSignInRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const { deps } = ctx;
  const setCookie = (reply: FastifyReply, token: string) =>
    reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', path: '/', maxAge: SESSION_TTL_MS / 1000, secure: deps.config.publicUrl.startsWith('https:') });

  app.get('/seqflow/v1/auth/status', async (req) => ({
    needsSetup: await needsSetup(deps),
    signedIn: req.principal !== undefined,
    ...(req.principal?.userId && { user: publicUser(await requireUser(deps, req.principal.userId)) }),
  }));

  // Passwords are guessed by the thousand: slow that down per client address.
  await app.register(async (scope) => {
    await scope.register(rateLimit, {
      max: 20,
      timeWindow: 60_000,
      errorResponseBuilder: () => ({ ...errorBody(errors.signInRateLimited()), statusCode: 429 }),
    });
    scope.post('/seqflow/v1/auth/setup', async (req, reply) => {
      const body = parse(system.setupBody, req.body, 'body');
      const { user, session } = await setupFirstAdmin(deps, body);
      setCookie(reply, session);
      return reply.status(201).send({ user: publicUser(user) });
    });
    scope.post('/seqflow/v1/auth/login', async (req, reply) => {
      const body = parse(system.credentialsBody, req.body, 'body');
      try {
        const { user, session, device } = await signIn(deps, body.email, body.password, req.cookies[DEVICE_COOKIE] ?? null);
        setCookie(reply, session);
        reply.setCookie(DEVICE_COOKIE, device, { httpOnly: true, sameSite: 'lax', path: '/seqflow/v1/auth', maxAge: DEVICE_MAX_AGE_S, secure: deps.config.publicUrl.startsWith('https:') });
        return { user: publicUser(user) };
      } catch (err) {
        if (isError(err, 'SIGN_IN_BACKOFF')) reply.header('retry-after', String(Math.max(1, Math.ceil(err.details.retryAfterMs / 1000))));
        throw err;
      }
    });
  });
  app.post('/seqflow/v1/auth/logout', async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) await signOut(deps, token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { signedIn: false };
  });
  app.put('/seqflow/v1/users/:id/password', async (req) => {
    const { id } = parse(idParam, req.params, 'path');
    if (!req.principal?.admin && req.principal?.userId !== id) throw errors.passwordNotYours();
    await requireUser(deps, id);
    await setPassword(deps, id, parse(system.passwordBody, req.body, 'body').password);
    return { ok: true };
  });
}
