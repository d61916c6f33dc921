/**
 * Bounded names for every Threads call: the `endpoint` label of threads_api_requests_total,
 * the span name, and the simulator's fault-injection key. Never an id or a URL.
 */
export const THREADS_ENDPOINTS = [
  'oauth_access_token',
  'access_token',
  'refresh_access_token',
  'debug_token',
  'me',
  'create_container',
  'container_status',
  'threads_publish',
  'publishing_limit',
  'media',
  'user_threads',
  'media_insights',
  'user_insights',
  'replies',
  'conversation',
  'manage_reply',
] as const;

export type ThreadsEndpoint = (typeof THREADS_ENDPOINTS)[number];

/** The three token endpoints: any OAuthException there means the credentials are at fault. */
export const TOKEN_ENDPOINTS: ReadonlySet<ThreadsEndpoint> = new Set([
  'oauth_access_token',
  'access_token',
  'refresh_access_token',
]);
