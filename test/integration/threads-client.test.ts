import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock, startThreadsSimulator, type RunningSimulator } from '../../src/sim/index.ts';
import {
  ThreadsApiError,
  createThreadsClient,
  parseAuthorizeRedirect,
  parseThreadsTimestamp,
  type ThreadsClient,
  type ThreadsEndpoint,
  type Page,
  type ThreadsMedia,
} from '../../src/platform/threads/index.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const APP = {
  clientId: '990011223344',
  clientSecret: 'sim-app-secret-value',
  redirectUri: 'https://agent.example.test/oauth/callback',
};
const READY_MS = 30_000;

const clock = createManualClock();
let sim: RunningSimulator;
let client: ThreadsClient;
const calls: [ThreadsEndpoint, number][] = [];

interface Account {
  user_id: string;
  username: string;
  access_token: string;
}

async function admin<T = any>(path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST'): Promise<T> {
  const res = await fetch(`${sim.url}/__sim/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`admin ${path}: ${JSON.stringify(json)}`);
  return json as T;
}

const newAccount = (body: Record<string, unknown> = {}) => admin<Account>('users', body);
const advance = (ms: number) => admin('clock/advance', { ms });
const publishedPosts = async (userId: string) =>
  (await admin<{ users: { id: string; published_posts: number }[] }>('state')).users.find((u) => u.id === userId)!
    .published_posts;

async function failure(promise: Promise<unknown>): Promise<ThreadsApiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ThreadsApiError);
  return error as ThreadsApiError;
}

/** Every item of a paged list, following `after` cursors. */
async function collect(page: (after?: string) => Promise<Page<ThreadsMedia>>): Promise<ThreadsMedia[]> {
  const items: ThreadsMedia[] = [];
  let after: string | undefined;
  for (;;) {
    const p = await page(after);
    items.push(...p.data);
    if (!p.hasNext) return items;
    after = p.cursors.after!;
  }
}

async function publishNow(account: Account, text: string): Promise<string> {
  const created = await client.createContainer({
    userId: account.user_id,
    accessToken: account.access_token,
    text,
    autoPublishText: true,
  });
  return created.id;
}

const GOOD_POST = [
  '3 dunning emails that cut our churn from failed card payments by 40% in 60 days:',
  '',
  '1. Send the first one 3 days before the card expires.',
  '2. Link straight to the billing page.',
  '3. Follow up after 7 days with a plain-text note.',
  '',
  'Which one would you test first on your MRR?',
].join('\n');
const PROFILE = {
  niche: 'bootstrapped indie SaaS',
  topics: ['churn from failed card payments'],
  vocabulary: ['MRR', 'churn', 'dunning emails'],
};

beforeAll(async () => {
  sim = await startThreadsSimulator({
    seed: 20250106,
    appId: APP.clientId,
    appSecret: APP.clientSecret,
    clock,
    containerReadyMs: READY_MS,
    redirectUris: [APP.redirectUri],
    port: 0,
    host: '127.0.0.1',
  });
  client = createThreadsClient({
    baseUrl: sim.url,
    timeoutMs: 2_000,
    onRequest: (endpoint, status) => calls.push([endpoint, status]),
  });
});

afterAll(async () => {
  await sim?.close();
});

describe('OAuth and tokens', () => {
  async function authorize(username: string): Promise<string> {
    const url = client.buildAuthorizeUrl({
      clientId: APP.clientId,
      redirectUri: APP.redirectUri,
      scopes: ['threads_basic', 'threads_content_publish'],
      state: 'st-1',
    });
    const res = await fetch(`${url}&sim_username=${username}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/#_$/);
    const back = parseAuthorizeRedirect(location);
    if (!back.ok) throw new Error(back.error);
    expect(back.state).toBe('st-1');
    return back.code;
  }

  it('code → short-lived → long-lived → refresh only after 24 h → expired is an auth error', async () => {
    const code = await authorize('oauth_owner');
    const short = await client.exchangeCode({ ...APP, code });
    const me = await client.getMe({ accessToken: short.accessToken });
    expect(short.userId).toBe(me.id);
    expect(me.username).toBe('oauth_owner');

    const reused = await failure(client.exchangeCode({ ...APP, code }));
    expect(reused).toMatchObject({
      kind: 'auth',
      status: 400,
      endpoint: 'oauth_access_token',
      message: 'Matching code was not found or was already used',
    });

    const long = await client.exchangeForLongLivedToken({
      clientSecret: APP.clientSecret,
      accessToken: short.accessToken,
    });
    expect(long.tokenType).toBe('bearer');
    expect(long.expiresIn).toBe(60 * 24 * 3600);
    const info = await client.debugToken({ inputToken: long.accessToken, accessToken: long.accessToken });
    expect(info).toMatchObject({ isValid: true, userId: me.id, scopes: ['threads_basic', 'threads_content_publish'] });

    const tooEarly = await failure(client.refreshLongLivedToken({ accessToken: long.accessToken }));
    expect(tooEarly.kind).toBe('auth');
    expect(tooEarly.message).toMatch(/at least 24 hours old/);

    await advance(25 * HOUR);
    const shortExpired = await failure(client.getMe({ accessToken: short.accessToken }));
    expect(shortExpired).toMatchObject({ kind: 'auth', code: 190, subcode: 463 });

    const refreshed = await client.refreshLongLivedToken({ accessToken: long.accessToken });
    expect(refreshed.accessToken).not.toBe(long.accessToken);
    expect(refreshed.expiresIn).toBe(60 * 24 * 3600);

    // 60 days and 1 hour after the exchange: the first long-lived token is gone, the refreshed one is not.
    await advance(59 * DAY);
    const expired = await failure(client.getMe({ accessToken: long.accessToken }));
    expect(expired).toMatchObject({ kind: 'auth', code: 190, type: 'OAuthException' });
    expect(expired.message).not.toContain(long.accessToken);
    expect(JSON.stringify(expired)).not.toContain(long.accessToken);
    expect((await failure(client.refreshLongLivedToken({ accessToken: long.accessToken }))).kind).toBe('auth');
    expect((await client.getMe({ accessToken: refreshed.accessToken })).id).toBe(me.id);
  });

  it('rejects a wrong client secret and an unregistered redirect URI; a refusal comes back as an error', async () => {
    const code = await authorize('oauth_wrong_secret');
    const bad = await failure(client.exchangeCode({ ...APP, clientSecret: 'not-the-secret', code }));
    expect(bad).toMatchObject({ kind: 'auth', message: 'Error validating client secret.' });
    expect(bad.message).not.toContain('not-the-secret');
    const res = await fetch(
      `${sim.url}/oauth/authorize?client_id=${APP.clientId}&redirect_uri=https://evil.test/&scope=threads_basic&response_type=code`,
      { redirect: 'manual' },
    );
    expect(res.status).toBe(400);
    const url = client.buildAuthorizeUrl({
      clientId: APP.clientId,
      redirectUri: APP.redirectUri,
      scopes: ['threads_basic'],
      state: 'st-2',
    });
    const denied = parseAuthorizeRedirect(
      (await fetch(`${url}&sim_deny=1`, { redirect: 'manual' })).headers.get('location')!,
    );
    expect(denied).toMatchObject({ ok: false, error: 'access_denied', errorReason: 'user_denied', state: 'st-2' });
  });

  it('keeps a user_id above 2^53 exact when it arrives as a bare JSON number, as from Meta', async () => {
    const meta = await startThreadsSimulator({
      seed: 3,
      appId: APP.clientId,
      appSecret: APP.clientSecret,
      clock,
      numericOAuthUserId: true,
      port: 0,
      host: '127.0.0.1',
    });
    try {
      const c = createThreadsClient({ baseUrl: meta.url });
      const url = c.buildAuthorizeUrl({
        clientId: APP.clientId,
        redirectUri: APP.redirectUri,
        scopes: ['threads_basic'],
        state: 's',
      });
      const back = parseAuthorizeRedirect((await fetch(url, { redirect: 'manual' })).headers.get('location')!);
      if (!back.ok) throw new Error(back.error);
      const raw = await fetch(`${meta.url}/oauth/access_token`, {
        method: 'POST',
        body: new URLSearchParams({
          client_id: APP.clientId,
          client_secret: APP.clientSecret,
          code: back.code,
          grant_type: 'authorization_code',
          redirect_uri: APP.redirectUri,
        }),
      }).then((r) => r.text());
      const bare = /"user_id":(\d+)\}/.exec(raw)![1]!;
      expect(BigInt(bare) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);

      const again = parseAuthorizeRedirect((await fetch(url, { redirect: 'manual' })).headers.get('location')!);
      if (!again.ok) throw new Error(again.error);
      const token = await c.exchangeCode({ ...APP, code: again.code });
      expect(token.userId).toBe(bare);
      expect((await c.getMe({ accessToken: token.accessToken })).id).toBe(bare);
    } finally {
      await meta.close();
    }
  });
});

