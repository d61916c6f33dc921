import { createHash, randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from '../platform/config.ts';
import { type Database, isUniqueViolation } from '../platform/db/index.ts';
import { AppError } from '../platform/errors.ts';
import type { Persona, PersonasService } from '../personas/index.ts';
import type { Queue } from '../platform/queue/index.ts';
import {
  THREADS_SCOPES,
  ThreadsApiError,
  type ThreadsClient,
  type ThreadsScope,
  type TokenInfo,
} from '../platform/threads/index.ts';
import {
  findAccountByPersona,
  findAccountByThreadsUser,
  linkAccount,
  unlinkAccountOfPersona,
  type ThreadsAccount,
} from './account.repository.ts';
import { consumeOAuthState, deleteOAuthStatesExpiredBefore, insertOAuthState } from './oauth-state.repository.ts';
import { refreshExpiringTokens } from './refresh-tokens.ts';
import type { TokenVault } from './token-vault.ts';

/** Publishing, replies and mentions (the product's conversations), and insights; not deleting posts. */
export const CONNECT_SCOPES: readonly ThreadsScope[] = THREADS_SCOPES.filter((scope) => scope !== 'threads_delete');

const STATE_TTL_MS = 10 * 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export type OAuthCallback =
  | { state: string; code: string }
  | { state: string; error: string; errorReason?: string; errorDescription?: string };

export interface AccountsServiceDeps {
  db: Database;
  personas: Pick<PersonasService, 'getPersona'>;
  queue: Pick<Queue, 'send'>;
  threads: ThreadsClient;
  vault: TokenVault;
  config: Pick<Config['threads'], 'appId' | 'appSecret' | 'redirectUri'>;
  now: () => Date;
  logger: Logger;
}

const STATE_PROBLEMS = {
  unknown:
    'this OAuth state was not issued by this server; start again with POST /v1/personas/:id/threads-account/connect',
  used: 'this OAuth state was already used; start again with POST /v1/personas/:id/threads-account/connect',
  expired:
    'this OAuth state expired (they last 10 minutes); start again with POST /v1/personas/:id/threads-account/connect',
} as const;

// The state authenticates the callback, so the table keeps only what cannot be turned back into it.
const hashState = (state: string) => createHash('sha256').update(state).digest('hex');

/** A Threads failure as the API caller should see it: fix the input, or try again later. */
function threadsFailure(error: unknown, what: string, hint = ''): never {
  if (!(error instanceof ThreadsApiError)) throw error;
  const then = hint ? `; ${hint}` : '';
  if (error.retryable) {
    throw new AppError(
      'unavailable',
      `Threads failed to check ${what} (${error.kind})${then || '; try again in a minute'}`,
    );
  }
  throw new AppError('unprocessable', `Threads refused ${what}: ${error.message}${then}`);
}

export function createAccountsService(deps: AccountsServiceDeps) {
  const { db, personas, threads, vault, config, logger } = deps;
  // A new link's follower count, captured at once, is the baseline its growth is measured from.
  const captureFollowers = (personaId?: string) => deps.queue.send('collect-followers', { personaId });

  function oauthSettings() {
    const { appId, appSecret, redirectUri } = config;
    if (appId && appSecret && redirectUri) return { appId, appSecret, redirectUri };
    const missing = Object.entries({
      THREADS_APP_ID: appId,
      THREADS_APP_SECRET: appSecret,
      THREADS_REDIRECT_URI: redirectUri,
    })
      .filter(([, value]) => !value)
      .map(([name]) => name);
    throw new AppError(
      'conflict',
      `connecting through Threads needs THREADS_APP_ID, THREADS_APP_SECRET and THREADS_REDIRECT_URI (not set: ${missing.join(', ')}); ` +
        'or paste a long-lived token with PUT /v1/personas/:id/threads-account',
    );
  }

  /** debug_token's expiry and scopes, when the app is configured; a passing failure only costs the details. */
  async function inspectToken(accessToken: string): Promise<TokenInfo | null> {
    if (!config.appId || !config.appSecret) return null;
    try {
      return await threads.debugToken({ inputToken: accessToken, accessToken });
    } catch (error) {
      if (error instanceof ThreadsApiError && error.kind !== 'auth') {
        logger.warn({ err: error }, 'debug_token failed; the account is stored without its expiry and scopes');
        return null;
      }
      return threadsFailure(error, 'this access token');
    }
  }

  /** Checks the token against Threads, then stores it: nothing is stored for a token Threads refuses. */
  async function verifyAndStore(
    persona: Persona,
    accessToken: string,
    known: { expiresAt: Date | null; scopes: readonly string[] },
  ): Promise<ThreadsAccount> {
    const profile = await threads
      .getMe({ accessToken, fields: ['id', 'username'] })
      .catch((error: unknown) => threadsFailure(error, 'this access token'));
    const info = await inspectToken(accessToken);
    if (info && !info.isValid) {
      throw new AppError('unprocessable', 'Threads says this access token is no longer valid (expired or revoked)');
    }
    const expiresAt = info?.expiresAt ?? known.expiresAt;
    // A short-lived (1 h) token cannot be refreshed: stored, it would stop working within the hour.
    if (expiresAt && expiresAt.getTime() - deps.now().getTime() < HOUR_MS) {
      throw new AppError(
        'unprocessable',
        'this access token expires within the hour (short-lived?): give a long-lived (60-day) token',
      );
    }
    const taken = (holder: string) =>
      new AppError('conflict', `Threads account @${profile.username ?? profile.id} is already linked to ${holder}`);
    const holder = await findAccountByThreadsUser(db, profile.id);
    if (holder && holder.persona_id !== persona.id) throw taken(`persona ${holder.persona_id}`);
    const link = {
      personaId: persona.id,
      threadsUserId: profile.id,
      username: profile.username ?? null,
      accessToken,
      tokenExpiresAt: expiresAt,
      scopes: info?.scopes ?? known.scopes,
      obtainedAt: deps.now(),
    };
    // Another persona may have linked the same user since the check above.
    const account = await linkAccount(db, vault, link).catch((error: unknown) => {
      throw isUniqueViolation(error) ? taken('another persona') : error;
    });
    await captureFollowers(persona.id);
    return account;
  }

  /** The consent-screen URL for the persona, with a single-use state that the callback must bring back. */
  async function startConnect(personaId: string) {
    await personas.getPersona(personaId);
    const settings = oauthSettings();
    const state = randomBytes(32).toString('base64url');
    const now = deps.now();
    const expiresAt = new Date(now.getTime() + STATE_TTL_MS);
    await deleteOAuthStatesExpiredBefore(db, new Date(now.getTime() - DAY_MS));
    await insertOAuthState(db, { stateHash: hashState(state), personaId, expiresAt });
    const authorizeUrl = threads.buildAuthorizeUrl({
      clientId: settings.appId,
      redirectUri: settings.redirectUri,
      scopes: CONNECT_SCOPES,
      state,
    });
    return { authorize_url: authorizeUrl, state, expires_at: expiresAt.toISOString() };
  }

  /** Where Threads sends the browser back: the state names the persona; the code becomes a 60-day token. */
  async function finishConnect(callback: OAuthCallback): Promise<{ persona: Persona; account: ThreadsAccount }> {
    const consumed = await consumeOAuthState(db, hashState(callback.state), deps.now());
    if (!consumed.ok) throw new AppError('bad_request', STATE_PROBLEMS[consumed.problem]);
    const persona = await personas.getPersona(consumed.personaId);
    if ('error' in callback) {
      const why = [callback.errorReason ?? callback.error, callback.errorDescription].filter(Boolean).join(': ');
      throw new AppError(
        'bad_request',
        `the Threads account was not linked to persona ${persona.slug}: authorization refused (${why})`,
      );
    }
    const settings = oauthSettings();
    const token = await threads
      .exchangeCode({
        clientId: settings.appId,
        clientSecret: settings.appSecret,
        code: callback.code,
        redirectUri: settings.redirectUri,
      })
      .then((short) =>
        threads.exchangeForLongLivedToken({ clientSecret: settings.appSecret, accessToken: short.accessToken }),
      )
      .catch((error: unknown) =>
        threadsFailure(
          error,
          'the authorization code',
          `start again with POST /v1/personas/${persona.id}/threads-account/connect`,
        ),
      );
    const account = await verifyAndStore(persona, token.accessToken, {
      expiresAt: new Date(deps.now().getTime() + token.expiresIn * 1000),
      scopes: CONNECT_SCOPES,
    });
    logger.info({ personaId: persona.id, accountId: account.id }, 'threads account connected');
    return { persona, account };
  }

  /** A long-lived token made elsewhere (Meta's token generator, another tool). */
  async function linkWithToken(personaId: string, accessToken: string): Promise<ThreadsAccount> {
    const persona = await personas.getPersona(personaId);
    const account = await verifyAndStore(persona, accessToken, { expiresAt: null, scopes: [] });
    logger.info({ personaId, accountId: account.id }, 'threads account linked with a pasted token');
    return account;
  }

  async function getAccount(personaId: string): Promise<ThreadsAccount> {
    const persona = await personas.getPersona(personaId);
    const account = await findAccountByPersona(db, personaId);
    if (!account) throw new AppError('not_found', `persona ${persona.slug} has no Threads account`);
    return account;
  }

  async function unlinkAccount(personaId: string): Promise<void> {
    const persona = await personas.getPersona(personaId);
    if (!(await unlinkAccountOfPersona(db, personaId)))
      throw new AppError('not_found', `persona ${persona.slug} has no Threads account`);
    logger.info({ personaId }, 'threads account unlinked');
  }

  return {
    startConnect,
    finishConnect,
    linkWithToken,
    getAccount,
    unlinkAccount,
    refreshExpiring: () => refreshExpiringTokens(deps),
  };
}

export type AccountsService = ReturnType<typeof createAccountsService>;
