import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ApiError } from './errors';

export type RouteAuth = 'apiKey' | 'none';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Every route says how it is authenticated; a test checks that none is left implicit. */
    auth?: RouteAuth;
  }
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Bearer API key on every route whose config says `auth: 'apiKey'`; compared in constant time. */
export function installApiKeyAuth(app: FastifyInstance, keys: readonly string[]): void {
  const digests = keys.map(digest);
  app.addHook('onRequest', async (request) => {
    const auth = request.routeOptions.config.auth;
    if (auth === 'none') return;
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match) throw new ApiError('UNAUTHORIZED', 'missing API key: send Authorization: Bearer <key>');
    const given = digest(match[1]!.trim());
    if (!digests.some((d) => timingSafeEqual(d, given))) throw new ApiError('UNAUTHORIZED', 'API key is not valid');
  });
}