describe('publishing', () => {
  it('two steps: publishing before the container is ready is not_ready; after, it goes out exactly once', async () => {
    const account = await newAccount();
    const auth = { userId: account.user_id, accessToken: account.access_token };
    const container = await client.createContainer({
      ...auth,
      text: 'First post from the simulator.',
      replyControl: 'everyone',
      topicTag: 'Indie SaaS',
    });
    expect(container.published).toBe(false);
    expect(container.id).toMatch(/^\d{17}$/);
    expect(BigInt(container.id) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);

    const early = await failure(client.publishContainer({ ...auth, containerId: container.id }));
    expect(early).toMatchObject({ kind: 'not_ready', status: 400, code: 24, subcode: 4279009, retryable: true });
    expect(
      (await client.getContainerStatus({ containerId: container.id, accessToken: account.access_token })).status,
    ).toBe('IN_PROGRESS');

    await advance(READY_MS);
    expect(
      (await client.getContainerStatus({ containerId: container.id, accessToken: account.access_token })).status,
    ).toBe('FINISHED');
    const media = await client.publishContainer({ ...auth, containerId: container.id });
    expect(media.id).toMatch(/^\d{17}$/);
    expect(await client.getContainerStatus({ containerId: container.id, accessToken: account.access_token })).toEqual({
      id: container.id,
      status: 'PUBLISHED',
      errorMessage: null,
    });

    const again = await failure(client.publishContainer({ ...auth, containerId: container.id }));
    expect(again.kind).toBe('unknown');
    expect(await publishedPosts(account.user_id)).toBe(1);

    const post = await client.getPost({ mediaId: media.id, accessToken: account.access_token });
    expect(post).toMatchObject({
      id: media.id,
      media_product_type: 'THREADS',
      media_type: 'TEXT_POST',
      owner: { id: account.user_id },
      username: account.username,
      text: 'First post from the simulator.',
      is_reply: false,
      is_quote_post: false,
      topic_tag: 'Indie SaaS',
    });
    expect(post.permalink).toBe(`https://www.threads.net/@${account.username}/post/${post.shortcode}`);
    expect(post.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/);
    expect(parseThreadsTimestamp(post.timestamp!).getTime()).toBe(clock.now());
  });

  it('auto_publish_text publishes at once and returns the media id', async () => {
    const account = await newAccount();
    const created = await client.createContainer({
      userId: 'me',
      accessToken: account.access_token,
      text: 'Published in one step.',
      autoPublishText: true,
    });
    expect(created.published).toBe(true);
    expect((await client.getPost({ mediaId: created.id, accessToken: account.access_token })).text).toBe(
      'Published in one step.',
    );
    expect(await publishedPosts(account.user_id)).toBe(1);
  });

  it('expires a container not published within 24 hours', async () => {
    const account = await newAccount();
    const container = await client.createContainer({
      userId: 'me',
      accessToken: account.access_token,
      text: 'Too late.',
    });
    await advance(DAY + HOUR);
    expect(
      (await client.getContainerStatus({ containerId: container.id, accessToken: account.access_token })).status,
    ).toBe('EXPIRED');
    expect(
      (
        await failure(
          client.publishContainer({ userId: 'me', accessToken: account.access_token, containerId: container.id }),
        )
      ).retryable,
    ).toBe(false);
  });

  it("refuses 501 characters with Meta's exact reason, and accepts 500", async () => {
    const account = await newAccount();
    const auth = { userId: account.user_id, accessToken: account.access_token };
    const error = await failure(client.createContainer({ ...auth, text: 'é'.repeat(501) }));
    expect(error).toMatchObject({
      kind: 'bad_content',
      status: 400,
      code: 100,
      endpoint: 'create_container',
      message: 'Param text must be at most 500 characters long.',
    });
    expect(error.fbtraceId).toMatch(/^[A-Za-z0-9]{11}$/);
    expect(error.body).toMatchObject({
      error: { code: 100, message: 'Param text must be at most 500 characters long.' },
    });
    await expect(client.createContainer({ ...auth, text: 'é'.repeat(500) })).resolves.toMatchObject({
      published: false,
    });
  });

  it('refuses more than 5 links, counting link_attachment', async () => {
    const account = await newAccount();
    const auth = { userId: account.user_id, accessToken: account.access_token };
    const links = (n: number) => Array.from({ length: n }, (_, i) => `https://example.com/${i}`).join(' ');
    const six = await failure(client.createContainer({ ...auth, text: `Reading list: ${links(6)}` }));
    expect(six.kind).toBe('bad_content');
    expect(six.message).toMatch(/LINK_LIMIT_EXCEEDED/);
    const attached = await failure(
      client.createContainer({
        ...auth,
        text: `Reading list: ${links(5)}`,
        linkAttachment: 'https://example.org/more',
      }),
    );
    expect(attached.kind).toBe('bad_content');
    await expect(client.createContainer({ ...auth, text: `Reading list: ${links(5)}` })).resolves.toBeDefined();
  });

  it('a token without the scope gets a permission error', async () => {
    const account = await newAccount({ scopes: ['threads_basic'] });
    const error = await failure(
      client.createContainer({ userId: 'me', accessToken: account.access_token, text: 'Hello' }),
    );
    expect(error).toMatchObject({ kind: 'permission', code: 10, status: 403 });
    expect(error.message).toMatch(/threads_content_publish/);
    expect(
      (await failure(client.getUserInsights({ userId: 'me', accessToken: account.access_token, metrics: ['views'] })))
        .kind,
    ).toBe('permission');
    expect((await client.getMe({ accessToken: account.access_token })).id).toBe(account.user_id);
  });

  it('250 posts in 24 h exhaust the quota: the next is throttled, the limit shows it, and it rolls off', async () => {
    const account = await newAccount();
    const auth = { userId: account.user_id, accessToken: account.access_token };
    for (let i = 0; i < 250; i++) await publishNow(account, `Post number ${i}`);
    await advance(HOUR);
    const limit = await client.getPublishingLimit(auth);
    expect(limit).toEqual({
      quotaUsage: 250,
      quotaTotal: 250,
      quotaDurationSeconds: 86400,
      replyQuotaUsage: 0,
      replyQuotaTotal: 1000,
      replyQuotaDurationSeconds: 86400,
    });

    const over = await failure(publishNow(account, 'One too many'));
    expect(over.kind).toBe('throttled');
    const staged = await client.createContainer({ ...auth, text: 'Staged while over quota' });
    await advance(READY_MS);
    expect((await failure(client.publishContainer({ ...auth, containerId: staged.id }))).kind).toBe('throttled');
    expect(
      (await client.getContainerStatus({ containerId: staged.id, accessToken: account.access_token })).status,
    ).toBe('FINISHED');
    expect(await publishedPosts(account.user_id)).toBe(250);

    const first = (await client.listUserThreads({ ...auth, limit: 1 })).data[0]!;
    const reply = await client.createContainer({
      ...auth,
      text: 'Replies have their own quota.',
      replyToId: first.id,
      autoPublishText: true,
    });
    expect((await client.getPublishingLimit(auth)).replyQuotaUsage).toBe(1);
    expect(reply.published).toBe(true);

    // 24 h after the 250 posts, 23 h after the staged container: the posts roll off, the container is still valid.
    await advance(DAY - HOUR - READY_MS);
    expect((await client.getPublishingLimit(auth)).quotaUsage).toBe(0);
    await expect(client.publishContainer({ ...auth, containerId: staged.id })).resolves.toMatchObject({
      id: expect.stringMatching(/^\d+$/),
    });
    expect(await publishedPosts(account.user_id)).toBe(251);
  });
});

