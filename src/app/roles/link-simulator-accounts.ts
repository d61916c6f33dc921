import type { Logger } from 'pino';
import type { Queue } from '../../platform/queue/index.ts';
import type { Database } from '../../platform/db/index.ts';
import { parseThreadsTimestamp } from '../../platform/threads/index.ts';
import {
  findAccountByThreadsUser,
  listPersonasNeverLinked,
  linkAccount,
  type NeverLinkedPersona,
  type TokenVault,
} from '../../accounts/index.ts';

/** What POST /__sim/users and POST /__sim/users/:id/tokens answer. */
interface SimToken {
  user_id: string;
  username: string;
  access_token: string;
  scopes: string[];
  expires_at: string;
}

async function simCall<T>(
  simUrl: string,
  method: 'GET' | 'POST' | 'PATCH',
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${simUrl.replace(/\/+$/, '')}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

/** Simulator usernames allow [a-z0-9._]{1,30}; slugs are [a-z0-9-]{2,64}. */
function candidateUsernames(persona: NeverLinkedPersona): string[] {
  const base = persona.slug.replaceAll('-', '_').slice(0, 30);
  // Two long slugs can share their first 30 characters: the second gets a suffix from its id.
  return [base, `${base.slice(0, 25)}_${persona.id.replaceAll('-', '').slice(0, 4)}`];
}

async function findSimUserId(simUrl: string, username: string): Promise<string | null> {
  const state = await simCall<{ users: { id: string; username: string }[] }>(simUrl, 'GET', '/__sim/state');
  return state.body.users.find((u) => u.username === username)?.id ?? null;
}

/**
 * A simulator user for the persona, with a fresh long-lived token. A username already taken is the
 * simulator remembering a user from an earlier run (its state file outlives our database, or the other
 * way round): that user is reused unless another persona is linked to it.
 */
async function simUserFor(db: Database, simUrl: string, persona: NeverLinkedPersona): Promise<SimToken> {
  const profile = { niche: persona.niche, topics: persona.topics, vocabulary: persona.vocabulary };
  for (const username of candidateUsernames(persona)) {
    const created = await simCall<SimToken & { error?: { message: string } }>(simUrl, 'POST', '/__sim/users', {
      username,
      name: persona.name,
      profile,
    });
    if (created.status === 201) return created.body;
    if (!created.body.error?.message.includes('is taken')) {
      const why = created.body.error?.message ?? '';
      throw new Error(`the simulator refused a user for persona ${persona.slug}: HTTP ${created.status} ${why}`);
    }
    const userId = await findSimUserId(simUrl, username);
    if (!userId || (await findAccountByThreadsUser(db, userId))) continue;
    await simCall(simUrl, 'PATCH', `/__sim/users/${userId}`, { profile });
    const issued = await simCall<SimToken>(simUrl, 'POST', `/__sim/users/${userId}/tokens`, {});
    if (issued.status !== 201) throw new Error(`the simulator refused a token for ${username}: HTTP ${issued.status}`);
    return issued.body;
  }
  throw new Error(`no free simulator username for persona ${persona.slug}`);
}

/**
 * For `npm start` with the in-process simulator: every persona that never had an account gets a
 * simulated one whose audience judges posts against the persona's niche, topics and vocabulary.
 * Personas linked, paused or unlinked by a user are left alone, so running it at every start is safe.
 */
export async function linkSimulatorAccounts(
  deps: { db: Database; vault: TokenVault; logger: Logger; now: () => Date; queue: Pick<Queue, 'send'> },
  simUrl: string,
): Promise<{ linked: { personaId: string; username: string }[] }> {
  const linked: { personaId: string; username: string }[] = [];
  for (const persona of await listPersonasNeverLinked(deps.db)) {
    const user = await simUserFor(deps.db, simUrl, persona);
    await linkAccount(deps.db, deps.vault, {
      personaId: persona.id,
      threadsUserId: user.user_id,
      username: user.username,
      accessToken: user.access_token,
      tokenExpiresAt: parseThreadsTimestamp(user.expires_at),
      scopes: user.scopes,
      obtainedAt: deps.now(),
    });
    linked.push({ personaId: persona.id, username: user.username });
  }
  if (linked.length > 0) {
    deps.logger.info({ linked: linked.length }, 'personas linked to simulated Threads accounts');
    // The new links' follower counts, captured at once, are the baselines their growth is measured from.
    await deps.queue.send('collect-followers', {});
  }
  return { linked };
}
