import { TOKEN_ENDPOINTS, type ThreadsEndpoint } from './threads-endpoints.ts';

/**
 * What a caller should do about a failed call:
 * - transient: retry with backoff (codes 1, 2, is_transient, HTTP 5xx, network errors, timeouts)
 * - throttled: back off for longer; the rate or the publishing quota is used up (4, 9, 17, 32, 613)
 * - auth: the token or app credentials are invalid or expired; re-authorize or refresh (190)
 * - bad_content: the post itself is rejected (500 characters, more than 5 links); do not retry as is
 * - not_ready: the container is still processing; publish again a little later (24 / 4279009)
 * - permission: a scope is missing or the object is not this user's (10, 200–299)
 * - unknown: anything else, including a response the client could not understand
 */
export const THREADS_ERROR_KINDS = [
  'transient',
  'throttled',
  'auth',
  'bad_content',
  'not_ready',
  'permission',
  'unknown',
] as const;

export type ThreadsErrorKind = (typeof THREADS_ERROR_KINDS)[number];

export interface ThreadsErrorDetails {
  endpoint: ThreadsEndpoint;
  /** HTTP status; null when no response arrived (network error, timeout). */
  status: number | null;
  code: number | null;
  subcode: number | null;
  /** `THApiException`, `OAuthException`, ...; null when Meta gave none. */
  type: string | null;
  message: string;
  userTitle: string | null;
  userMessage: string | null;
  fbtraceId: string | null;
  isTransient: boolean;
  /** The response body as parsed (or its text when it was not JSON), secrets removed: store it with the attempt. */
  body: unknown;
}

const THROTTLE_CODES = new Set([4, 9, 17, 32, 613]);
// Instagram's content-publishing "maximum posts in 24 h" subcode; the simulator uses it for the Threads quota.
const QUOTA_SUBCODE = 2207042;
const TRANSIENT_CODES = new Set([1, 2]);
const LINK_LIMIT = /LINK_LIMIT_EXCEEDED/i;

export class ThreadsApiError extends Error {
  override readonly name = 'ThreadsApiError';
  readonly kind: ThreadsErrorKind;
  readonly endpoint: ThreadsEndpoint;
  readonly status: number | null;
  readonly code: number | null;
  readonly subcode: number | null;
  readonly type: string | null;
  readonly userTitle: string | null;
  readonly userMessage: string | null;
  readonly fbtraceId: string | null;
  readonly isTransient: boolean;
  readonly body: unknown;

  constructor(details: ThreadsErrorDetails, kind: ThreadsErrorKind = classifyThreadsError(details)) {
    super(details.message);
    this.kind = kind;
    this.endpoint = details.endpoint;
    this.status = details.status;
    this.code = details.code;
    this.subcode = details.subcode;
    this.type = details.type;
    this.userTitle = details.userTitle;
    this.userMessage = details.userMessage;
    this.fbtraceId = details.fbtraceId;
    this.isTransient = details.isTransient;
    this.body = details.body;
  }

  /** Worth trying again later, unchanged. */
  get retryable(): boolean {
    return this.kind === 'transient' || this.kind === 'throttled' || this.kind === 'not_ready';
  }

  /** A plain record for logs and for publish_attempts.error_body; holds no token. */
  toJSON() {
    return {
      name: this.name,
      kind: this.kind,
      endpoint: this.endpoint,
      status: this.status,
      code: this.code,
      subcode: this.subcode,
      type: this.type,
      message: this.message,
      userTitle: this.userTitle,
      userMessage: this.userMessage,
      fbtraceId: this.fbtraceId,
      isTransient: this.isTransient,
      body: this.body,
    };
  }
}

type Classifiable = Pick<
  ThreadsErrorDetails,
  'endpoint' | 'status' | 'code' | 'subcode' | 'type' | 'message' | 'userMessage' | 'isTransient'
>;

