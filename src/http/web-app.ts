import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { errors } from '../services/errors.js';
import { isApiPath } from './api-paths.js';
import { render } from './errors.js';

export const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'web', 'dist');

/**
 * Serves the built web app at / with a single-page-app fallback: any GET outside the API paths
 * (src/http/api-paths.ts) returns index.html, so deep links such as /workflows/12 work on reload.
 */
export async function registerWebApp(app: FastifyInstance): Promise<void> {
  const built = fs.existsSync(path.join(WEB_DIST, 'index.html'));
  if (built) await app.register(fastifyStatic, { root: WEB_DIST, prefix: '/', wildcard: false, index: false });
  app.get('/*', async (req, reply) => {
    const p = req.url.split('?')[0];
    if (isApiPath(p)) return render(reply, errors.noRoute({ method: 'GET', path: p }));
    if (!built) {
      return reply
        .type('text/html; charset=utf-8')
        .send('<!doctype html><title>Seqflow</title><p>The web app is not built. Run <code>npm run build:web</code> (npm install does it) and restart.</p>');
    }
    return reply.type('text/html; charset=utf-8').sendFile('index.html');
  });
}
