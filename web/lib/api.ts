/** One field's complaint from the API's 400 answer (`error.details`). */
export interface FieldIssue {
  path: string;
  message: string;
}

/**
 * Each issue's message under its path and every prefix of it ("autopilot.posts_per_day" and "autopilot"),
 * the first message winning, so a form shows it at the most precise field it has; "_" for no path.
 */
export function errorsByPath(issues: readonly { path: readonly PropertyKey[]; message: string }[]) {
  const out: Record<string, string> = {};
  for (const { path, message } of issues) {
    if (path.length === 0) out._ ??= message;
    for (let depth = 1; depth <= path.length; depth++) out[path.slice(0, depth).map(String).join('.')] ??= message;
  }
  return out;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldIssue[] = [],
  ) {
    super(message);
  }

  /** Messages keyed by the field they are about, for showing next to that field. */
  fieldErrors(): Record<string, string> {
    return errorsByPath(this.details.map((issue) => ({ path: issue.path.split('.'), message: issue.message })));
  }
}

export type Api = <T>(path: string, init?: { method?: string; body?: unknown; signal?: AbortSignal }) => Promise<T>;

async function toError(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => null)) as {
    error?: { code?: string; message?: string; details?: unknown };
  } | null;
  const details = Array.isArray(body?.error?.details) ? (body.error.details as FieldIssue[]) : [];
  return new ApiError(
    response.status,
    body?.error?.code ?? 'http_error',
    body?.error?.message ?? `the server answered ${response.status} ${response.statusText}`,
    details,
  );
}

/** fetch against this origin with the bearer token; an error answer becomes an ApiError with the API's message. */
export function createApi(token: string, onUnauthorized: (message: string) => void): Api {
  return async function api<T>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}) {
    let response: Response;
    try {
      response = await fetch(path, {
        method: init.method ?? 'GET',
        signal: init.signal,
        headers: {
          authorization: `Bearer ${token}`,
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw new ApiError(0, 'network', 'the API did not answer: is the server running?');
    }
    if (response.status === 401) {
      const error = await toError(response);
      onUnauthorized(error.message);
      throw error;
    }
    if (!response.ok) throw await toError(response);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  };
}

/** Checks a token before keeping it: any authenticated read will do. */
export async function checkToken(token: string): Promise<string | null> {
  try {
    const response = await fetch('/v1/personas?limit=1', { headers: { authorization: `Bearer ${token}` } });
    if (response.ok) return null;
    return (await toError(response)).message;
  } catch {
    return 'the API did not answer: is the server running?';
  }
}

/** Follows a cursor-paged list to its end (for the persona pickers: a few hundred rows at most). */
export async function listAll<T>(api: Api, path: string): Promise<T[]> {
  const rows: T[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page: { data: T[]; next_cursor: string | null } = await api(
      `${path}${sep}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    rows.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor);
  return rows;
}
