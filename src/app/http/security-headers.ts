import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { HttpServer } from './http-server.ts';

/**
 * Browser-facing protections. CORS answers only the origins listed (none by default: the dashboard
 * is served from the API's own origin and needs none). Helmet's default CSP (scripts and styles from
 * 'self', images also from data:) is what the swagger UI at /docs and a same-origin dashboard need.
 */
export async function registerSecurityHeaders(app: HttpServer, corsOrigins: readonly string[]) {
  await app.register(helmet, {
    // TLS ends at the ingress, which sets HSTS; the embedded default is plain http://127.0.0.1, where
    // upgrading the page's requests to https would break /docs and the dashboard.
    hsts: false,
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
    // The API is called cross-origin only from the listed origins; CORP would block even those.
    crossOriginResourcePolicy: { policy: corsOrigins.length > 0 ? 'cross-origin' : 'same-origin' },
  });
  await app.register(cors, {
    origin: corsOrigins.length > 0 ? [...corsOrigins] : false,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'last-event-id'],
    exposedHeaders: ['location', 'retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'],
    maxAge: 600,
  });
}
