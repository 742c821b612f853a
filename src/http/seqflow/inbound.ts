import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';

/** Inbound mail: the dev inbox's simulated replies and inbox sync health. */
export function registerInboundRoutes(_app: FastifyInstance, _ctx: AppContext): void {}
