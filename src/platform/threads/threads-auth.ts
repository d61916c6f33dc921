import { debugTokenSchema, longLivedTokenSchema, oauthTokenSchema } from './threads-schemas.ts';
import type { ThreadsHttp } from './threads-http.ts';

export const THREADS_SCOPES = [
  'threads_basic',
  'threads_content_publish',
  'threads_read_replies',
  'threads_manage_replies',
  'threads_manage_insights',
  'threads_manage_mentions',
  'threads_delete',
] as const;

export type ThreadsScope = (typeof THREADS_SCOPES)[number];

export const META_AUTHORIZE_URL = 'https://threads.net/oauth/authorize';

export interface AuthorizeUrlInput {
  clientId: string;
  redirectUri: string;
  scopes: readonly ThreadsScope[];
  state: string;
}

export type AuthorizeRedirect =
  | { ok: true; code: string; state: string | null }
  | { ok: false; error: string; errorReason: string | null; errorDescription: string | null; state: string | null };

/** Where Meta sent the user back after the consent screen: a code (with its `#_` suffix removed) or a refusal. */
export function parseAuthorizeRedirect(redirectedTo: string): AuthorizeRedirect {
  const url = new URL(redirectedTo);
  const q = url.searchParams;
  const state = q.get('state');
  const code = q.get('code')?.replace(/#_$/, '');
  if (code) return { ok: true, code, state };
  return {
    ok: false,
    error: q.get('error') ?? 'missing_code',
    errorReason: q.get('error_reason'),
    errorDescription: q.get('error_description'),
    state,
  };
}

export interface ShortLivedToken {
  accessToken: string;
  /** Read losslessly from Meta's bare JSON number (see lossless-json.ts), so it equals GET /me's id. */
  userId: string;
}

export interface LongLivedToken {
  accessToken: string;
  tokenType: string;
  /** Seconds from now; about 60 days. */
  expiresIn: number;
}

export interface TokenInfo {
  isValid: boolean;
  userId: string | null;
  scopes: string[];
  application: string | null;
  issuedAt: Date | null;
  /** null when Meta gives none (or 0: never expires). */
  expiresAt: Date | null;
}

const fromUnix = (seconds: number | undefined) => (seconds ? new Date(seconds * 1000) : null);

export function createAuthCalls(http: ThreadsHttp, authorizeUrl: string) {
  return {
    /** The consent-screen URL to send the user to. */
    buildAuthorizeUrl(input: AuthorizeUrlInput): string {
      const url = new URL(authorizeUrl);
      url.search = new URLSearchParams({
        client_id: input.clientId,
        redirect_uri: input.redirectUri,
        scope: input.scopes.join(','),
        response_type: 'code',
        state: input.state,
      }).toString();
      return url.toString();
    },

    /** POST /oauth/access_token: the single-use code for a 1-hour token. */
    async exchangeCode(input: {
      clientId: string;
      clientSecret: string;
      code: string;
      redirectUri: string;
    }): Promise<ShortLivedToken> {
      const res = await http({
        endpoint: 'oauth_access_token',
        method: 'POST',
        path: '/oauth/access_token',
        versioned: false,
        params: {
          client_id: input.clientId,
          client_secret: input.clientSecret,
          code: input.code.replace(/#_$/, ''),
          grant_type: 'authorization_code',
          redirect_uri: input.redirectUri,
        },
        secrets: [input.clientSecret, input.code],
        schema: oauthTokenSchema,
      });
      return { accessToken: res.access_token, userId: res.user_id };
    },

    /** GET /access_token: a short-lived token for a 60-day one. */
    async exchangeForLongLivedToken(input: { clientSecret: string; accessToken: string }): Promise<LongLivedToken> {
      const res = await http({
        endpoint: 'access_token',
        method: 'GET',
        path: '/access_token',
        versioned: false,
        accessToken: input.accessToken,
        params: { grant_type: 'th_exchange_token', client_secret: input.clientSecret },
        secrets: [input.clientSecret],
        schema: longLivedTokenSchema,
      });
      return { accessToken: res.access_token, tokenType: res.token_type, expiresIn: res.expires_in };
    },

    /** GET /refresh_access_token: only for a long-lived token at least 24 h old and not yet expired. */
    async refreshLongLivedToken(input: { accessToken: string }): Promise<LongLivedToken> {
      const res = await http({
        endpoint: 'refresh_access_token',
        method: 'GET',
        path: '/refresh_access_token',
        versioned: false,
        accessToken: input.accessToken,
        params: { grant_type: 'th_refresh_token' },
        schema: longLivedTokenSchema,
      });
      return { accessToken: res.access_token, tokenType: res.token_type, expiresIn: res.expires_in };
    },

    /** GET /debug_token: who a token belongs to, its scopes and expiry. */
    async debugToken(input: { inputToken: string; accessToken: string }): Promise<TokenInfo> {
      const res = await http({
        endpoint: 'debug_token',
        method: 'GET',
        path: '/debug_token',
        accessToken: input.accessToken,
        params: { input_token: input.inputToken },
        secrets: [input.inputToken],
        schema: debugTokenSchema,
      });
      const d = res.data;
      return {
        isValid: d.is_valid,
        userId: d.user_id ?? null,
        scopes: d.scopes,
        application: d.application ?? null,
        issuedAt: fromUnix(d.issued_at),
        expiresAt: fromUnix(d.expires_at),
      };
    },
  };
}
