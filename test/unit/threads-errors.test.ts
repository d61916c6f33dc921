import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { quoteUnsafeIntegers } from '../../src/platform/threads/lossless-json.ts';
import {
  ThreadsApiError,
  classifyThreadsError,
  createThreadsClient,
  type ThreadsEndpoint,
  type ThreadsErrorKind,
} from '../../src/platform/threads/index.ts';

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, '../fixtures/threads', name), 'utf8');

/** A client whose every call gets this status and body, recording what it was asked. */
function clientAnswering(
  status: number,
  body: string,
  headers: Record<string, string> = { 'content-type': 'application/json' },
) {
  const seen: { url: string; init: RequestInit }[] = [];
  const metrics: [ThreadsEndpoint, number][] = [];
  const client = createThreadsClient({
    baseUrl: 'https://graph.example.test',
    fetch: async (url, init) => {
      seen.push({ url: String(url), init: init ?? {} });
      return new Response(body, { status, headers });
    },
    onRequest: (endpoint, code) => metrics.push([endpoint, code]),
  });
  return { client, seen, metrics };
}

async function failure(promise: Promise<unknown>): Promise<ThreadsApiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ThreadsApiError);
  return error as ThreadsApiError;
}

const TOKEN = 'THAAtestTokenValue0123456789';

describe('Meta error bodies map to typed errors', () => {
  const cases: {
    file: string;
    status: number;
    call: (c: ReturnType<typeof createThreadsClient>) => Promise<unknown>;
    kind: ThreadsErrorKind;
    code: number;
    subcode?: number;
  }[] = [
    {
      file: 'permission-http-500.body.json',
      status: 500,
      call: (c) => c.createContainer({ userId: 'me', accessToken: TOKEN, text: 'hi' }),
      kind: 'permission',
      code: 10,
    },
    {
      file: 'text-too-long.body.json',
      status: 400,
      call: (c) => c.createContainer({ userId: 'me', accessToken: TOKEN, text: 'x'.repeat(501) }),
      kind: 'bad_content',
      code: 100,
    },
    {
      file: 'container-not-ready.body.json',
      status: 400,
      call: (c) => c.publishContainer({ userId: 'me', accessToken: TOKEN, containerId: '17889615691921648' }),
      kind: 'not_ready',
      code: 24,
      subcode: 4279009,
    },
    {
      file: 'token-expired.body.json',
      status: 400,
      call: (c) => c.getMe({ accessToken: TOKEN }),
      kind: 'auth',
      code: 190,
      subcode: 463,
    },
    {
      file: 'transient.body.json',
      status: 500,
      call: (c) => c.refreshLongLivedToken({ accessToken: TOKEN }),
      kind: 'transient',
      code: 2,
    },
    {
      file: 'throttled.body.json',
      status: 400,
      call: (c) => c.getMediaInsights({ mediaId: '1', accessToken: TOKEN }),
      kind: 'throttled',
      code: 4,
    },
    {
      file: 'object-not-found.body.json',
      status: 400,
      call: (c) => c.getPost({ mediaId: '17889615691921648', accessToken: TOKEN }),
      kind: 'unknown',
      code: 100,
      subcode: 33,
    },
    {
      file: 'client-secret-invalid.body.json',
      status: 400,
      call: (c) => c.exchangeForLongLivedToken({ clientSecret: 'app-secret-value', accessToken: TOKEN }),
      kind: 'auth',
      code: 1,
    },
    {
      file: 'oauth-flat-error.body.json',
      status: 400,
      call: (c) =>
        c.exchangeCode({
          clientId: '1',
          clientSecret: 'app-secret-value',
          code: 'AQBcode',
          redirectUri: 'https://x.test/cb',
        }),
      kind: 'auth',
      code: 400,
    },
  ];

  for (const c of cases) {
    it(`${c.file} (HTTP ${c.status}) is ${c.kind}`, async () => {
      const body = fixture(c.file);
      const { client } = clientAnswering(c.status, body);
      const error = await failure(c.call(client));
      const raw = JSON.parse(body);
      expect(error.kind).toBe(c.kind);
      expect(error.status).toBe(c.status);
      expect(error.code).toBe(c.code);
      expect(error.subcode).toBe(c.subcode ?? null);
      expect(error.message).toBe(raw.error?.message ?? raw.error_message);
      expect(error.fbtraceId).toBe(raw.error?.fbtrace_id ?? null);
      expect(error.body).toEqual(raw);
    });
  }

  it('reads the flat OAuth shape: error_type and error_message', async () => {
    const { client } = clientAnswering(400, fixture('oauth-flat-error.body.json'));
    const error = await failure(
      client.exchangeCode({
        clientId: '1',
        clientSecret: 'app-secret-value',
        code: 'AQBcode',
        redirectUri: 'https://x.test/cb',
      }),
    );
    expect(error.type).toBe('OAuthException');
    expect(error.endpoint).toBe('oauth_access_token');
    expect(error.message).toBe('Matching code was not found or was already used');
  });
});

