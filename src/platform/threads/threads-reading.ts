import type { z } from 'zod';
import {
  mediaSchema,
  pageSchema,
  profileSchema,
  successSchema,
  type ThreadsMedia,
  type ThreadsProfile,
} from './threads-schemas.ts';
import { seg, type ThreadsHttp } from './threads-http.ts';

export type MediaField = keyof ThreadsMedia;
export type ProfileField = keyof ThreadsProfile;

export const DEFAULT_PROFILE_FIELDS: readonly ProfileField[] = [
  'id',
  'username',
  'name',
  'threads_profile_picture_url',
  'threads_biography',
  'is_verified',
];

export const DEFAULT_POST_FIELDS: readonly MediaField[] = [
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
  'topic_tag',
  'link_attachment_url',
];

export const DEFAULT_REPLY_FIELDS: readonly MediaField[] = [
  'id',
  'text',
  'username',
  'permalink',
  'timestamp',
  'media_type',
  'has_replies',
  'is_reply',
  'is_reply_owned_by_me',
  'root_post',
  'replied_to',
  'hide_status',
];

/** One page of a list; pass `cursors.after` as `after` for the next page while `hasNext`. */
export interface Page<T> {
  data: T[];
  cursors: { before: string | null; after: string | null };
  hasNext: boolean;
  hasPrevious: boolean;
}

export interface PageInput {
  /** Default 25, at most 100. */
  limit?: number;
  after?: string;
  before?: string;
}

const mediaPage = pageSchema(mediaSchema);

function toPage(res: z.output<typeof mediaPage>): Page<ThreadsMedia> {
  return {
    data: res.data,
    cursors: { before: res.paging?.cursors?.before ?? null, after: res.paging?.cursors?.after ?? null },
    hasNext: res.paging?.next !== undefined,
    hasPrevious: res.paging?.previous !== undefined,
  };
}

const unixSeconds = (d: Date | undefined) => (d ? Math.floor(d.getTime() / 1000) : undefined);

export function createReadingCalls(http: ThreadsHttp) {
  const listMedia = (
    endpoint: 'user_threads' | 'replies' | 'conversation',
    path: string,
    accessToken: string,
    fields: readonly MediaField[],
    params: Record<string, string | number | boolean | undefined>,
  ) =>
    http({
      endpoint,
      method: 'GET',
      path,
      accessToken,
      params: { fields: fields.join(','), ...params },
      schema: mediaPage,
    }).then(toPage);

  return {
    /** GET /me: the token's own profile (no follower count here; see getUserInsights). */
    getMe(input: { accessToken: string; fields?: readonly ProfileField[] }): Promise<ThreadsProfile> {
      return http({
        endpoint: 'me',
        method: 'GET',
        path: '/me',
        accessToken: input.accessToken,
        params: { fields: (input.fields ?? DEFAULT_PROFILE_FIELDS).join(',') },
        schema: profileSchema,
      });
    },

    /** GET /{media-id}: a post or reply with the chosen fields (keys keep Meta's names). */
    getPost(input: { mediaId: string; accessToken: string; fields?: readonly MediaField[] }): Promise<ThreadsMedia> {
      return http({
        endpoint: 'media',
        method: 'GET',
        path: `/${seg(input.mediaId)}`,
        accessToken: input.accessToken,
        params: { fields: (input.fields ?? DEFAULT_POST_FIELDS).join(',') },
        schema: mediaSchema,
      });
    },

    /** GET /{user-id}/threads, newest first, one page at a time. */
    listUserThreads(
      input: PageInput & {
        userId: string;
        accessToken: string;
        fields?: readonly MediaField[];
        since?: Date;
        until?: Date;
      },
    ): Promise<Page<ThreadsMedia>> {
      return listMedia(
        'user_threads',
        `/${seg(input.userId)}/threads`,
        input.accessToken,
        input.fields ?? DEFAULT_POST_FIELDS,
        {
          limit: input.limit,
          after: input.after,
          before: input.before,
          since: unixSeconds(input.since),
          until: unixSeconds(input.until),
        },
      );
    },

    /** GET /{media-id}/replies: top-level replies only; `reverse` (default true) lists newest first. */
    listReplies(
      input: PageInput & { mediaId: string; accessToken: string; fields?: readonly MediaField[]; reverse?: boolean },
    ): Promise<Page<ThreadsMedia>> {
      return listMedia(
        'replies',
        `/${seg(input.mediaId)}/replies`,
        input.accessToken,
        input.fields ?? DEFAULT_REPLY_FIELDS,
        {
          limit: input.limit,
          after: input.after,
          before: input.before,
          reverse: input.reverse,
        },
      );
    },

    /** GET /{media-id}/conversation: replies at every depth, flattened. */
    getConversation(
      input: PageInput & { mediaId: string; accessToken: string; fields?: readonly MediaField[]; reverse?: boolean },
    ): Promise<Page<ThreadsMedia>> {
      return listMedia(
        'conversation',
        `/${seg(input.mediaId)}/conversation`,
        input.accessToken,
        input.fields ?? DEFAULT_REPLY_FIELDS,
        {
          limit: input.limit,
          after: input.after,
          before: input.before,
          reverse: input.reverse,
        },
      );
    },

    /** POST /{reply-id}/manage_reply: hide or unhide a top-level reply to one of the user's posts. */
    async manageReply(input: { replyId: string; accessToken: string; hide: boolean }): Promise<void> {
      await http({
        endpoint: 'manage_reply',
        method: 'POST',
        path: `/${seg(input.replyId)}/manage_reply`,
        accessToken: input.accessToken,
        params: { hide: input.hide ? 'true' : 'false' },
        schema: successSchema,
      });
    },
  };
}
