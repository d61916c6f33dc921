import type { FastifyInstance } from 'fastify';
import { newTraceId } from './sim-ids.ts';

export interface GraphErrorFields {
  message: string;
  type?: 'THApiException' | 'OAuthException';
  code: number;
  error_subcode?: number;
  error_user_title?: string;
  error_user_msg?: string;
  is_transient?: boolean;
}

/** A Graph API failure as Meta sends it: the `{"error":{...}}` envelope, or the flat OAuth shape. */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly fields: GraphErrorFields,
    readonly shape: 'envelope' | 'flat' = 'envelope',
  ) {
    super(fields.message);
  }

  toBody(): Record<string, unknown> {
    if (this.shape === 'flat') {
      return {
        error_type: this.fields.type ?? 'OAuthException',
        code: this.fields.code,
        error_message: this.fields.message,
      };
    }
    return { error: { type: 'THApiException', ...this.fields, fbtrace_id: newTraceId() } };
  }
}

const pacificTime = (ms: number) =>
  new Date(ms).toLocaleString('en-US', { timeZone: 'America/Los_Angeles', dateStyle: 'full', timeStyle: 'long' });

export const graphErrors = {
  badParam: (message: string, subcode?: number) =>
    new GraphError(400, { message, code: 100, ...(subcode ? { error_subcode: subcode } : {}) }),
  objectNotFound: (id: string, method = 'get') =>
    new GraphError(400, {
      message: `Unsupported ${method} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
      code: 100,
      error_subcode: 33,
    }),
  unknownPath: (path: string) =>
    new GraphError(400, { message: `Unknown path components: ${path}`, type: 'OAuthException', code: 2500 }),
  noToken: () =>
    new GraphError(400, {
      message: 'An active access token must be used to query information about the current user.',
      type: 'OAuthException',
      code: 2500,
    }),
  invalidToken: () =>
    new GraphError(400, {
      message: 'Invalid OAuth access token - Cannot parse access token',
      type: 'OAuthException',
      code: 190,
    }),
  expiredToken: (expiredAt: number, now: number) =>
    new GraphError(400, {
      message: `Error validating access token: Session has expired on ${pacificTime(expiredAt)}. The current time is ${pacificTime(now)}.`,
      type: 'OAuthException',
      code: 190,
      error_subcode: 463,
    }),
  missingScope: (scope: string) =>
    new GraphError(403, {
      message: `(#10) Application does not have permission for this action: the token lacks the ${scope} permission`,
      code: 10,
      error_user_title: 'Missing permission',
      error_user_msg: `This action requires the ${scope} permission.`,
    }),
  notReady: () =>
    new GraphError(400, {
      message: 'The requested resource does not exist',
      type: 'OAuthException',
      code: 24,
      error_subcode: 4279009,
    }),
  // Meta does not document this one; Instagram's publishing-limit error is the model (see docs/simulator.md).
  quotaExceeded: (what: 'posts' | 'replies', total: number) =>
    new GraphError(400, {
      message: `Application request limit reached: at most ${total} ${what} per rolling 24 hours`,
      code: 9,
      error_subcode: 2207042,
      is_transient: false,
      error_user_title: 'Publishing limit reached',
      error_user_msg: `This profile has published ${total} ${what} in the last 24 hours.`,
    }),
  oauth: (message: string) => new GraphError(400, { message, type: 'OAuthException', code: 400 }, 'flat'),
  oauthEnvelope: (message: string, code = 100) => new GraphError(400, { message, type: 'OAuthException', code }),
};

/** An injected upstream failure: a proxy's HTML page instead of JSON. */
export class BadGatewayError extends Error {}

/** One error handler, so every failure leaves the simulator in one of Meta's two shapes. */
export function registerGraphErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof GraphError) return reply.status(error.status).send(error.toBody());
    if (error instanceof BadGatewayError) {
      return reply.status(502).type('text/html').send('<html><body><h1>502 Bad Gateway</h1></body></html>');
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      return reply.status(400).send(graphErrors.badParam((error as Error).message).toBody());
    }
    app.log.error({ err: error }, 'threads-sim: unexpected error');
    return reply.status(500).send(
      new GraphError(500, {
        message: 'An unknown error has occurred.',
        type: 'OAuthException',
        code: 1,
        is_transient: true,
      }).toBody(),
    );
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? request.url;
    return reply.status(400).send(graphErrors.unknownPath(path).toBody());
  });
}
