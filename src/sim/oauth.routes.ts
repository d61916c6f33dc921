import type { FastifyInstance } from 'fastify';
import { ALL_SCOPES, createSimUser, expiresIn, findUserByUsername, issueToken } from './sim-accounts.ts';
import { applyFault, presentedToken, readParams, validToken } from './sim-auth.ts';
import { AUTH_CODE_TTL_MS, DAY_MS, type SimContext } from './sim-context.ts';
import { graphErrors } from './graph-error.ts';
import { newAuthCode } from './sim-ids.ts';

/** The simulated consent screen signs in as this user unless `sim_username` names another. */
export const DEFAULT_OAUTH_USERNAME = 'threads_sim_user';

function checkRedirectUri(ctx: SimContext, redirectUri: string | undefined): string {
  if (!redirectUri) throw graphErrors.badParam('Param redirect_uri is required.');
  const registered = ctx.settings.redirectUris;
  if (registered && !registered.includes(redirectUri))
    throw graphErrors.badParam('Invalid redirect_uri: it is not registered for this app.');
  return redirectUri;
}

export function registerOauthRoutes(app: FastifyInstance, ctx: SimContext): void {
  // A token the caller will store is on disk before the answer: a crash must not leave it unknown here.
  const durable = async () => {
    await ctx.store.flush();
  };
  // Consent is given at once (or refused with sim_deny=1): the browser lands back on redirect_uri.
  app.get('/oauth/authorize', async (request, reply) => {
    const p = readParams(request);
    if (p.client_id !== ctx.settings.appId) throw graphErrors.badParam('Invalid platform app');
    const redirectUri = checkRedirectUri(ctx, p.redirect_uri);
    if (p.response_type !== 'code') throw graphErrors.badParam('Param response_type must be code.');
    const scopes = (p.scope ?? '').split(/[\s,]+/).filter(Boolean);
    const unknown = scopes.filter((s) => !(ALL_SCOPES as readonly string[]).includes(s));
    if (unknown.length > 0) throw graphErrors.badParam(`Invalid Scopes: ${unknown.join(', ')}`);
    if (!scopes.includes('threads_basic')) throw graphErrors.badParam('Invalid Scopes: threads_basic is required.');

    const back = new URL(redirectUri);
    if (p.state !== undefined) back.searchParams.set('state', p.state);
    if (p.sim_deny === '1' || p.sim_deny === 'true') {
      back.searchParams.set('error', 'access_denied');
      back.searchParams.set('error_reason', 'user_denied');
      back.searchParams.set('error_description', 'Permissions error');
      return reply.redirect(back.toString(), 302);
    }
    const username = p.sim_username ?? DEFAULT_OAUTH_USERNAME;
    const user = findUserByUsername(ctx, username) ?? createSimUser(ctx, { username });
    const code = newAuthCode();
    ctx.state.codes[code] = {
      userId: user.id,
      scopes,
      redirectUri,
      expiresAt: ctx.now() + AUTH_CODE_TTL_MS,
      used: false,
    };
    ctx.store.changed();
    back.searchParams.set('code', code);
    return reply.redirect(`${back.toString()}#_`, 302);
  });

  app.post('/oauth/access_token', { onSend: durable }, async (request, reply) => {
    await applyFault(ctx, 'oauth_access_token');
    const p = readParams(request);
    if (p.grant_type !== 'authorization_code')
      throw graphErrors.oauth('Unsupported grant_type: use authorization_code');
    if (p.client_id !== ctx.settings.appId)
      throw graphErrors.oauth('Error validating application. Invalid application ID.');
    if (p.client_secret !== ctx.settings.appSecret) throw graphErrors.oauth('Error validating client secret.');
    const code = ctx.state.codes[(p.code ?? '').replace(/#_$/, '')];
    if (!code || code.used) throw graphErrors.oauth('Matching code was not found or was already used');
    if (ctx.now() >= code.expiresAt) throw graphErrors.oauth('This authorization code has expired.');
    if (p.redirect_uri !== code.redirectUri) {
      throw graphErrors.oauth(
        'Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request',
      );
    }
    code.used = true;
    const { accessToken } = issueToken(ctx, code.userId, code.scopes, 'short');
    if (ctx.settings.numericOAuthUserId) {
      // Meta's literal: a bare number too large for a double, which JSON.stringify cannot write.
      return reply
        .type('application/json')
        .send(`{"access_token":${JSON.stringify(accessToken)},"user_id":${code.userId}}`);
    }
    return { access_token: accessToken, user_id: code.userId };
  });

  app.get('/access_token', { onSend: durable }, async (request) => {
    await applyFault(ctx, 'access_token');
    const p = readParams(request);
    if (p.grant_type !== 'th_exchange_token')
      throw graphErrors.oauthEnvelope('Unsupported grant_type: use th_exchange_token');
    if (p.client_secret !== ctx.settings.appSecret)
      throw graphErrors.oauthEnvelope('Error validating client secret.', 1);
    const token = validToken(ctx, presentedToken(request, p));
    if (token.kind !== 'short')
      throw graphErrors.oauthEnvelope('Only a short-lived token can be exchanged; refresh long-lived tokens instead.');
    const issued = issueToken(ctx, token.userId, token.scopes, 'long');
    return { access_token: issued.accessToken, token_type: 'bearer', expires_in: expiresIn(ctx, issued.token) };
  });

  app.get('/refresh_access_token', { onSend: durable }, async (request) => {
    await applyFault(ctx, 'refresh_access_token');
    const p = readParams(request);
    if (p.grant_type !== 'th_refresh_token')
      throw graphErrors.oauthEnvelope('Unsupported grant_type: use th_refresh_token');
    const token = validToken(ctx, presentedToken(request, p));
    if (token.kind !== 'long') throw graphErrors.oauthEnvelope('Only a long-lived token can be refreshed.');
    if (ctx.now() - token.issuedAt < DAY_MS) {
      throw graphErrors.oauthEnvelope('The access token must be at least 24 hours old to be refreshed.');
    }
    const issued = issueToken(ctx, token.userId, token.scopes, 'long');
    return { access_token: issued.accessToken, token_type: 'bearer', expires_in: expiresIn(ctx, issued.token) };
  });

  app.get('/v1.0/debug_token', async (request) => {
    await applyFault(ctx, 'debug_token');
    const p = readParams(request);
    validToken(ctx, presentedToken(request, p));
    if (!p.input_token) throw graphErrors.badParam('Param input_token is required.');
    const target = ctx.state.tokens[p.input_token];
    const base = { type: 'USER', application: ctx.settings.appName, app_id: ctx.settings.appId };
    if (!target) {
      return {
        data: {
          ...base,
          is_valid: false,
          scopes: [],
          error: { code: 190, message: 'Invalid OAuth access token - Cannot parse access token' },
        },
      };
    }
    return {
      data: {
        ...base,
        expires_at: Math.floor(target.expiresAt / 1000),
        issued_at: Math.floor(target.issuedAt / 1000),
        is_valid: ctx.now() < target.expiresAt,
        scopes: target.scopes,
        user_id: target.userId,
      },
    };
  });
}
