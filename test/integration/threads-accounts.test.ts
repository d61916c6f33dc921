import { linkSimulatorAccounts } from '../../src/app/roles/link-simulator-accounts.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialsFor } from '../../src/accounts/account.repository.ts';
import { collectFollowers } from '../../src/insights/collect-followers.ts';
import { createLogger } from '../../src/platform/observability/logger.ts';
import { createManualClock, startThreadsSimulator, type RunningSimulator } from '../../src/sim/index.ts';
import { createThreadsClient } from '../../src/platform/threads/index.ts';
import { waitFor } from '../support/child-process.ts';
import { uniqueSlug } from '../support/factories.ts';
import { insertDraft, simControl } from '../support/publishing-fixtures.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { DATABASE_KINDS } from '../support/test-database.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const APP_ID = '771100223344';
const APP_SECRET = 'sim-app-secret-for-accounts';
const REDIRECT_URI = 'https://agent.example.test/v1/threads/oauth/callback';
const ENCRYPTION_KEY = 'ab'.repeat(32);

interface SimUser {
  user_id: string;
  username: string;
  access_token: string;
  expires_at: string;
}

interface Account {
  id: string;
  persona_id: string;
  threads_user_id: string;
  username: string | null;
  status: 'active' | 'paused';
  status_reason: string | null;
  token_expires_at: string | null;
  token_refreshed_at: string | null;
  scopes: string[];
}

const simUsername = () => uniqueSlug('u').replaceAll('-', '_');

