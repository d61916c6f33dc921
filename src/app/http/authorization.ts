import type { FastifyRequest } from 'fastify';
import { type Principal, principalMayTouch, type Role, roleAllows, type TokenVerifier } from '../../auth/index.ts';
import type { Queryable } from '../../platform/db/index.ts';
import { AppError } from '../../platform/errors.ts';
import type { HttpServer } from './http-server.ts';

/**
 * Which persona a request touches, for tokens limited to some personas:
 * - persona / post / task: the `:id` in the path is one (or belongs to one);
 * - body-persona: the body's persona_id; query-persona: ?persona_id=, required for such a token;
 * - all-personas: the route spans every persona, so a limited token may not use it.
 */
type Scope = 'persona' | 'post' | 'task' | 'body-persona' | 'query-persona' | 'all-personas';

interface Access {
  role: Role;
  scope: Scope;
}

/**
 * The one table of who may call what. A route missing here gets the defaults: GET → viewer,
 * anything else → editor, and all-personas (closed to persona-limited tokens) until classified.
 */
const ACCESS: Record<string, Partial<Access>> = {
  'GET /v1/personas/:id': { scope: 'persona' },
  'PATCH /v1/personas/:id': { scope: 'persona' },
  'DELETE /v1/personas/:id': { scope: 'persona' },
  'POST /v1/personas/:id/threads-account/connect': { scope: 'persona' },
  'PUT /v1/personas/:id/threads-account': { scope: 'persona' },
  'GET /v1/personas/:id/threads-account': { scope: 'persona' },
  'DELETE /v1/personas/:id/threads-account': { scope: 'persona' },
  'POST /v1/tasks': { scope: 'body-persona' },
  'GET /v1/tasks/:id': { scope: 'task' },
  'GET /v1/tasks/:id/events': { scope: 'task' },
  'GET /v1/posts': { scope: 'query-persona' },
  'GET /v1/posts/:id': { scope: 'post' },
  'PATCH /v1/posts/:id': { scope: 'post' },
  'GET /v1/posts/:id/edits': { scope: 'post' },
  'GET /v1/posts/:id/insights': { scope: 'post' },
  'GET /v1/posts/:id/publish-attempts': { scope: 'post' },
  'POST /v1/posts/:id/approve': { scope: 'post' },
  'POST /v1/posts/:id/reject': { scope: 'post' },
  'POST /v1/posts/:id/schedule': { scope: 'post' },
  'POST /v1/tokens': { role: 'admin' },
  'GET /v1/tokens': { role: 'admin' },
  'DELETE /v1/tokens/:id': { role: 'admin' },
  'GET /v1/audit': { role: 'admin' },
};

export function accessFor(method: string, url: string): Access {
  const verb = method === 'HEAD' ? 'GET' : method;
  const entry = ACCESS[`${verb} ${url}`] ?? {};
  return { role: entry.role ?? (verb === 'GET' ? 'viewer' : 'editor'), scope: entry.scope ?? 'all-personas' };
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
    /** Why the bearer token was refused; answered after the failed-auth rate limit has counted it. */
    authFailure?: string;
  }
}

/** Routes under /v1 need a token; the OAuth callback is authenticated by its single-use state instead. */
export function needsToken(request: FastifyRequest, openRoutes: readonly string[]): boolean {
  const url = request.routeOptions.url;
  return url?.startsWith('/v1/') === true && !openRoutes.includes(url);
}

async function personaOf(db: Queryable, table: 'posts' | 'tasks', id: string): Promise<string | null> {
  const [row] = await db.query<{ persona_id: string }>(`SELECT persona_id FROM ${table} WHERE id = $1`, [id]);
  return row?.persona_id ?? null;
}

/** The persona a scoped request touches; undefined when nothing names one. */
async function touchedPersona(db: Queryable, request: FastifyRequest, scope: Scope) {
  const id = (request.params as { id?: string }).id;
  if (scope === 'persona') return id;
  if (scope === 'post' && id) return personaOf(db, 'posts', id);
  if (scope === 'task' && id) return personaOf(db, 'tasks', id);
  if (scope === 'body-persona') return (request.body as { persona_id?: string } | undefined)?.persona_id;
  return (request.query as { persona_id?: string }).persona_id;
}

/**
 * Authentication (onRequest), then role (preParsing, so a refused body is never read), then persona
 * scope (preHandler, once params and body are validated). Another persona's resource answers 404,
 * as if it did not exist, so a limited token cannot probe what other personas have.
 */
export function registerAuthorization(
  app: HttpServer,
  deps: { db: Queryable; verifyToken: TokenVerifier; openRoutes: readonly string[] },
) {
  app.addHook('onRequest', async (request, reply) => {
    if (!needsToken(request, deps.openRoutes)) return;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    // A database that cannot be asked is an outage (503), not a verdict on the token.
    const principal = match
      ? await deps.verifyToken(match[1]!).catch((error: unknown) => {
          request.log.warn({ err: error }, 'token check failed: database unreachable');
          return undefined;
        })
      : null;
    if (principal === undefined) {
      return reply
        .code(503)
        .header('retry-after', '5')
        .send({ error: { code: 'unavailable', message: 'the database is unreachable; retry shortly' } });
    }
    if (principal) request.principal = principal;
    else request.authFailure = match ? 'the bearer token is not valid' : 'send Authorization: Bearer <token>';
  });

  app.addHook('preParsing', async (request, reply) => {
    if (request.authFailure !== undefined) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({ error: { code: 'unauthorized', message: request.authFailure } });
    }
    const principal = request.principal;
    if (!principal) return;
    const access = accessFor(request.method, request.routeOptions.url!);
    if (!roleAllows(principal.role, access.role)) {
      throw new AppError('forbidden', `this token's role is ${principal.role}; this route needs ${access.role}`);
    }
    if (principal.personaIds !== null && access.scope === 'all-personas') {
      throw new AppError('forbidden', 'this token is limited to some personas; this route spans all of them');
    }
  });

  app.addHook('preHandler', async (request) => {
    const principal = request.principal;
    if (!principal || principal.personaIds === null) return;
    const { scope } = accessFor(request.method, request.routeOptions.url!);
    const persona = await touchedPersona(deps.db, request, scope);
    if (scope === 'query-persona' && persona === undefined) {
      throw new AppError('forbidden', 'this token is limited to some personas: add ?persona_id= for one of them');
    }
    if (typeof persona === 'string' && !principalMayTouch(principal, persona)) {
      throw new AppError('not_found', `${request.url.split('?')[0]}: not found among this token's personas`);
    }
  });
}
