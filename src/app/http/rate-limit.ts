import rateLimit from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import type { Config } from '../../platform/config.ts';
import type { Queryable } from '../../platform/db/index.ts';
import { AppError } from '../../platform/errors.ts';
import type { HttpServer } from './http-server.ts';
import { pgRateLimitStore } from './pg-rate-limit-store.ts';

/**
 * One counter per caller, chosen after authentication has run: a valid token counts per token
 * (wherever it calls from), a missing or wrong one per IP against the much lower failed-auth limit,
 * and routes without a token (health, docs, the dashboard) per IP.
 */
function bucket(request: FastifyRequest, limits: Config['security']['rateLimit']) {
  if (request.principal)
    return { key: `token:${request.principal.tokenId ?? request.principal.name}`, max: limits.perToken };
  if (request.authFailure !== undefined) return { key: `auth-fail:${request.ip}`, max: limits.authFailures };
  return { key: `ip:${request.ip}`, max: limits.perIp };
}

const UNLIMITED_ROUTES = new Set(['/*', '/health', '/ready', '/metrics']);

/** Registered before the routes (it hooks each route as it is added) and after the authentication hook. */
export async function registerRateLimit(
  app: HttpServer,
  deps: { db: Queryable; limits: Config['security']['rateLimit'] },
) {
  const { limits } = deps;
  await app.register(rateLimit, {
    timeWindow: limits.windowSeconds * 1000,
    keyGenerator: (request) => bucket(request, limits).key,
    // The dashboard's static files (its catch-all route): a page load fetches dozens, and they cost nothing.
    // Probes and scrapes (/health, /ready, /metrics) must answer through an outage of the shared store.
    allowList: (request) => UNLIMITED_ROUTES.has(request.routeOptions.url ?? ''),
    // A store that cannot be reached (the database restarting) lets requests through rather than fail them.
    skipOnError: true,
    max: (request) => bucket(request, limits).max,
    ...(limits.store === 'postgres' ? { store: pgRateLimitStore(deps.db) } : {}),
    errorResponseBuilder: (_request, context) =>
      new AppError(
        'too_many_requests',
        `too many requests: at most ${context.max} per ${limits.windowSeconds} s; retry in ${context.after}`,
      ),
  });
}
