import { createAuthCalls, META_AUTHORIZE_URL } from './threads-auth.ts';
import { createThreadsHttp, META_GRAPH_URL, type ThreadsHttpOptions } from './threads-http.ts';
import { createInsightsCalls } from './threads-insights.ts';
import { createPublishingCalls } from './threads-publishing.ts';
import { createReadingCalls } from './threads-reading.ts';

export interface ThreadsClientOptions extends ThreadsHttpOptions {
  /**
   * The consent screen. Default: Meta's (https://threads.net/oauth/authorize) when baseUrl is Meta's,
   * otherwise `${baseUrl}/oauth/authorize` (the simulator serves it beside the Graph paths).
   */
  authorizeUrl?: string;
}

/**
 * The Threads Graph API, stateless: every call takes the access token it should use, so a token
 * vault can hand each account's token per call. Every failure is a ThreadsApiError with a `kind`.
 *
 * - OAuth: buildAuthorizeUrl, exchangeCode, exchangeForLongLivedToken, refreshLongLivedToken, debugToken
 * - Publishing: createContainer → (getContainerStatus) → publishContainer; getPublishingLimit
 * - Reading: getMe, getPost, listUserThreads, listReplies, getConversation, manageReply
 * - Insights: getMediaInsights, getUserInsights (incl. followers_count)
 */
export function createThreadsClient(options: ThreadsClientOptions = {}) {
  const baseUrl = (options.baseUrl ?? META_GRAPH_URL).replace(/\/+$/, '');
  const authorizeUrl =
    options.authorizeUrl ?? (baseUrl === META_GRAPH_URL ? META_AUTHORIZE_URL : `${baseUrl}/oauth/authorize`);
  const http = createThreadsHttp({ ...options, baseUrl });
  return {
    ...createAuthCalls(http, authorizeUrl),
    ...createPublishingCalls(http),
    ...createReadingCalls(http),
    ...createInsightsCalls(http),
  };
}

export type ThreadsClient = ReturnType<typeof createThreadsClient>;