describe('the OAuth user_id above 2^53', () => {
  it('keeps every digit of the bare JSON number', async () => {
    const body = fixture('oauth-access-token.body.json');
    expect(String(JSON.parse(body).user_id)).toBe('17841405793187220');
    const { client, seen } = clientAnswering(200, body);
    const token = await client.exchangeCode({
      clientId: '123',
      clientSecret: 'app-secret-value',
      code: 'AQBx#_',
      redirectUri: 'https://x.test/cb',
    });
    expect(token).toEqual({ accessToken: 'THQVJQzNmRkdLbXlVeWFBa3R3Zz09', userId: '17841405793187219' });
    const sent = new URLSearchParams(String(seen[0]!.init.body));
    expect(seen[0]!.url).toBe('https://graph.example.test/oauth/access_token');
    expect(Object.fromEntries(sent)).toMatchObject({
      code: 'AQBx',
      grant_type: 'authorization_code',
      redirect_uri: 'https://x.test/cb',
    });
  });

  it('quotes only unsafe integer literals outside strings', () => {
    const text =
      '{"a":17841405793187218,"b":"17841405793187218x 99999999999999999","c":12,"d":-90071992547409931,"e":1.5e300,"f":[9007199254740993]}';
    expect(JSON.parse(quoteUnsafeIntegers(text))).toEqual({
      a: '17841405793187218',
      b: '17841405793187218x 99999999999999999',
      c: 12,
      d: '-90071992547409931',
      e: 1.5e300,
      f: ['9007199254740993'],
    });
    expect(quoteUnsafeIntegers('{"s":"a \\" 99999999999999999"}')).toBe('{"s":"a \\" 99999999999999999"}');
  });
});

describe('secrets never reach an error', () => {
  it('scrubs the token and client secret echoed in a body, raw or URL-encoded', async () => {
    const secret = 'app-secret/value+1';
    const echo = JSON.stringify({
      error: {
        message: `bad token ${TOKEN} for secret ${secret} (${encodeURIComponent(secret)})`,
        type: 'OAuthException',
        code: 190,
      },
    });
    const { client } = clientAnswering(400, echo);
    const error = await failure(client.exchangeForLongLivedToken({ clientSecret: secret, accessToken: TOKEN }));
    const all = `${error.message} ${JSON.stringify(error)} ${error.stack}`;
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain(secret);
    expect(all).not.toContain(encodeURIComponent(secret));
    expect(error.message).toContain('[redacted]');
  });

  it('sends the token as a form field on POST and a query parameter on GET, never in the path', async () => {
    const { client, seen } = clientAnswering(200, '{"id":"17889615691921648"}');
    await client.publishContainer({
      userId: '17841405793187218',
      accessToken: TOKEN,
      containerId: '17889615691921648',
    });
    expect(seen[0]!.url).toBe('https://graph.example.test/v1.0/17841405793187218/threads_publish');
    expect(new URLSearchParams(String(seen[0]!.init.body)).get('access_token')).toBe(TOKEN);
    const get = clientAnswering(200, '{"id":"17841405793187218"}');
    await get.client.getMe({ accessToken: TOKEN });
    expect(new URL(get.seen[0]!.url).searchParams.get('access_token')).toBe(TOKEN);
  });
});

