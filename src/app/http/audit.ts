import type { FastifyRequest } from 'fastify';
import { recordAudit } from '../../auth/index.ts';
import type { Queryable } from '../../platform/db/index.ts';
import type { HttpServer } from './http-server.ts';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The resource a call acted on: the path's :id, else the id the answer's Location names. */
function resourceId(request: FastifyRequest, location: string | undefined): string | null {
  const id = (request.params as { id?: unknown } | undefined)?.id;
  if (typeof id === 'string') return id.slice(0, 200);
  return location?.split('/').at(-1)?.slice(0, 200) ?? null;
}

/**
 * Writes one audit row per mutating /v1 call once it is answered, refused ones included (a 401 or
 * 403 is worth seeing). Only the route pattern, the id and the outcome: never bodies or headers.
 */
export function registerAuditLog(app: HttpServer, deps: { db: Queryable; now: () => Date }) {
  // On the mutating /v1 routes only, as they are added: a read carries no audit hook at all.
  app.addHook('onRoute', (route) => {
    const methods = [route.method].flat();
    if (!route.url.startsWith('/v1/') || methods.every((method) => READS.has(method))) return;
    route.onResponse = [
      ...[route.onResponse ?? []].flat(),
      async (request, reply) => {
        if (READS.has(request.method)) return;
        const location = reply.getHeader('location');
        const principal = request.principal;
        await recordAudit(
          deps.db,
          {
            token_id: principal?.tokenId ?? null,
            token_name: principal?.name ?? null,
            method: request.method,
            route: route.url,
            resource_id: resourceId(request, typeof location === 'string' ? location : undefined),
            ip: request.ip,
            status: reply.statusCode,
            request_id: String(request.id).slice(0, 100),
          },
          deps.now(),
        ).catch((error: unknown) => request.log.error({ err: error }, 'audit log write failed'));
      },
    ];
  });
}
