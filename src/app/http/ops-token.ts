import { createHash, timingSafeEqual } from 'node:crypto';
import type { HttpServer } from './http-server.ts';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * With OPS_TOKEN set, /metrics answers only a caller sending it as a bearer token (Prometheus:
 * `authorization: { credentials_file: … }`). /health and /ready stay open: kubelet probes cannot
 * send a Secret, and they reveal nothing.
 */
export function requireOpsToken(app: HttpServer, opsToken: string | undefined) {
  if (!opsToken) return;
  const expected = digest(opsToken);
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.url !== '/metrics') return;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    if (match && timingSafeEqual(digest(match[1]!), expected)) return;
    return reply
      .code(401)
      .header('www-authenticate', 'Bearer')
      .send({ error: { code: 'unauthorized', message: 'send Authorization: Bearer <OPS_TOKEN>' } });
  });
}