describe('failures without a Graph error object', () => {
  it('an HTML 502 from a proxy is transient and keeps the page as the body', async () => {
    const { client, metrics } = clientAnswering(502, '<html>Bad Gateway</html>', { 'content-type': 'text/html' });
    const error = await failure(client.getMe({ accessToken: TOKEN }));
    expect(error.kind).toBe('transient');
    expect(error.body).toBe('<html>Bad Gateway</html>');
    expect(metrics).toEqual([['me', 502]]);
  });

  it('a refused connection is transient with no status; the metric hook sees status 0', async () => {
    const metrics: [string, number][] = [];
    const client = createThreadsClient({
      baseUrl: 'http://127.0.0.1:9',
      onRequest: (e, s) => metrics.push([e, s]),
      timeoutMs: 2000,
    });
    const error = await failure(client.getPublishingLimit({ userId: 'me', accessToken: TOKEN }));
    expect(error.kind).toBe('transient');
    expect(error.status).toBeNull();
    expect(error.retryable).toBe(true);
    expect(error.message).not.toContain(TOKEN);
    expect(metrics).toEqual([['publishing_limit', 0]]);
  });

  it('a 200 with an undocumented shape is unknown, not a silent success', async () => {
    const { client } = clientAnswering(200, '{"data":[{"quota_usage":"lots"}]}');
    const error = await failure(client.getPublishingLimit({ userId: 'me', accessToken: TOKEN }));
    expect(error.kind).toBe('unknown');
    expect(error.message).toMatch(/^unexpected response: data\.0\./);
  });
});

describe('classifyThreadsError precedence', () => {
  const base = {
    status: 400,
    subcode: null,
    type: 'THApiException',
    message: 'x',
    userMessage: null,
    isTransient: false,
  } as const;
  const kind = (over: Partial<Parameters<typeof classifyThreadsError>[0]>) =>
    classifyThreadsError({ ...base, endpoint: 'media', code: null, ...over });

  it.each([
    [{ code: 17 }, 'throttled'],
    [{ code: 32 }, 'throttled'],
    [{ code: 613 }, 'throttled'],
    [{ code: 9, subcode: 2207042 }, 'throttled'],
    [{ code: 4, isTransient: true }, 'throttled'],
    [{ code: 1 }, 'transient'],
    [{ code: null, status: 503 }, 'transient'],
    [{ code: 250 }, 'permission'],
    [{ code: 10, status: 500 }, 'permission'],
    [{ code: 190, endpoint: 'threads_publish' }, 'auth'],
    [{ code: 100, endpoint: 'oauth_access_token', type: 'OAuthException' }, 'auth'],
    [{ code: 2, endpoint: 'refresh_access_token', type: 'OAuthException', isTransient: true }, 'transient'],
    [{ code: 100, endpoint: 'create_container' }, 'bad_content'],
    [{ code: 100, endpoint: 'media' }, 'unknown'],
    [{ code: 100, endpoint: 'threads_publish', message: 'THREADS_API__LINK_LIMIT_EXCEEDED' }, 'bad_content'],
    [{ code: 24, subcode: 4279009, type: 'OAuthException', endpoint: 'threads_publish' }, 'not_ready'],
  ] as const)('%o → %s', (over, expected) => {
    expect(kind(over as Partial<Parameters<typeof classifyThreadsError>[0]>)).toBe(expected);
  });
});
