import { randomBytes } from 'node:crypto';
import { linkAccount } from '../../src/accounts/account.repository.ts';
import type { TokenVault } from '../../src/accounts/token-vault.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { findPostsByIds, insertPost } from '../../src/posts/post.repository.ts';
import type { Post } from '../../src/posts/index.ts';
import { waitFor } from './child-process.ts';

/** A fixed token key, so a worker process decrypts what the test stored. */
export const TEST_TOKEN_KEY = 'a3'.repeat(32);

export interface SimUser {
  user_id: string;
  username: string;
  access_token: string;
}

type LinkDeps = { db: Database; vault: TokenVault; now: () => Date };

/** Links a simulated user as the persona's account, as a pasted token of unknown expiry would be. */
export function linkSimUser(deps: LinkDeps, personaId: string, user: SimUser & { scopes?: string[] }) {
  return linkAccount(deps.db, deps.vault, {
    personaId,
    threadsUserId: user.user_id,
    username: user.username,
    accessToken: user.access_token,
    tokenExpiresAt: null,
    scopes: user.scopes ?? [],
    obtainedAt: deps.now(),
  });
}

/** A simulated Threads user with a long-lived token, linked as the persona's account. */
export async function linkSimAccount(
  deps: LinkDeps,
  simUrl: string,
  personaId: string,
  options: { tokenAgeHours?: number } = {},
): Promise<SimUser> {
  const user = await simControl<SimUser & { scopes: string[] }>(simUrl, 'users', {
    username: `pub_${randomBytes(4).toString('hex')}`,
    token_age_hours: options.tokenAgeHours ?? 0,
  });
  await linkSimUser(deps, personaId, user);
  return user;
}

/** A draft as the workflow would store it, with text of its own. */
export async function insertDraft(
  db: Database,
  personaId: string,
  text = `Three pricing tests that paid off ${randomBytes(3).toString('hex')}`,
): Promise<Post> {
  return insertPost(db, {
    persona_id: personaId,
    task_id: null,
    variant: 0,
    status: 'draft',
    topic: null,
    hook_pattern: 'number_list',
    hook: text,
    body: '',
    text,
    quality_score: 0.8,
    score_breakdown: {},
    rejection_reason: null,
    rejection_detail: null,
    attempts: 1,
    models: {},
    prompt_tokens: 0,
    completion_tokens: 0,
    cost_usd: 0,
    nearest_post_id: null,
    nearest_similarity: null,
  });
}

export function waitForPost(
  db: Database,
  id: string,
  done: (post: Post) => boolean,
  timeoutMs = 20_000,
): Promise<Post> {
  return waitFor(async () => {
    const [post] = await findPostsByIds(db, [id]);
    return post && done(post) ? post : undefined;
  }, timeoutMs);
}

/** A call to the simulator's /__sim/ controls: GET without a body, POST with one. */
export async function simControl<T>(simUrl: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${simUrl}/__sim/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`sim ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export interface SimState {
  users: { id: string; published_posts: number; containers: Record<string, number>; quota_usage: { posts: number } }[];
}

export async function simUserState(simUrl: string, userId: string) {
  const state = await simControl<SimState>(simUrl, 'state');
  return state.users.find((u) => u.id === userId)!;
}

export async function simUserPosts(simUrl: string, userId: string) {
  return (
    await simControl<{ data: { id: string; text: string; permalink: string }[] }>(simUrl, `users/${userId}/posts`)
  ).data;
}

export async function injectFault(simUrl: string, fault: Record<string, unknown>): Promise<void> {
  await simControl(simUrl, 'faults', fault);
}
