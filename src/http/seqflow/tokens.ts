import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { issueToken, liveTokens, revokeToken, type TokenRow } from '../../services/tokens.js';
import type { AppContext } from '../context.js';
import { documentBody } from '../openapi.js';
import { idParam, iso, numericId, parse } from '../validate.js';

/** A token as listed: never its secret. */
const tokenView = (t: TokenRow) => ({
  id: String(t.id),
  name: t.name,
  scopes: t.scopes,
  userId: t.userId === null ? null : String(t.userId),
  createdAt: iso(t.createdAt),
});

const createBody = z.object({
  name: z.string().trim().min(1, 'name must not be empty').max(200),
  scopes: z.array(z.string()).min(1, 'give at least one scope'),
  userId: numericId.nullish(),
});
documentBody('POST', '/seqflow/v1/tokens', createBody);

/** Private-app style API tokens (PRODUCT §7): created by an admin, shown once, stored hashed. */
export function registerTokenRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { deps } = ctx;
  app.post('/seqflow/v1/tokens', async (req, reply) => {
    const body = parse(createBody, req.body, 'body');
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
