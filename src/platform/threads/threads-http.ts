import type { z } from 'zod';
import { inThreadsSpan } from '../observability/index.ts';
import { parseJsonLossless } from './lossless-json.ts';
import type { ThreadsEndpoint } from './threads-endpoints.ts';
import {
  scrubSecrets,
  threadsErrorFromResponse,
  threadsNetworkError,
  threadsUnexpectedResponse,
} from './threads-errors.ts';

export const META_GRAPH_URL = 'https://graph.threads.net';

export interface ThreadsHttpOptions {
  /** https://graph.threads.net, or the simulator's address. */
  baseUrl?: string;
  apiVersion?: string;
  fetch?: typeof fetch;
  /** Called once per call with its bounded endpoint name and the HTTP status (0: no response). */
  onRequest?: (endpoint: ThreadsEndpoint, statusCode: number) => void;
  timeoutMs?: number;
}

type ParamValue = string | number | boolean | undefined | null;

export interface ThreadsCall<T extends z.ZodType> {
  endpoint: ThreadsEndpoint;
  method: 'GET' | 'POST';
  /** Path below the base URL; `versioned: false` for the token endpoints, which have no version segment. */
  path: string;
  versioned?: boolean;
  accessToken?: string;
  params?: Record<string, ParamValue>;
  /** Values besides the token that must never reach an error message (client secret, code). */
  secrets?: readonly string[];
  schema: T;
}

export type ThreadsHttp = <T extends z.ZodType>(call: ThreadsCall<T>) => Promise<z.output<T>>;

/** Path segment for an id; `me` passes through. */
export const seg = (id: string) => encodeURIComponent(id);

/**
 * One Graph API call: the token goes as the `access_token` query parameter (GET) or form field (POST),
 * never in a header the logs might show; the answer is parsed without losing big integers and checked
 * against `schema`; any failure becomes a ThreadsApiError with the secrets scrubbed out.
 */
export function createThreadsHttp(options: ThreadsHttpOptions = {}): ThreadsHttp {
  const baseUrl = (options.baseUrl ?? META_GRAPH_URL).replace(/\/+$/, '');
  const version = options.apiVersion ?? 'v1.0';
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;

  return async function call<T extends z.ZodType>(c: ThreadsCall<T>): Promise<z.output<T>> {
    const secrets = [c.accessToken ?? '', ...(c.secrets ?? [])].filter(Boolean);
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(c.params ?? {})) {
      if (value !== undefined && value !== null) params.set(key, String(value));
    }
    if (c.accessToken) params.set('access_token', c.accessToken);
    const url = new URL(`${baseUrl}${c.versioned === false ? '' : `/${version}`}${c.path}`);
    const init: RequestInit = {
      method: c.method,
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'application/json' },
    };
    if (c.method === 'GET') url.search = params.toString();
    else init.body = params;

    return inThreadsSpan(c.endpoint, async () => {
      let status: number;
      let text: string;
      try {
        const response = await doFetch(url, init);
        status = response.status;
        text = await response.text();
      } catch (error) {
        options.onRequest?.(c.endpoint, 0);
        throw threadsNetworkError(c.endpoint, error, timeoutMs, secrets);
      }
      options.onRequest?.(c.endpoint, status);

      const clean = scrubSecrets(text, secrets);
      let body: unknown = clean;
      try {
        body = clean.trim() === '' ? null : parseJsonLossless(clean);
      } catch {
        // Not JSON (a proxy's HTML error page): the text itself is kept as the body.
      }
      const isError = status < 200 || status >= 300 || (typeof body === 'object' && body !== null && 'error' in body);
      if (isError) throw threadsErrorFromResponse(c.endpoint, status, body);

      const parsed = c.schema.safeParse(body);
      if (!parsed.success) {
        const problem = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
        throw threadsUnexpectedResponse(c.endpoint, status, body, problem);
      }
      return parsed.data;
    });
  };
}
