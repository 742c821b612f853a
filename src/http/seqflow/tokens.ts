import type { FastifyInstance } from 'fastify';
import { issueToken, liveTokens, revokeToken, type TokenRow } from '../../services/tokens.js';
import type { AppContext } from '../context.js';
import { system } from '../../schemas/index.js';
import { idParam, iso, parse } from '../validate.js';

/** A token as listed: never its secret. */
const tokenView = (t: TokenRow) => ({
  id: String(t.id),
  name: t.name,
  scopes: t.scopes,
  userId: t.userId === null ? null : String(t.userId),
  createdAt: iso(t.createdAt),
});

/** Private-app style API tokens (PRODUCT §7): created by an admin, shown once, stored hashed. */
export function registerTokenRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { deps } = ctx;
  app.post('/seqflow/v1/tokens', async (req, reply) => {
    const body = parse(system.createTokenBody, req.body, 'body');
    const created = await issueToken(deps, body, req.principal?.scopes ?? []);
    return reply.status(201).send({ ...tokenView(created), token: created.token });
  });
  app.get('/seqflow/v1/tokens', async () => ({ results: (await liveTokens(deps)).map(tokenView) }));
  app.delete('/seqflow/v1/tokens/:id', async (req, reply) => {
    const { id } = parse(idParam, req.params, 'path');
    await revokeToken(deps, id);
    return reply.status(204).send();
  });
}
