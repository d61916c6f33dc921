import { graphErrors } from './graph-error.ts';
import { formatTimestamp, permalinkOf, shortcodeOf } from './sim-ids.ts';
import type { SimContainer, SimContainerStatus, SimMedia, SimUser } from './sim-state.ts';

export const MEDIA_FIELDS = [
  'id',
  'media_product_type',
  'media_type',
  'permalink',
  'owner',
  'username',
  'text',
  'timestamp',
  'shortcode',
  'is_quote_post',
  'has_replies',
  'is_reply',
  'is_reply_owned_by_me',
  'root_post',
  'replied_to',
  'hide_status',
  'topic_tag',
  'link_attachment_url',
] as const;

export const PROFILE_FIELDS = [
  'id',
  'username',
  'name',
  'threads_profile_picture_url',
  'threads_biography',
  'is_verified',
] as const;
export const CONTAINER_FIELDS = ['id', 'status', 'error_message'] as const;

/** `fields=a,b`: Graph returns only `id` without it, and rejects names the node does not have. */
export function parseFields(raw: string | undefined, allowed: readonly string[], nodeType: string): string[] {
  const fields = (raw ?? 'id')
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  for (const f of fields) {
    if (!allowed.includes(f))
      throw graphErrors.badParam(`(#100) Tried accessing nonexisting field (${f}) on node type (${nodeType})`);
  }
  return fields.includes('id') ? fields : ['id', ...fields];
}

function pickFields(all: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  // Graph leaves out fields that have no value rather than sending null.
  for (const f of fields) if (all[f] !== undefined && all[f] !== null) out[f] = all[f];
  return out;
}

export function renderMedia(
  m: SimMedia,
  fields: readonly string[],
  viewerId: string,
  hasReplies: boolean,
): Record<string, unknown> {
  const isReply = m.replyToId !== null;
  return pickFields(
    {
      id: m.id,
      media_product_type: 'THREADS',
      media_type: 'TEXT_POST',
      permalink: permalinkOf(m.username, m.id),
      owner: { id: m.ownerId },
      username: m.username,
      text: m.text,
      timestamp: formatTimestamp(m.createdAt),
      shortcode: shortcodeOf(m.id),
      is_quote_post: m.isQuotePost,
      has_replies: hasReplies,
      is_reply: isReply,
      is_reply_owned_by_me: m.ownerId === viewerId,
      root_post: isReply && m.rootId ? { id: m.rootId } : undefined,
      replied_to: isReply && m.replyToId ? { id: m.replyToId } : undefined,
      hide_status: m.hideStatus,
      topic_tag: m.topicTag,
      link_attachment_url: m.linkUrl,
    },
    fields,
  );
}

export function renderProfile(u: SimUser, fields: readonly string[]): Record<string, unknown> {
  return pickFields(
    {
      id: u.id,
      username: u.username,
      name: u.name,
      threads_profile_picture_url: `https://www.threads.net/sim/avatars/${u.username}.jpg`,
      threads_biography: u.biography,
      is_verified: false,
    },
    fields,
  );
}

export function renderContainer(
  c: SimContainer,
  status: SimContainerStatus,
  fields: readonly string[],
): Record<string, unknown> {
  return pickFields(
    {
      id: c.id,
      status,
      error_message: status === 'EXPIRED' ? 'The container was not published within 24 hours.' : undefined,
    },
    fields,
  );
}
