import { REPLY_CONTROLS } from '../platform/threads/index.ts';
import { graphErrors, GraphError } from './graph-error.ts';
import { accountSeedOf, judgePost } from './judge-post.ts';
import { CONTAINER_TTL_MS, DAY_MS, type SimContext } from './sim-context.ts';
import { nextId } from './sim-ids.ts';
import { followersNow, ownPosts } from './sim-insights.ts';
import { deriveSeed } from './sim-random.ts';
import type { Params } from './sim-auth.ts';
import type { SimContainer, SimContainerStatus, SimMedia, SimUser } from './sim-state.ts';

export const MAX_TEXT_CHARS = 500;
export const MAX_LINKS = 5;

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"]+|\bwww\.[^\s<>"]+/gi;

export function containerStatus(ctx: SimContext, c: SimContainer): SimContainerStatus {
  if (c.mediaId) return 'PUBLISHED';
  const now = ctx.now();
  if (now >= c.createdAt + CONTAINER_TTL_MS) return 'EXPIRED';
  return now < c.readyAt ? 'IN_PROGRESS' : 'FINISHED';
}

/** Own posts and replies published in the rolling 24 h before now. */
export function quotaUsage(ctx: SimContext, userId: string): { posts: number; replies: number } {
  const since = ctx.now() - DAY_MS;
  let posts = 0;
  let replies = 0;
  for (const m of Object.values(ctx.state.media)) {
    if (m.ownerId !== userId || m.origin !== 'api' || m.createdAt <= since) continue;
    if (m.replyToId) replies++;
    else posts++;
  }
  return { posts, replies };
}

function checkQuota(ctx: SimContext, userId: string, isReply: boolean): void {
  const usage = quotaUsage(ctx, userId);
  if (isReply && usage.replies >= ctx.settings.replyQuota)
    throw graphErrors.quotaExceeded('replies', ctx.settings.replyQuota);
  if (!isReply && usage.posts >= ctx.settings.postQuota)
    throw graphErrors.quotaExceeded('posts', ctx.settings.postQuota);
}

function isUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** The checks Meta makes on POST /{user-id}/threads, with Meta's messages where they are known. */
export function containerFromParams(ctx: SimContext, user: SimUser, p: Params): SimContainer {
  const mediaType = p.media_type;
  if (!mediaType) throw graphErrors.badParam('Param media_type is required.');
  if (mediaType !== 'TEXT')
    throw graphErrors.badParam(`Param media_type ${mediaType} is not supported by the simulator: use TEXT.`);
  const text = p.text ?? '';
  if (text.trim() === '') throw graphErrors.badParam('Param text is required for TEXT posts.');
  if ([...text].length > MAX_TEXT_CHARS)
    throw graphErrors.badParam(`Param text must be at most ${MAX_TEXT_CHARS} characters long.`);

  const replyControl = p.reply_control ?? 'everyone';
  if (!(REPLY_CONTROLS as readonly string[]).includes(replyControl)) {
    throw graphErrors.badParam(`Param reply_control must be one of {${REPLY_CONTROLS.join(', ')}}.`);
  }
  const topicTag = p.topic_tag ?? null;
  if (topicTag !== null && (topicTag.length < 1 || topicTag.length > 50 || /[.&]/.test(topicTag))) {
    throw graphErrors.badParam(
      'Param topic_tag must be 1 to 50 characters long and must not contain periods (.) or ampersands (&).',
    );
  }
  const linkAttachment = p.link_attachment ?? null;
  if (linkAttachment !== null && !isUrl(linkAttachment))
    throw graphErrors.badParam('Param link_attachment must be a valid URL.');

  const links = new Set(text.match(URL_PATTERN) ?? []);
  if (linkAttachment) links.add(linkAttachment);
  if (links.size > MAX_LINKS) {
    throw new GraphError(400, {
      message: `THREADS_API__LINK_LIMIT_EXCEEDED: a post may contain at most ${MAX_LINKS} links; this one has ${links.size}.`,
      code: 100,
      error_user_title: 'Too many links',
      error_user_msg: `Posts can include up to ${MAX_LINKS} links.`,
    });
  }
  const replyToId = p.reply_to_id ?? null;
  if (replyToId !== null && !ctx.state.media[replyToId]) throw graphErrors.objectNotFound(replyToId);
  const quotePostId = p.quote_post_id ?? null;
  if (quotePostId !== null && !ctx.state.media[quotePostId]) throw graphErrors.objectNotFound(quotePostId);

  const now = ctx.now();
  return {
    id: nextId(ctx.state, ctx.seed, 'container'),
    userId: user.id,
    createdAt: now,
    readyAt: now + ctx.settings.containerReadyMs,
    text,
    replyToId,
    replyControl,
    quotePostId,
    linkAttachment,
    topicTag,
    mediaId: null,
  };
}

export function saveContainer(ctx: SimContext, container: SimContainer): void {
  ctx.state.containers[container.id] = container;
  ctx.store.changed();
}

/** Step 2: turns a FINISHED container into a live post (once), within the rolling quota. */
export function publishContainer(
  ctx: SimContext,
  user: SimUser,
  container: SimContainer,
  ignoreReadiness = false,
): SimMedia {
  const status = containerStatus(ctx, container);
  if (status === 'PUBLISHED') throw graphErrors.badParam('The media container has already been published.');
  if (status === 'EXPIRED')
    throw graphErrors.badParam('The media container has expired: publish within 24 hours of creating it.');
  if (status === 'IN_PROGRESS' && !ignoreReadiness) throw graphErrors.notReady();
  checkQuota(ctx, user.id, container.replyToId !== null);

  const now = ctx.now();
  const parent = container.replyToId ? ctx.state.media[container.replyToId] : undefined;
  const linkUrl = container.linkAttachment ?? container.text.match(URL_PATTERN)?.[0] ?? null;
  const media: SimMedia = {
    id: nextId(ctx.state, ctx.seed, 'media'),
    ownerId: user.id,
    username: user.username,
    text: container.text,
    createdAt: now,
    replyToId: parent?.id ?? null,
    rootId: parent ? (parent.rootId ?? parent.id) : null,
    replyControl: container.replyControl,
    isQuotePost: container.quotePostId !== null,
    topicTag: container.topicTag,
    linkUrl,
    hideStatus: 'NOT_HUSHED',
    origin: 'api',
    plan: null,
    audienceReplies: 0,
    answerDueAt: null,
  };
  if (!parent) {
    const recentTexts = ownPosts(ctx.state, user.id)
      .sort((a, b) => b.createdAt - a.createdAt)
      .map((m) => m.text);
    media.plan = judgePost({
      accountSeed: accountSeedOf(ctx.seed, user.id),
      profile: user.profile,
      text: media.text,
      publishedAt: now,
      followers: followersNow(ctx.state, user, now),
      recentTexts,
      hasLink: linkUrl !== null,
      seed: deriveSeed(ctx.seed, 'post', media.id),
    });
  }
  ctx.state.media[media.id] = media;
  container.mediaId = media.id;
  ctx.store.changed();
  return media;
}
