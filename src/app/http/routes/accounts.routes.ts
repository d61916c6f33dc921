import { z } from 'zod';
import type { AccountsService } from '../../../accounts/index.ts';
import { AppError } from '../../../platform/errors.ts';
import type { HttpServer } from '../http-server.ts';
import { errorSchema, idParams } from '../schemas.ts';

/** Reached by the user's browser coming back from Threads, without a bearer token: the state authenticates it. */
export const OAUTH_CALLBACK_ROUTE = '/v1/threads/oauth/callback';

/** The linked account as the API shows it: never the token. */
const accountSchema = z.object({
  id: z.uuid(),
  persona_id: z.uuid(),
  threads_user_id: z.string(),
  username: z.string().nullable(),
  status: z.enum(['active', 'paused']),
  status_reason: z.string().nullable().describe('why the account is paused, and how to resume it'),
  token_expires_at: z.string().nullable().describe('null when unknown (a pasted token without THREADS_APP_ID/SECRET)'),
  token_refreshed_at: z.string().nullable(),
  scopes: z.array(z.string()),
  created_at: z.string(),
  updated_at: z.string(),
});

const connectSchema = z.object({
  authorize_url: z.string().describe('send the user here; Threads redirects back to THREADS_REDIRECT_URI'),
  state: z.string(),
  expires_at: z.string().describe('the state is accepted once, until then'),
});

const callbackQuery = z.object({
  state: z.string().min(1).max(200),
  code: z.string().min(1).max(2000).optional(),
  error: z.string().max(200).optional(),
  error_reason: z.string().max(200).optional(),
  error_description: z.string().max(1000).optional(),
});

const linkedSchema = z.object({
  persona_id: z.uuid(),
  persona_slug: z.string(),
  threads_user_id: z.string(),
  username: z.string().nullable(),
  message: z.string(),
});

export function registerAccountRoutes(app: HttpServer, accounts: AccountsService) {
  const tags = ['threads accounts'];
  app.post('/v1/personas/:id/threads-account/connect', {
    schema: {
      tags,
      summary: 'Start linking a Threads account through OAuth: returns the consent-screen URL',
      params: idParams,
      response: { 200: connectSchema, 404: errorSchema, 409: errorSchema },
    },
    handler: (request) => accounts.startConnect(request.params.id),
  });
  app.get(OAUTH_CALLBACK_ROUTE, {
    schema: {
      tags,
      summary: "Threads redirects here after consent (THREADS_REDIRECT_URI); links the account of the state's persona",
      security: [],
      querystring: callbackQuery,
      response: { 200: linkedSchema, 400: errorSchema, 404: errorSchema, 422: errorSchema, 503: errorSchema },
    },
    handler: async (request) => {
      const { state, code, error, error_reason, error_description } = request.query;
      if (!code && !error) throw new AppError('bad_request', 'the callback needs a code or an error from Threads');
      const { persona, account } = await accounts.finishConnect(
        code
          ? { state, code }
          : { state, error: error!, errorReason: error_reason, errorDescription: error_description },
      );
      return {
        persona_id: persona.id,
        persona_slug: persona.slug,
        threads_user_id: account.threads_user_id,
        username: account.username,
        message: `Threads account @${account.username ?? account.threads_user_id} is linked to persona ${persona.slug}`,
      };
    },
  });
  app.put('/v1/personas/:id/threads-account', {
    schema: {
      tags,
      summary: 'Link a Threads account with a long-lived access token (checked with Threads first)',
      params: idParams,
      body: z.object({ access_token: z.string().trim().min(10).max(2000) }).strict(),
      response: { 200: accountSchema, 404: errorSchema, 409: errorSchema, 422: errorSchema, 503: errorSchema },
    },
    handler: (request) => accounts.linkWithToken(request.params.id, request.body.access_token),
  });
  app.get('/v1/personas/:id/threads-account', {
    schema: {
      tags,
      summary: "The persona's Threads account: status, username, token expiry and scopes",
      params: idParams,
      response: { 200: accountSchema, 404: errorSchema },
    },
    handler: (request) => accounts.getAccount(request.params.id),
  });
  app.delete('/v1/personas/:id/threads-account', {
    schema: {
      tags,
      summary:
        "Unlink the persona's Threads account: wipes the stored token and stops publishing and collection (its follower history is kept)",
      params: idParams,
      response: { 204: z.null(), 404: errorSchema },
    },
    handler: async (request, reply) => {
      await accounts.unlinkAccount(request.params.id);
      return reply.code(204).send(null);
    },
  });
}