/** Order matters: HTTP 500 with code 10 is a permission problem, not an outage; a throttle error may say is_transient. */
export function classifyThreadsError(e: Classifiable): ThreadsErrorKind {
  const { code, status } = e;
  if (code === 24 && e.subcode === 4279009) return 'not_ready';
  if ((code !== null && THROTTLE_CODES.has(code)) || e.subcode === QUOTA_SUBCODE || status === 429) return 'throttled';
  if (code === 10 || (code !== null && code >= 200 && code <= 299)) return 'permission';
  if (code === 190) return 'auth';
  // On the token endpoints an OAuthException means bad credentials ("Error validating client secret" is
  // code 1 there), unless Meta flags it as a passing fault.
  const passing = e.isTransient || code === 2;
  if (TOKEN_ENDPOINTS.has(e.endpoint) && e.type === 'OAuthException' && !passing) return 'auth';
  if ((code !== null && TRANSIENT_CODES.has(code)) || passing) return 'transient';
  if (LINK_LIMIT.test(e.message) || LINK_LIMIT.test(e.userMessage ?? '')) return 'bad_content';
  if (code === 100 && e.endpoint === 'create_container') return 'bad_content';
  if (status === null || status >= 500) return 'transient';
  return 'unknown';
}

/** Replaces every secret sent with the request (token, client secret, code) wherever it is echoed back. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 6) continue;
    // Also the URL-encoded form, as echoed in paging URLs.
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join('[redacted]');
  }
  return out;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads Meta's two error shapes: the Graph envelope `{"error":{message,type,code,error_subcode,...}}`
 * and the flat one of POST /oauth/access_token `{"error_type","code","error_message"}`.
 * Anything else (an HTML 502 page, an empty body) keeps its text as the body.
 */
export function threadsErrorFromResponse(endpoint: ThreadsEndpoint, status: number, body: unknown): ThreadsApiError {
  const base = { endpoint, status, body, userTitle: null, userMessage: null, fbtraceId: null, isTransient: false };
  if (isRecord(body) && isRecord(body.error)) {
    const e = body.error;
    return new ThreadsApiError({
      ...base,
      code: num(e.code),
      subcode: num(e.error_subcode),
      type: str(e.type),
      message: str(e.message) ?? `HTTP ${status}`,
      userTitle: str(e.error_user_title),
      userMessage: str(e.error_user_msg),
      fbtraceId: str(e.fbtrace_id),
      isTransient: e.is_transient === true,
    });
  }
  if (isRecord(body) && (typeof body.error_message === 'string' || typeof body.error_type === 'string')) {
    return new ThreadsApiError({
      ...base,
      code: num(body.code),
      subcode: null,
      type: str(body.error_type),
      message: str(body.error_message) ?? `HTTP ${status}`,
    });
  }
  return new ThreadsApiError({
    ...base,
    code: null,
    subcode: null,
    type: null,
    message: `HTTP ${status} without a Graph error object`,
  });
}

/** No response at all: connection refused or reset, DNS, or the client's own timeout. */
export function threadsNetworkError(
  endpoint: ThreadsEndpoint,
  cause: unknown,
  timeoutMs: number,
  secrets: readonly string[],
) {
  const timedOut = cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError');
  const reason =
    cause instanceof Error ? (cause.cause instanceof Error ? cause.cause.message : cause.message) : String(cause);
  return new ThreadsApiError(
    {
      endpoint,
      status: null,
      code: null,
      subcode: null,
      type: null,
      message: timedOut ? `no answer within ${timeoutMs} ms` : `network error: ${scrubSecrets(reason, secrets)}`,
      userTitle: null,
      userMessage: null,
      fbtraceId: null,
      isTransient: true,
      body: null,
    },
    'transient',
  );
}

/** A 2xx whose body is not what the Graph API documents: treated as unknown, never retried blindly. */
export function threadsUnexpectedResponse(endpoint: ThreadsEndpoint, status: number, body: unknown, problem: string) {
  return new ThreadsApiError(
    {
      endpoint,
      status,
      code: null,
      subcode: null,
      type: null,
      message: `unexpected response: ${problem}`,
      userTitle: null,
      userMessage: null,
      fbtraceId: null,
      isTransient: false,
      body,
    },
    'unknown',
  );
}
