import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyRequest } from 'fastify';
import type { ThreadsEndpoint } from '../platform/threads/index.ts';
import { materializeAudience } from './audience-replies.ts';
import { BadGatewayError, graphErrors } from './graph-error.ts';
import type { SimContext } from './sim-context.ts';
import type { SimToken, SimUser } from './sim-state.ts';

export type Params = Record<string, string>;

/** Query and form/JSON body merged: Meta takes POST parameters in either place. */
export function readParams(request: FastifyRequest): Params {
  const out: Params = {};
  for (const source of [request.query, request.body]) {
    if (typeof source !== 'object' || source === null) continue;
    for (const [key, value] of Object.entries(source)) {
      if (value !== undefined && value !== null) out[key] = String(value);
    }
  }
  return out;
}

/** Waits and/or fails as an injected fault says; a no-op when none is queued for `endpoint`. */
export async function applyFault(ctx: SimContext, endpoint: ThreadsEndpoint): Promise<void> {
  const fault = ctx.faults.take(endpoint);
  if (!fault) return;
  if (fault.delayMs > 0) await sleep(fault.delayMs);
  if (fault.badGateway) throw new BadGatewayError('bad gateway');
  if (fault.error) throw fault.error;
}

/** The token as sent: `access_token` parameter (documented) or `Authorization: Bearer` (works in practice). */
export function presentedToken(request: FastifyRequest, params: Params): string | null {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  return params.access_token ?? null;
}

/** A token that exists and has not expired, or Meta's code 190 (2500 when there is none at all). */
export function validToken(ctx: SimContext, token: string | null): SimToken {
  if (!token) throw graphErrors.noToken();
  const t = ctx.state.tokens[token];
  if (!t) throw graphErrors.invalidToken();
  const now = ctx.now();
  if (now >= t.expiresAt) throw graphErrors.expiredToken(t.expiresAt, now);
  return t;
}

export interface Caller {
  params: Params;
  token: SimToken;
  user: SimUser;
  /** The raw token string, for paging URLs (Meta echoes it there). */
  tokenString: string;
}

/**
 * What every Graph route does first: injected faults, the audience catching up with the clock,
 * then the token and its scopes (threads_basic always, plus `scopes`).
 */
export async function authenticate(
  ctx: SimContext,
  request: FastifyRequest,
  endpoint: ThreadsEndpoint,
  scopes: readonly string[] = [],
): Promise<Caller> {
  await applyFault(ctx, endpoint);
  if (materializeAudience(ctx.state, ctx.seed, ctx.now())) ctx.store.changed();
  const params = readParams(request);
  const tokenString = presentedToken(request, params);
  const token = validToken(ctx, tokenString);
  for (const scope of ['threads_basic', ...scopes]) {
    if (!token.scopes.includes(scope)) throw graphErrors.missingScope(scope);
  }
  const user = ctx.state.users[token.userId];
  if (!user) throw graphErrors.invalidToken();
  return { params, token, user, tokenString: tokenString! };
}

/** `me` or the caller's own id; anyone else's id is treated as Meta does: not found or not permitted. */
export function ownUserId(caller: Caller, idParam: string): string {
  if (idParam === 'me' || idParam === caller.user.id) return caller.user.id;
  throw graphErrors.objectNotFound(idParam);
}

export function requireScope(caller: Caller, scope: string): void {
  if (!caller.token.scopes.includes(scope)) throw graphErrors.missingScope(scope);
}