describe.each(DATABASE_KINDS)('Threads accounts on %s', (kind) => {
  const clock = createManualClock();
  const logLines: string[] = [];
  let sim: RunningSimulator;
  let t: TestApp;

  beforeAll(async () => {
    sim = await startThreadsSimulator({
      seed: 11,
      appId: APP_ID,
      appSecret: APP_SECRET,
      clock,
      port: 0,
      host: '127.0.0.1',
    });
    t = await startTestApp(kind, {
      env: {
        THREADS_API_BASE_URL: sim.url,
        THREADS_APP_ID: APP_ID,
        THREADS_APP_SECRET: APP_SECRET,
        THREADS_REDIRECT_URI: REDIRECT_URI,
        TOKEN_ENCRYPTION_KEY: ENCRYPTION_KEY,
      },
      overrides: {
        now: () => new Date(clock.now()),
        logger: createLogger('debug', { write: (line: string) => void logLines.push(line) }),
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  const threads = () => createThreadsClient({ baseUrl: sim.url });

  const simAdmin = <T>(path: string, body?: unknown) => simControl<T>(sim.url, path, body);

  const newSimUser = (body: Record<string, unknown> = {}) =>
    simAdmin<SimUser>('users', { username: simUsername(), ...body });
  const injectFault = (endpoint: string, preset: string) => simAdmin('faults', { endpoint, preset });

  const paste = (personaId: string, accessToken: string) =>
    t.api(`/v1/personas/${personaId}/threads-account`, {
      method: 'PUT',
      body: JSON.stringify({ access_token: accessToken }),
    });

  async function getAccount(personaId: string): Promise<{ status: number; text: string; account: Account }> {
    const res = await t.api(`/v1/personas/${personaId}/threads-account`);
    const text = await res.text();
    return { status: res.status, text, account: JSON.parse(text) as Account };
  }

  async function storedCiphertext(personaId: string): Promise<string | undefined> {
    const [row] = await t.deps.db.query<{ access_token_encrypted: string }>(
      'SELECT access_token_encrypted FROM threads_accounts WHERE persona_id = $1',
      [personaId],
    );
    return row?.access_token_encrypted;
  }

  /** Asks for the consent URL, "consents" in the simulator, and returns where the browser was sent back. */
  async function consent(personaId: string, extra: string): Promise<{ state: string; back: URL }> {
    const res = await t.api(`/v1/personas/${personaId}/threads-account/connect`, { method: 'POST' });
    expect(res.status).toBe(200);
    const { authorize_url, state } = (await res.json()) as { authorize_url: string; state: string };
    const redirect = await fetch(`${authorize_url}&${extra}`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    return { state, back: new URL(redirect.headers.get('location')!) };
  }

  /** What the browser does next: opens the callback, with no bearer token. */
  const callback = (search: string) => fetch(`${t.url}/v1/threads/oauth/callback${search}`);

  function expectNotLogged(...secrets: string[]) {
    expect(logLines.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(logLines.filter((line) => line.includes(secret))).toEqual([]);
  }

  it('links an account through OAuth; the state works once', async () => {
    const persona = await t.createPersona();
    const username = simUsername();
    const { state, back } = await consent(persona.id, `sim_username=${username}`);
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT_URI);
    expect(back.searchParams.get('state')).toBe(state);
    const code = back.searchParams.get('code')!;
    expect(code).toBeTruthy();

    const linked = await callback(back.search);
    const linkedText = await linked.text();
    expect(linked.status).toBe(200);
    expect(JSON.parse(linkedText)).toMatchObject({ persona_id: persona.id, persona_slug: persona.slug, username });
    expect(linkedText).not.toContain(code);

    const { status, account } = await getAccount(persona.id);
    expect(status).toBe(200);
    expect(account).toMatchObject({ persona_id: persona.id, username, status: 'active', status_reason: null });
    expect(account.scopes).toEqual(
      expect.arrayContaining(['threads_basic', 'threads_content_publish', 'threads_manage_insights']),
    );
    expect(Date.parse(account.token_expires_at!)).toBe(clock.now() + 60 * DAY);

    // The stored token is the long-lived one and speaks for the account.
    const credentials = await credentialsFor(t.deps.db, t.deps.vault, persona.id);
    expect((await threads().getMe({ accessToken: credentials!.accessToken })).username).toBe(username);

    const reused = await callback(back.search);
    expect(reused.status).toBe(400);
    expect(((await reused.json()) as { error: { message: string } }).error.message).toMatch(/already used/);
    expectNotLogged(code, credentials!.accessToken, APP_SECRET);
  });

  it('refuses a denied consent, an unknown or expired state, and a bad code', async () => {
    const persona = await t.createPersona();
    const denied = await consent(persona.id, 'sim_deny=1');
    const deniedRes = await callback(denied.back.search);
    expect(deniedRes.status).toBe(400);
    expect(((await deniedRes.json()) as { error: { message: string } }).error.message).toMatch(/user_denied/);

    const unknown = await callback('?state=not-a-state-we-issued&code=AQBwhatever');
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toMatch(/not issued by this server/);

    const late = await consent(persona.id, `sim_username=${simUsername()}`);
    clock.advance(11 * 60_000);
    const lateRes = await callback(late.back.search);
    expect(lateRes.status).toBe(400);
    expect(await lateRes.text()).toMatch(/expired/);

    const { state } = await consent(persona.id, `sim_username=${simUsername()}`);
    const badCode = 'AQB-not-a-code-the-simulator-issued';
    const badRes = await callback(`?state=${state}&code=${badCode}`);
    const badText = await badRes.text();
    expect(badRes.status).toBe(422);
    expect(badText).toMatch(/authorization code/);
    expect(badText).not.toContain(badCode);

    expect((await getAccount(persona.id)).status).toBe(404);
    expectNotLogged(badCode, APP_SECRET);
  });

  it('links a pasted token, never shows it, and unlinks', async () => {
    const persona = await t.createPersona();
    const user = await newSimUser();
    const res = await paste(persona.id, user.access_token);
    const pastedText = await res.text();
    expect(res.status).toBe(200);
    expect(pastedText).not.toContain(user.access_token);

    const { status, text, account } = await getAccount(persona.id);
    expect(status).toBe(200);
    expect(account).toMatchObject({ threads_user_id: user.user_id, username: user.username, status: 'active' });
    expect(Date.parse(account.token_expires_at!)).toBe(clock.now() + 60 * DAY);
    expect(account.scopes).toContain('threads_content_publish');
    expect(text).not.toContain(user.access_token);

    const sealed = await storedCiphertext(persona.id);
    expect(sealed).not.toContain(user.access_token);
    expect(t.deps.vault.decrypt(sealed!)).toBe(user.access_token);

    // One Threads account cannot speak for two personas.
    const other = await t.createPersona();
    expect((await paste(other.id, user.access_token)).status).toBe(409);

    expect((await t.api(`/v1/personas/${persona.id}/threads-account`, { method: 'DELETE' })).status).toBe(204);
    expect((await getAccount(persona.id)).status).toBe(404);
    expect(await storedCiphertext(persona.id)).toBeNull();
    expect((await t.api(`/v1/personas/${persona.id}/threads-account`, { method: 'DELETE' })).status).toBe(404);
    expectNotLogged(user.access_token);
  });

  it("keeps an unlinked account's follower history, and gives it back when the same user is relinked", async () => {
    const persona = await t.createPersona();
    const first = await newSimUser({ followers: 500 });
    expect((await paste(persona.id, first.access_token)).status).toBe(200);
    const accountId = (await getAccount(persona.id)).account.id;
    await collectFollowers(t.deps);
    const history = () =>
      t.deps.db.query<{ account_id: string; followers_count: number }>(
        'SELECT account_id, followers_count FROM follower_snapshots WHERE persona_id = $1 ORDER BY account_id',
        [persona.id],
      );
    expect(await history()).toEqual([{ account_id: accountId, followers_count: 500 }]);
    const followersTotal = async () => {
      const res = await t.api(`/v1/kpis?persona=${persona.slug}`);
      return ((await res.json()) as { kpis: { followers_total: number | null } }).kpis.followers_total;
    };
    expect(await followersTotal()).toBe(500);

    expect((await t.api(`/v1/personas/${persona.id}/threads-account`, { method: 'DELETE' })).status).toBe(204);
    expect((await getAccount(persona.id)).status).toBe(404);
    expect(await history()).toHaveLength(1);
    // An unlinked account no longer counts: the persona has no audience on Threads now.
    expect(await followersTotal()).toBeNull();
    expect(await credentialsFor(t.deps.db, t.deps.vault, persona.id)).toBeNull();

    const again = await simAdmin<SimUser>(`users/${first.user_id}/tokens`, {});
    expect((await paste(persona.id, again.access_token)).status).toBe(200);
    expect((await getAccount(persona.id)).account).toMatchObject({ id: accountId, status: 'active' });
    expect(await followersTotal()).toBe(500);

    // Another Threads user is another account: the first is unlinked, its history kept apart.
    const second = await newSimUser({ followers: 80 });
    expect((await paste(persona.id, second.access_token)).status).toBe(200);
    const secondId = (await getAccount(persona.id)).account.id;
    expect(secondId).not.toBe(accountId);
    await collectFollowers(t.deps);
    expect(await history()).toEqual(
      [
        { account_id: accountId, followers_count: 500 },
        { account_id: secondId, followers_count: 80 },
      ].sort((a, b) => a.account_id.localeCompare(b.account_id)),
    );
    expect(await followersTotal()).toBe(80);
    // The first user is free for another persona.
    expect((await paste((await t.createPersona()).id, again.access_token)).status).toBe(200);

    // A user's unlink is respected: the simulator linking at start leaves the persona alone.
    expect((await t.api(`/v1/personas/${persona.id}/threads-account`, { method: 'DELETE' })).status).toBe(204);
    const { linked } = await linkSimulatorAccounts(t.deps, sim.url);
    expect(linked.map((l) => l.personaId)).not.toContain(persona.id);
  });

  it('unlinks the account of a deleted persona, freeing its Threads user, and withdraws its unpublished posts', async () => {
    const persona = await t.createPersona();
    const user = await newSimUser();
    expect((await paste(persona.id, user.access_token)).status).toBe(200);
    const draft = await insertDraft(t.deps.db, persona.id);
    const scheduled = await insertDraft(t.deps.db, persona.id);
    const inFuture = new Date(clock.now() + DAY).toISOString();
    expect(
      (await t.api(`/v1/posts/${scheduled.id}/schedule`, { method: 'POST', body: JSON.stringify({ at: inFuture }) }))
        .status,
    ).toBe(200);

    expect((await t.api(`/v1/personas/${persona.id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await storedCiphertext(persona.id)).toBeNull();
    expect(await credentialsFor(t.deps.db, t.deps.vault, persona.id)).toBeNull();
    for (const post of [draft, scheduled]) {
      expect(await t.deps.posts.getPost(post.id)).toMatchObject({
        status: 'rejected',
        rejection_reason: 'rejected_by_user',
        rejection_detail: { detail: 'the persona was deleted' },
        scheduled_at: null,
      });
    }
    expect((await paste((await t.createPersona()).id, user.access_token)).status).toBe(200);
  });

  it('refuses a bad pasted token and stores nothing', async () => {
    const persona = await t.createPersona();
    const bogus = 'THbogus-token-that-threads-never-issued';
    const res = await paste(persona.id, bogus);
    const text = await res.text();
    expect(res.status).toBe(422);
    expect(JSON.parse(text).error.message).toMatch(/Threads refused this access token/);
    expect(text).not.toContain(bogus);
    expect((await getAccount(persona.id)).status).toBe(404);
    expect(await storedCiphertext(persona.id)).toBeUndefined();

    const extraField = await t.api(`/v1/personas/${persona.id}/threads-account`, {
      method: 'PUT',
      body: JSON.stringify({ access_token: bogus, scopes: [] }),
    });
    expect(extraField.status).toBe(400);
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await paste(missing, (await newSimUser()).access_token)).status).toBe(404);
    expect((await t.api(`/v1/personas/${missing}/threads-account`)).status).toBe(404);
    expect((await t.api(`/v1/personas/${missing}/threads-account/connect`, { method: 'POST' })).status).toBe(404);
    expectNotLogged(bogus);
  });

  it('the scheduled job refreshes a token the simulator issued 59 days ago', async () => {
    const persona = await t.createPersona();
    const user = await newSimUser({ token_age_hours: 59 * 24 });
    expect((await paste(persona.id, user.access_token)).status).toBe(200);
    expect(Date.parse((await getAccount(persona.id)).account.token_expires_at!)).toBe(clock.now() + DAY);

    await t.deps.queue.send('refresh-threads-tokens', {});
    let account = (await getAccount(persona.id)).account;
    for (let i = 0; i < 100 && !account.token_refreshed_at; i++) {
      await new Promise((r) => setTimeout(r, 100));
      account = (await getAccount(persona.id)).account;
    }
    expect(account.token_refreshed_at).toBe(new Date(clock.now()).toISOString());
    expect(Date.parse(account.token_expires_at!)).toBe(clock.now() + 60 * DAY);
    expect(account.status).toBe('active');

    const renewed = await credentialsFor(t.deps.db, t.deps.vault, persona.id);
    expect(renewed!.accessToken).not.toBe(user.access_token);
    expect((await threads().getMe({ accessToken: renewed!.accessToken })).id).toBe(user.user_id);
    expectNotLogged(user.access_token, renewed!.accessToken);
  });

  it('refreshes a token of unknown expiry once it is a day old, and so learns its expiry', async () => {
    const persona = await t.createPersona();
    const user = await newSimUser({ token_age_hours: 30 * 24 });
    // debug_token fails in passing: the token is stored without its expiry.
    await injectFault('debug_token', 'transient');
    expect((await paste(persona.id, user.access_token)).status).toBe(200);
    expect((await getAccount(persona.id)).account.token_expires_at).toBeNull();

    // Not yet: we hold the token for less than a day.
    await t.deps.accounts.refreshExpiring();
    expect((await getAccount(persona.id)).account.token_refreshed_at).toBeNull();

    clock.advance(25 * HOUR);
    await t.deps.accounts.refreshExpiring();
    const { account } = await getAccount(persona.id);
    expect(account.token_refreshed_at).toBe(new Date(clock.now()).toISOString());
    expect(Date.parse(account.token_expires_at!)).toBe(clock.now() + 60 * DAY);
    const renewed = await credentialsFor(t.deps.db, t.deps.vault, persona.id);
    expect((await threads().getMe({ accessToken: renewed!.accessToken })).id).toBe(user.user_id);
  });

  it('leaves an account after a passing refresh failure and pauses it when Threads refuses', async () => {
    const persona = await t.createPersona();
    const user = await newSimUser({ token_age_hours: 59 * 24 });
    expect((await paste(persona.id, user.access_token)).status).toBe(200);

    await injectFault('refresh_access_token', 'transient');
    await t.deps.accounts.refreshExpiring();
    const afterOutage = (await getAccount(persona.id)).account;
    expect(afterOutage).toMatchObject({ status: 'active', token_refreshed_at: null });

    await injectFault('refresh_access_token', 'auth');
    await t.deps.accounts.refreshExpiring();
    const { account } = await getAccount(persona.id);
    expect(account.status).toBe('paused');
    expect(account.status_reason).toMatch(/Threads refused to refresh the access token/);
    expect(account.status_reason).toMatch(/reconnect/);
    expect(await credentialsFor(t.deps.db, t.deps.vault, persona.id)).toBeNull();

    // A relink makes it active again.
    expect(
      (await paste(persona.id, (await simAdmin<SimUser>(`users/${user.user_id}/tokens`, {})).access_token)).status,
    ).toBe(200);
    expect((await getAccount(persona.id)).account).toMatchObject({ status: 'active', status_reason: null });
  });

  it('pauses an account whose token expired before it could be refreshed', async () => {
    const persona = await t.createPersona();
    const user = await newSimUser({ token_age_hours: 59 * 24 + 12 });
    expect((await paste(persona.id, user.access_token)).status).toBe(200);
    // The follower count captured at link time goes first, while the token is still good.
    await waitFor(async () => {
      const rows = await t.deps.db.query('SELECT 1 FROM follower_snapshots WHERE persona_id = $1', [persona.id]);
      return rows.length > 0 ? true : undefined;
    }, 20_000);
    // No refresh ran in time (the workers were down): the token lapsed.
    clock.advance(13 * HOUR);
    await t.deps.accounts.refreshExpiring();
    const { account } = await getAccount(persona.id);
    expect(account.status).toBe('paused');
    expect(account.status_reason).toMatch(/expired on .* before it could be refreshed/);
  });

  it('links every persona to a simulated account once, reusing a taken username', async () => {
    const fresh = await t.createPersona();
    const remembered = await t.createPersona();
    const clash = await t.createPersona();
    // The simulator remembers a user from an earlier run for `remembered`; `clash`'s name belongs to another persona's account.
    const earlier = await newSimUser({ username: remembered.slug.replaceAll('-', '_') });
    const taken = await newSimUser({ username: clash.slug.replaceAll('-', '_') });
    const holder = await t.createPersona();
    expect((await paste(holder.id, taken.access_token)).status).toBe(200);
    const modesBefore = await t.deps.db.query(
      'SELECT id, approval_mode, auto_approve_min_score FROM personas ORDER BY id',
    );

    const first = await linkSimulatorAccounts(t.deps, sim.url);
    const linkedIds = first.linked.map((l) => l.personaId);
    expect(linkedIds).toEqual(expect.arrayContaining([fresh.id, remembered.id, clash.id]));
    expect(linkedIds).not.toContain(holder.id);

    expect((await getAccount(fresh.id)).account).toMatchObject({
      username: fresh.slug.replaceAll('-', '_'),
      status: 'active',
    });
    expect((await getAccount(remembered.id)).account.threads_user_id).toBe(earlier.user_id);
    const clashAccount = (await getAccount(clash.id)).account;
    expect(clashAccount.threads_user_id).not.toBe(taken.user_id);
    expect(clashAccount.username).toMatch(/^[a-z0-9._]{1,30}$/);
    expect((await getAccount(holder.id)).account.threads_user_id).toBe(taken.user_id);

    const unlinked = await t.deps.db.query(
      `SELECT p.id FROM personas p WHERE p.deleted_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM threads_accounts a WHERE a.persona_id = p.id)`,
    );
    expect(unlinked).toEqual([]);
    const credentials = await credentialsFor(t.deps.db, t.deps.vault, remembered.id);
    expect((await threads().getMe({ accessToken: credentials!.accessToken })).id).toBe(earlier.user_id);

    const sealedBefore = await storedCiphertext(fresh.id);
    const second = await linkSimulatorAccounts(t.deps, sim.url);
    expect(second.linked).toEqual([]);
    expect(await storedCiphertext(fresh.id)).toBe(sealedBefore);
    expect(await t.deps.db.query('SELECT id, approval_mode, auto_approve_min_score FROM personas ORDER BY id')).toEqual(
      modesBefore,
    );
  });
});

describe.each(DATABASE_KINDS)('Threads accounts without app credentials on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { worker: false, env: { TOKEN_ENCRYPTION_KEY: ENCRYPTION_KEY } });
  });
  afterAll(() => t?.close());

  it('answers connect with 409 naming the variables to set', async () => {
    const persona = await t.createPersona();
    const res = await t.api(`/v1/personas/${persona.id}/threads-account/connect`, { method: 'POST' });
    expect(res.status).toBe(409);
    const { error } = (await res.json()) as { error: { message: string } };
    for (const name of ['THREADS_APP_ID', 'THREADS_APP_SECRET', 'THREADS_REDIRECT_URI'])
      expect(error.message).toContain(name);
  });
});
