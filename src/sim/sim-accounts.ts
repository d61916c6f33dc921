import type { SimProfile } from './post-reading.ts';
import { graphErrors } from './graph-error.ts';
import { LONG_LIVED_MS, SHORT_LIVED_MS, type SimContext } from './sim-context.ts';
import { newAccessToken, nextId } from './sim-ids.ts';
import type { SimToken, SimUser } from './sim-state.ts';

export const ALL_SCOPES = [
  'threads_basic',
  'threads_content_publish',
  'threads_read_replies',
  'threads_manage_replies',
  'threads_manage_insights',
  'threads_manage_mentions',
  'threads_delete',
] as const;

export interface NewUser {
  username?: string;
  name?: string;
  biography?: string;
  followers?: number;
  profile?: SimProfile | null;
}

export const DEFAULT_INITIAL_FOLLOWERS = 50;

export function findUserByUsername(ctx: SimContext, username: string): SimUser | undefined {
  return Object.values(ctx.state.users).find((u) => u.username === username);
}

export function createSimUser(ctx: SimContext, input: NewUser): SimUser {
  const id = nextId(ctx.state, ctx.seed, 'user');
  const username = input.username ?? `sim_user_${ctx.state.nextSeq}`;
  if (findUserByUsername(ctx, username)) throw graphErrors.badParam(`username ${username} is taken`);
  const user: SimUser = {
    id,
    username,
    name: input.name ?? username,
    biography: input.biography ?? '',
    createdAt: ctx.now(),
    initialFollowers: input.followers ?? DEFAULT_INITIAL_FOLLOWERS,
    profile: input.profile ?? null,
  };
  ctx.state.users[id] = user;
  ctx.store.changed();
  return user;
}

/** A new token for the user: short-lived (1 h) or long-lived (60 days) from `issuedAt`. */
export function issueToken(
  ctx: SimContext,
  userId: string,
  scopes: readonly string[],
  kind: SimToken['kind'],
  issuedAt: number = ctx.now(),
): { accessToken: string; token: SimToken } {
  const accessToken = newAccessToken(kind);
  const token: SimToken = {
    userId,
    scopes: [...new Set(scopes)],
    kind,
    issuedAt,
    expiresAt: issuedAt + (kind === 'short' ? SHORT_LIVED_MS : LONG_LIVED_MS),
  };
  ctx.state.tokens[accessToken] = token;
  ctx.store.changed();
  return { accessToken, token };
}

/** Seconds left, as Meta's `expires_in`. */
export function expiresIn(ctx: SimContext, token: SimToken): number {
  return Math.max(0, Math.floor((token.expiresAt - ctx.now()) / 1000));
}
