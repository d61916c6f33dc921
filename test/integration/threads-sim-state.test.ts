import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createManualClock,
  createOffsetClock,
  startThreadsSimulator,
  type RunningSimulator,
} from '../../src/sim/index.ts';
import { createThreadsClient } from '../../src/platform/threads/index.ts';

const HOUR = 3_600_000;
const dirs: string[] = [];
const running: RunningSimulator[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function start(stateFile: string, clock = createManualClock()) {
  const sim = await startThreadsSimulator({
    seed: 11,
    appId: 'app',
    appSecret: 'secret',
    clock,
    stateFile,
    persistDebounceMs: 20,
    port: 0,
    host: '127.0.0.1',
  });
  running.push(sim);
  return sim;
}

async function post(sim: RunningSimulator, pathname: string, body: unknown) {
  const res = await fetch(`${sim.url}${pathname}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return res.json() as Promise<any>;
}

describe('simulator state file', () => {
  it('holds an issued token on disk, owner-only, before it answers', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'threads-sim-'));
    dirs.push(dir);
    const file = path.join(dir, 'sim-state.json');
    const sim = await startThreadsSimulator({
      seed: 3,
      appId: 'app',
      appSecret: 'secret',
      stateFile: file,
      // Far longer than the test: only an explicit write can have put the user there.
      persistDebounceMs: 60_000,
      port: 0,
      host: '127.0.0.1',
    });
    running.push(sim);
    const account = await post(sim, '/__sim/users', { username: 'durable_user' });
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(Object.keys(saved.users)).toContain(account.user_id);
    expect(JSON.stringify(saved.tokens)).toContain(account.access_token.slice(-12));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('survives a restart: tokens, posts, replies, insights and the clock carry over', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'threads-sim-'));
    dirs.push(dir);
    const file = path.join(dir, 'nested', 'sim-state.json');
    const first = await start(file);
    const account = await post(first, '/__sim/users', {
      followers: 800,
      profile: { niche: 'indie SaaS', topics: ['churn'], vocabulary: ['MRR'] },
    });
    const client = createThreadsClient({ baseUrl: first.url });
    const media = await client.createContainer({
      userId: 'me',
      accessToken: account.access_token,
      text: 'How we cut churn by 30% in 60 days. What worked for you?',
      autoPublishText: true,
    });
    await post(first, '/__sim/clock/advance', { hours: 48 });
    const insights = await client.getMediaInsights({ mediaId: media.id, accessToken: account.access_token });
    const replies = await client.listReplies({ mediaId: media.id, accessToken: account.access_token, limit: 100 });

    // Debounced: written shortly after the change, without waiting for close.
    await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(file)).toBe(true);
    await first.close();
    running.splice(running.indexOf(first), 1);
    expect(readdirSync(path.dirname(file))).toEqual(['sim-state.json']);
    expect(JSON.parse(readFileSync(file, 'utf8')).version).toBe(1);

    const second = await start(file, createManualClock(Date.UTC(2025, 0, 1)));
    const again = createThreadsClient({ baseUrl: second.url });
    expect((await again.getMe({ accessToken: account.access_token })).id).toBe(account.user_id);
    expect(
      (await again.listUserThreads({ userId: 'me', accessToken: account.access_token })).data.map((p) => p.id),
    ).toEqual([media.id]);
    expect(await again.getMediaInsights({ mediaId: media.id, accessToken: account.access_token })).toEqual(insights);
    expect(
      (await again.listReplies({ mediaId: media.id, accessToken: account.access_token, limit: 100 })).data,
    ).toEqual(replies.data);
    const state = await (await fetch(`${second.url}/__sim/state`)).json();
    expect(state.users).toHaveLength(1);
    expect(state.users[0].published_posts).toBe(1);
    expect(state.now_ms).toBeGreaterThanOrEqual(Date.UTC(2025, 0, 6, 9) + 48 * HOUR);
  });

  it('refuses a file that is not a simulator state instead of overwriting it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'threads-sim-'));
    dirs.push(dir);
    const file = path.join(dir, 'other.json');
    await import('node:fs/promises').then((fs) => fs.writeFile(file, '{"hello":"world"}'));
    await expect(start(file)).rejects.toThrow(/not a threads-sim state file/);
    expect(readFileSync(file, 'utf8')).toBe('{"hello":"world"}');
  });

  it('removes the temporary file a killed simulator left, and no other', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'threads-sim-'));
    dirs.push(dir);
    const file = path.join(dir, 'sim-state.json');
    // A pid above the kernel's pid_max is never a running process.
    const abandoned = `${file}.4194305.tmp`;
    const live = `${file}.${process.ppid}.tmp`;
    const unrelated = path.join(dir, 'other.json.4194305.tmp');
    for (const f of [abandoned, live, unrelated]) writeFileSync(f, '{');
    await start(file);
    expect(
      readdirSync(dir)
        .filter((f) => f.endsWith('.tmp'))
        .sort(),
    ).toEqual([path.basename(live), 'other.json.4194305.tmp'].sort());
  });
});

describe('clocks', () => {
  it('an offset clock runs at `speed` and can be advanced; a manual one only moves when told', () => {
    let wall = 1_000_000;
    const fast = createOffsetClock({ speed: 60, now: () => wall });
    wall += 1000;
    expect(fast.now()).toBe(1_000_000 + 60_000);
    fast.advance(5000);
    expect(fast.now()).toBe(1_000_000 + 65_000);
    const manual = createManualClock(0);
    expect(manual.now()).toBe(0);
    manual.advance(HOUR);
    expect(manual.now()).toBe(HOUR);
    expect(() => manual.advance(-1)).toThrow(RangeError);
  });
});
