export { createThreadsClient, type ThreadsClient, type ThreadsClientOptions } from './threads-client.ts';
export {
  THREADS_SCOPES,
  parseAuthorizeRedirect,
  type AuthorizeRedirect,
  type AuthorizeUrlInput,
  type LongLivedToken,
  type ShortLivedToken,
  type ThreadsScope,
  type TokenInfo,
} from './threads-auth.ts';
export {
  REPLY_CONTROLS,
  type ContainerState,
  type CreateContainerInput,
  type CreatedContainer,
  type PublishingLimit,
  type ReplyControl,
} from './threads-publishing.ts';
export {
  DEFAULT_POST_FIELDS,
  DEFAULT_PROFILE_FIELDS,
  DEFAULT_REPLY_FIELDS,
  type MediaField,
  type Page,
  type PageInput,
  type ProfileField,
} from './threads-reading.ts';
export {
  MEDIA_METRICS,
  USER_METRICS,
  type MediaInsights,
  type MediaMetric,
  type UserInsightValues,
  type UserMetric,
} from './threads-insights.ts';
export {
  THREADS_ERROR_KINDS,
  ThreadsApiError,
  classifyThreadsError,
  type ThreadsErrorKind,
} from './threads-errors.ts';
export { THREADS_ENDPOINTS, type ThreadsEndpoint } from './threads-endpoints.ts';
export {
  CONTAINER_STATUSES,
  type ContainerStatus,
  type HideStatus,
  type ThreadsMedia,
  type ThreadsProfile,
} from './threads-schemas.ts';
export { parseThreadsTimestamp } from './threads-time.ts';
export { META_GRAPH_URL } from './threads-http.ts';
