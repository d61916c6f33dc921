import type { FastifyInstance, FastifyRequest } from 'fastify';
import { graphErrors } from './graph-error.ts';
import {
  CONTAINER_FIELDS,
  MEDIA_FIELDS,
  PROFILE_FIELDS,
  parseFields,
  renderContainer,
  renderMedia,
  renderProfile,
} from './media-view.ts';
import { pageUrlFor, paginate } from './paging.ts';
import { authenticate, ownUserId, type Caller } from './sim-auth.ts';
import type { SimContext } from './sim-context.ts';
import { ownPosts, repliesIndex } from './sim-insights.ts';
import { containerStatus } from './sim-publishing.ts';
import type { SimMedia, SimState } from './sim-state.ts';

type IdParams = { Params: { id: string } };

/** Graph takes Unix seconds (or anything strtotime reads); the simulator also reads ISO dates. */
export function timeParam(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value);
  if (!Number.isFinite(ms)) throw graphErrors.badParam(`Param ${name} must be a Unix timestamp.`);
  return ms;
}

/** Own media, and replies in the conversations under the caller's own posts (with threads_read_replies). */
export function visibleMedia(state: SimState, caller: Caller, id: string): SimMedia {
  const m = state.media[id];
  if (!m) throw graphErrors.objectNotFound(id);
  if (m.ownerId === caller.user.id) return m;
  const root = m.rootId ? state.media[m.rootId] : undefined;
  if (root?.ownerId === caller.user.id && caller.token.scopes.includes('threads_read_replies')) return m;
  throw graphErrors.objectNotFound(id);
}

export function originOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

export function registerMediaRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.get('/v1.0/me', async (request) => {
    const caller = await authenticate(ctx, request, 'me');
    return renderProfile(caller.user, parseFields(caller.params.fields, PROFILE_FIELDS, 'ThreadsUser'));
  });

  app.get<IdParams>('/v1.0/:id', async (request) => {
    const { id } = request.params;
    const container = ctx.state.containers[id];
    const endpoint = ctx.state.users[id] ? 'me' : container ? 'container_status' : 'media';
    const caller = await authenticate(ctx, request, endpoint);
    if (endpoint === 'me') {
      ownUserId(caller, id);
      return renderProfile(caller.user, parseFields(caller.params.fields, PROFILE_FIELDS, 'ThreadsUser'));
    }
    if (container) {
      if (container.userId !== caller.user.id) throw graphErrors.objectNotFound(id);
      return renderContainer(
        container,
        containerStatus(ctx, container),
        parseFields(caller.params.fields, CONTAINER_FIELDS, 'ThreadsMediaContainer'),
      );
    }
    const media = visibleMedia(ctx.state, caller, id);
    const replies = repliesIndex(ctx.state);
    const fields = parseFields(caller.params.fields, MEDIA_FIELDS, 'ThreadsMedia');
    return renderMedia(media, fields, caller.user.id, (replies.get(media.id) ?? []).length > 0);
  });

  app.get<IdParams>('/v1.0/:id/threads', async (request) => {
    const caller = await authenticate(ctx, request, 'user_threads');
    const userId = ownUserId(caller, request.params.id);
    const fields = parseFields(caller.params.fields, MEDIA_FIELDS, 'ThreadsMedia');
    const since = timeParam(caller.params.since, 'since');
    const until = timeParam(caller.params.until, 'until');
    const posts = ownPosts(ctx.state, userId)
      .filter((m) => (since === undefined || m.createdAt >= since) && (until === undefined || m.createdAt <= until))
      .sort((a, b) => b.createdAt - a.createdAt || b.id.localeCompare(a.id));
    const page = paginate(
      posts,
      caller.params,
      pageUrlFor(originOf(request), request.url.split('?')[0]!, caller.params),
    );
    const replies = repliesIndex(ctx.state);
    return {
      data: page.items.map((m) => renderMedia(m, fields, caller.user.id, (replies.get(m.id) ?? []).length > 0)),
      ...(page.paging ? { paging: page.paging } : {}),
    };
  });
}
