import type { FastifyInstance } from 'fastify';
import { graphErrors } from './graph-error.ts';
import { authenticate, ownUserId, requireScope } from './sim-auth.ts';
import { DAY_MS, type SimContext } from './sim-context.ts';
import { containerFromParams, publishContainer, quotaUsage, saveContainer } from './sim-publishing.ts';

type IdParams = { Params: { id: string } };

export function registerPublishRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.post<IdParams>('/v1.0/:id/threads', async (request) => {
    const caller = await authenticate(ctx, request, 'create_container', ['threads_content_publish']);
    ownUserId(caller, request.params.id);
    if (caller.params.reply_to_id !== undefined) requireScope(caller, 'threads_manage_replies');
    const container = containerFromParams(ctx, caller.user, caller.params);
    if (caller.params.auto_publish_text === 'true') {
      // A container refused for quota is never stored: Meta answers with the error alone.
      const media = publishContainer(ctx, caller.user, container, true);
      saveContainer(ctx, container);
      return { id: media.id };
    }
    saveContainer(ctx, container);
    return { id: container.id };
  });

  app.post<IdParams>('/v1.0/:id/threads_publish', async (request) => {
    const caller = await authenticate(ctx, request, 'threads_publish', ['threads_content_publish']);
    const userId = ownUserId(caller, request.params.id);
    const creationId = caller.params.creation_id;
    if (!creationId) throw graphErrors.badParam('Param creation_id is required.');
    const container = ctx.state.containers[creationId];
    if (!container || container.userId !== userId) throw graphErrors.objectNotFound(creationId);
    if (container.replyToId !== null) requireScope(caller, 'threads_manage_replies');
    const media = publishContainer(ctx, caller.user, container);
    return { id: media.id };
  });

  app.get<IdParams>('/v1.0/:id/threads_publishing_limit', async (request) => {
    const caller = await authenticate(ctx, request, 'publishing_limit', ['threads_content_publish']);
    const userId = ownUserId(caller, request.params.id);
    const usage = quotaUsage(ctx, userId);
    const all = {
      quota_usage: usage.posts,
      config: { quota_total: ctx.settings.postQuota, quota_duration: DAY_MS / 1000 },
      reply_quota_usage: usage.replies,
      reply_config: { quota_total: ctx.settings.replyQuota, quota_duration: DAY_MS / 1000 },
    };
    const fields = (caller.params.fields ?? 'quota_usage,config').split(',').map((f) => f.trim());
    const item: Record<string, unknown> = {};
    for (const f of fields) {
      if (!(f in all))
        throw graphErrors.badParam(
          `(#100) Tried accessing nonexisting field (${f}) on node type (ThreadsPublishingLimit)`,
        );
      item[f] = all[f as keyof typeof all];
    }
    return { data: [item] };
  });
}
