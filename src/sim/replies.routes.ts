import type { FastifyInstance } from 'fastify';
import { graphErrors } from './graph-error.ts';
import { originOf, visibleMedia } from './media.routes.ts';
import { MEDIA_FIELDS, parseFields, renderMedia } from './media-view.ts';
import { pageUrlFor, paginate } from './paging.ts';
import { authenticate, type Caller } from './sim-auth.ts';
import type { SimContext } from './sim-context.ts';
import type { SimMedia, SimState } from './sim-state.ts';

type IdParams = { Params: { id: string } };

function childrenOf(state: SimState): Map<string, SimMedia[]> {
  const children = new Map<string, SimMedia[]>();
  for (const m of Object.values(state.media)) {
    if (!m.replyToId) continue;
    const list = children.get(m.replyToId);
    if (list) list.push(m);
    else children.set(m.replyToId, [m]);
  }
  return children;
}

/** Every reply below `id`, at any depth. */
function descendants(children: Map<string, SimMedia[]>, id: string): SimMedia[] {
  const out: SimMedia[] = [];
  const queue = [id];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const child of children.get(next) ?? []) {
      out.push(child);
      queue.push(child.id);
    }
  }
  return out;
}

export function registerReplyRoutes(app: FastifyInstance, ctx: SimContext): void {
  const list = (endpoint: 'replies' | 'conversation') =>
    app.get<IdParams>(`/v1.0/:id/${endpoint}`, async (request) => {
      const caller: Caller = await authenticate(ctx, request, endpoint, ['threads_read_replies']);
      const media = visibleMedia(ctx.state, caller, request.params.id);
      const fields = parseFields(caller.params.fields, MEDIA_FIELDS, 'ThreadsMedia');
      const children = childrenOf(ctx.state);
      const items = endpoint === 'replies' ? [...(children.get(media.id) ?? [])] : descendants(children, media.id);
      const newestFirst = caller.params.reverse !== 'false';
      items.sort((a, b) => (a.createdAt - b.createdAt || a.id.localeCompare(b.id)) * (newestFirst ? -1 : 1));
      const page = paginate(
        items,
        caller.params,
        pageUrlFor(originOf(request), request.url.split('?')[0]!, caller.params),
      );
      return {
        data: page.items.map((m) => renderMedia(m, fields, caller.user.id, (children.get(m.id) ?? []).length > 0)),
        ...(page.paging ? { paging: page.paging } : {}),
      };
    });
  list('replies');
  list('conversation');

  app.post<IdParams>('/v1.0/:id/manage_reply', async (request) => {
    const caller = await authenticate(ctx, request, 'manage_reply', ['threads_manage_replies']);
    const reply = ctx.state.media[request.params.id];
    const root = reply?.rootId ? ctx.state.media[reply.rootId] : undefined;
    if (!reply || !root || root.ownerId !== caller.user.id) throw graphErrors.objectNotFound(request.params.id, 'post');
    if (reply.replyToId !== root.id) throw graphErrors.badParam('Only top-level replies can be hidden or unhidden.');
    if (reply.ownerId === caller.user.id) throw graphErrors.badParam('You cannot hide your own reply.');
    const hide = caller.params.hide;
    if (hide !== 'true' && hide !== 'false') throw graphErrors.badParam('Param hide must be true or false.');
    reply.hideStatus = hide === 'true' ? 'HIDDEN' : 'UNHUSHED';
    ctx.store.changed();
    return { success: true };
  });
}
