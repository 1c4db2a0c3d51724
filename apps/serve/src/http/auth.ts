/**
 * Bearer-token auth (`--api-key`): every route but the health checks and the page's files needs
 * `Authorization: Bearer <key>`. Keys are compared as SHA-256 digests in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ServeCore } from '../core.js';
import { sendError } from './errors.js';

const OPEN_PATHS = new Set([
  '/',
  '/index.html',
  '/favicon.ico',
  '/v2/health/live',
  '/v2/health/ready',
]);
const OPEN_PREFIXES = ['/static/', '/ort/'];

/** Whether an Authorization header carries the key as a bearer token. */
export function bearerMatches(header: string | undefined, key: string): boolean {
  if (!header) return false;
  const m = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!m) return false;
  const a = createHash('sha256')
    .update(m[1] as string)
    .digest();
  const b = createHash('sha256').update(key).digest();
  return timingSafeEqual(a, b);
}

/** The `--api-key` check as an onRequest hook for the whole server (nothing when no key). */
export const bearerAuth = fp(
  (app: FastifyInstance, opts: { core: ServeCore; apiKey: string | undefined }) => {
    const { apiKey, core } = opts;
    if (apiKey === undefined) return;
    app.addHook('onRequest', async (req, reply) => {
      const path = req.url.split('?')[0] as string;
      if (OPEN_PATHS.has(path) || OPEN_PREFIXES.some((p) => path.startsWith(p))) return;
      if (!bearerMatches(req.headers.authorization, apiKey)) {
        return sendError(
          core,
          reply,
          401,
          'unauthorized',
          req.headers.authorization
            ? 'Authorization: wrong bearer token'
            : 'Authorization: missing; send "Authorization: Bearer <api key>"',
        );
      }
    });
  },
  { name: 'gd-serve-auth' },
);