describe('reading, replies and insights', () => {
  let account: Account;
  let postId: string;

  beforeAll(async () => {
    account = await newAccount({ followers: 1_500, profile: PROFILE });
    postId = await publishNow(account, GOOD_POST);
  });

  it('insights start at zero and grow as the clock advances, never shrinking', async () => {
    const series = [];
    const auth = { mediaId: postId, accessToken: account.access_token };
    series.push(await client.getMediaInsights(auth));
    for (const step of [HOUR, 5 * HOUR, DAY, 6 * DAY]) {
      await advance(step);
      series.push(await client.getMediaInsights(auth));
    }
    expect(series[0]).toEqual({ views: 0, likes: 0, replies: 0, reposts: 0, quotes: 0, shares: 0 });
    expect(series[1]!.views).toBeGreaterThan(0);
    for (let i = 1; i < series.length; i++) {
      for (const k of ['views', 'likes', 'replies', 'reposts', 'quotes', 'shares'] as const)
        expect(series[i]![k]).toBeGreaterThanOrEqual(series[i - 1]![k]);
    }
    const last = series.at(-1)!;
    expect(last.views).toBeGreaterThan(2 * series[1]!.views);
    expect((last.likes + last.replies + last.reposts + last.quotes + last.shares) / last.views).toBeGreaterThan(0.04);
    expect(await client.getMediaInsights({ ...auth, metrics: ['views', 'likes'] })).toEqual({
      views: last.views,
      likes: last.likes,
    });
  });

  it('user insights: a daily views series, totals, and followers_count asked for without since/until', async () => {
    const before = calls.length;
    const now = clock.now();
    const insights = await client.getUserInsights({
      userId: account.user_id,
      accessToken: account.access_token,
      metrics: ['views', 'likes', 'replies', 'followers_count'],
      since: new Date(now - 10 * DAY),
      until: new Date(now),
    });
    expect(calls.slice(before)).toEqual([
      ['user_insights', 200],
      ['user_insights', 200],
    ]);
    const post = await client.getMediaInsights({ mediaId: postId, accessToken: account.access_token });
    expect(insights.views.total).toBe(post.views);
    expect(insights.views.daily.length).toBeGreaterThanOrEqual(10);
    for (const d of insights.views.daily) expect(d.end_time).toMatch(/T08:00:00\+0000$/);
    expect(insights.likes).toBe(post.likes);
    expect(insights.replies).toBe(post.replies);
    expect(insights.followers_count).toBeGreaterThan(1_500);

    const res = await fetch(
      `${sim.url}/v1.0/me/threads_insights?metric=followers_count&since=1736000000&access_token=${account.access_token}`,
    );
    expect(res.status).toBe(400);
  });

  it('pages through replies and the conversation with cursors; hides a reply', async () => {
    const auth = { mediaId: postId, accessToken: account.access_token };
    const { replies } = await client.getMediaInsights({ ...auth, metrics: ['replies'] });
    expect(replies).toBeGreaterThan(10);

    const pageSizes: number[] = [];
    const all = await collect(async (after) => {
      const page = await client.listReplies({ ...auth, limit: 7, after });
      pageSizes.push(page.data.length);
      return page;
    });
    expect(pageSizes.length).toBe(Math.ceil(replies / 7));
    expect(pageSizes.slice(0, -1).every((n) => n === 7)).toBe(true);
    expect(new Set(all.map((r) => r.id)).size).toBe(replies);
    const times = all.map((r) => parseThreadsTimestamp(r.timestamp!).getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    for (const r of all) {
      expect(r).toMatchObject({
        is_reply: true,
        is_reply_owned_by_me: false,
        root_post: { id: postId },
        replied_to: { id: postId },
        hide_status: 'NOT_HUSHED',
        media_type: 'TEXT_POST',
      });
      expect(r.username).toMatch(/^[a-z]+_[a-z]+\d{2}$/);
    }
    const oldestFirst = await collect((after) => client.listReplies({ ...auth, reverse: false, limit: 100, after }));
    expect(oldestFirst.map((r) => r.id)).toEqual([...all].reverse().map((r) => r.id));

    const target = all[0]!;
    const own = await client.createContainer({
      userId: 'me',
      accessToken: account.access_token,
      text: 'Thanks! We use a plain-text template.',
      replyToId: target.id,
      autoPublishText: true,
    });
    const conversation = await collect((after) => client.getConversation({ ...auth, limit: 100, after }));
    expect(conversation.length).toBeGreaterThan(replies);
    expect(conversation.filter((r) => r.replied_to?.id !== postId).every((r) => r.root_post?.id === postId)).toBe(true);
    const mine = conversation.find((r) => r.id === own.id)!;
    expect(mine).toMatchObject({
      is_reply_owned_by_me: true,
      replied_to: { id: target.id },
      root_post: { id: postId },
    });
    expect(await collect((after) => client.listReplies({ ...auth, limit: 100, after }))).toHaveLength(replies);

    await client.manageReply({ replyId: target.id, accessToken: account.access_token, hide: true });
    expect(
      (
        await client.getPost({
          mediaId: target.id,
          accessToken: account.access_token,
          fields: ['id', 'hide_status', 'has_replies'],
        })
      ).hide_status,
    ).toBe('HIDDEN');
    await client.manageReply({ replyId: target.id, accessToken: account.access_token, hide: false });
    expect(
      (await client.getPost({ mediaId: target.id, accessToken: account.access_token, fields: ['hide_status'] }))
        .hide_status,
    ).toBe('UNHUSHED');
    expect(
      (await failure(client.manageReply({ replyId: own.id, accessToken: account.access_token, hide: true }))).code,
    ).toBe(100);
  });

  it("lists the user's threads newest first with cursor paging both ways", async () => {
    const other = await newAccount();
    const ids = [];
    for (let i = 0; i < 5; i++) {
      ids.push(await publishNow(other, `Numbered post ${i}`));
      await advance(1000);
    }
    const auth = { userId: other.user_id, accessToken: other.access_token };
    const first = await client.listUserThreads({ ...auth, limit: 2 });
    expect(first.data.map((p) => p.id)).toEqual([ids[4], ids[3]]);
    expect(first).toMatchObject({ hasNext: true, hasPrevious: false });
    const second = await client.listUserThreads({ ...auth, limit: 2, after: first.cursors.after! });
    expect(second.data.map((p) => p.id)).toEqual([ids[2], ids[1]]);
    expect(second.hasPrevious).toBe(true);
    const back = await client.listUserThreads({ ...auth, limit: 2, before: second.cursors.before! });
    expect(back.data.map((p) => p.id)).toEqual([ids[4], ids[3]]);
    const last = await client.listUserThreads({ ...auth, limit: 2, after: second.cursors.after! });
    expect(last).toMatchObject({ hasNext: false });
    expect(last.data.map((p) => p.id)).toEqual([ids[0]]);
    expect((await client.listUserThreads({ ...auth })).data).toHaveLength(5);
  });

  it('takes the token as a Bearer header too, and sets a profile on an existing account', async () => {
    const fresh = await newAccount();
    const res = await fetch(`${sim.url}/v1.0/me?fields=id,username`, {
      headers: { authorization: `Bearer ${fresh.access_token}` },
    });
    expect(await res.json()).toEqual({ id: fresh.user_id, username: fresh.username });
    const patched = await admin(
      `users/${fresh.user_id}`,
      { profile: { niche: 'pricing', topics: ['annual plans'] } },
      'PATCH',
    );
    expect(patched.profile).toEqual({ niche: 'pricing', topics: ['annual plans'], vocabulary: [] });
  });

  it("does not show another account's post", async () => {
    const stranger = await newAccount();
    const error = await failure(client.getPost({ mediaId: postId, accessToken: stranger.access_token }));
    expect(error).toMatchObject({ code: 100, subcode: 33 });
  });
});

describe('injected failures', () => {
  it('transient, throttled and auth faults on one endpoint, then normal service', async () => {
    const account = await newAccount();
    const auth = { userId: 'me', accessToken: account.access_token };
    await admin('faults', { endpoint: 'publishing_limit', preset: 'transient' });
    await admin('faults', { endpoint: 'publishing_limit', preset: 'throttled' });
    await admin('faults', { endpoint: 'publishing_limit', preset: 'auth' });
    await admin('faults', { endpoint: 'publishing_limit', preset: 'bad_gateway' });
    const kinds = [];
    for (let i = 0; i < 4; i++) kinds.push((await failure(client.getPublishingLimit(auth))).kind);
    expect(kinds).toEqual(['transient', 'throttled', 'auth', 'transient']);
    await expect(client.getPublishingLimit(auth)).resolves.toMatchObject({ quotaUsage: 0 });
    expect(
      calls
        .filter(([e]) => e === 'publishing_limit')
        .slice(-5)
        .map(([, s]) => s),
    ).toEqual([500, 400, 400, 502, 200]);
  });

  it('a custom error, and a delay beyond the client timeout', async () => {
    const account = await newAccount();
    await admin('faults', {
      endpoint: 'me',
      status: 500,
      error: { message: '(#10) Application does not have permission for this action', code: 10 },
    });
    expect(await failure(client.getMe({ accessToken: account.access_token }))).toMatchObject({
      kind: 'permission',
      status: 500,
      code: 10,
    });

    await admin('faults', { endpoint: 'me', delay_ms: 2_500 });
    const timeout = await failure(client.getMe({ accessToken: account.access_token }));
    expect(timeout).toMatchObject({ kind: 'transient', status: null });
    expect(timeout.message).toBe('no answer within 2000 ms');
    expect(calls.at(-1)).toEqual(['me', 0]);
  });

  it('metric labels are bounded endpoint names, never ids or tokens', () => {
    const labels = new Set(calls.map(([e]) => e));
    for (const label of labels) expect(label).toMatch(/^[a-z_]+$/);
    expect(labels).toContain('threads_publish');
    expect(labels).toContain('create_container');
  });
});
