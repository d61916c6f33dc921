import cors from '@fastify/cors';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import helmet, { type HelmetOptions } from 'helmet';
import { DASHBOARD_DIR } from './dashboard.routes.ts';
import type { HttpServer } from './http-server.ts';

/**
 * The dashboard (a Next.js static export) boots from inline scripts; the CSP allows exactly those,
 * by hash, instead of any inline script.
 */
function inlineScriptHashes(root: string): string[] {
  if (!existsSync(root)) return [];
  const hashes = new Set<string>();
  for (const entry of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    if (!entry.endsWith('.html')) continue;
    const html = readFileSync(path.join(root, entry), 'utf8');
    for (const match of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
      if (match[1]) hashes.add(`'sha256-${createHash('sha256').update(match[1]).digest('base64')}'`);
    }
  }
  return [...hashes];
}

/**
 * The headers helmet sets for these options, worked out once: they depend on no request (no CSP
 * nonces), and @fastify/helmet rebuilt helmet's middleware, CSP parsing included, on every request.
 */
function helmetHeaders(options: HelmetOptions): [string, string][] {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: () => {},
  };
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
  });
  return Object.entries(headers);
}

/**
 * Browser-facing protections. CORS answers only the origins listed (none by default: the dashboard
 * is served from the API's own origin and needs none). Helmet's default CSP (scripts and styles from
 * 'self', images also from data:) is what the swagger UI at /docs and a same-origin dashboard need.
 */
export async function registerSecurityHeaders(
  app: HttpServer,
  corsOrigins: readonly string[],
  dashboardDir = DASHBOARD_DIR,
) {
  const securityHeaders = helmetHeaders({
    // TLS ends at the ingress, which sets HSTS; the embedded default is plain http://127.0.0.1, where
    // upgrading the page's requests to https would break /docs and the dashboard.
    hsts: false,
    contentSecurityPolicy: {
      directives: { upgradeInsecureRequests: null, scriptSrc: ["'self'", ...inlineScriptHashes(dashboardDir)] },
    },
    // The API is called cross-origin only from the listed origins; CORP would block even those.
    crossOriginResourcePolicy: { policy: corsOrigins.length > 0 ? 'cross-origin' : 'same-origin' },
  });
  // On the raw response, as helmet did, so hijacked replies (the task event streams) carry them too.
  app.addHook('onRequest', (_request, reply, done) => {
    for (const [name, value] of securityHeaders) reply.raw.setHeader(name, value);
    done();
  });
  // With no origin listed there is nothing to answer: a preflight gets no CORS headers either way.
  if (corsOrigins.length === 0) return;
  await app.register(cors, {
    origin: [...corsOrigins],
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'last-event-id'],
    exposedHeaders: ['location', 'retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'],
    maxAge: 600,
  });
}
