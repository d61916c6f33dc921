import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { handleError } from './error-handler.ts';
import { createResponseSerializerCompiler } from './response-serializer.ts';
import { refuseUnstorableText } from './text-guard.ts';

export type HttpServer = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** A hop count as the function Fastify takes (its types do not list numbers): the nearest `hops` proxies are trusted. */
function trustedHops(trust: boolean | number | string[]) {
  return typeof trust === 'number' ? (_address: string, hop: number) => hop < trust : trust;
}

/** A Fastify app with zod schemas and the JSON error shape every server of the product answers with. */
export function createHttpServer(
  logger: Logger,
  options: { validateResponses?: boolean; trustProxy?: boolean | number | string[] } = {},
): HttpServer {
  const app = Fastify({
    trustProxy: trustedHops(options.trustProxy ?? false),
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: 256 * 1024,
    // Requests are measured by the latency histogram; a log line each would drown the logs.
    logController: new LogController({ disableRequestLogging: true }),
    requestIdHeader: 'x-request-id',
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(createResponseSerializerCompiler({ validate: options.validateResponses ?? false }));
  app.setErrorHandler(handleError);
  app.addHook('preValidation', refuseUnstorableText);
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send({ error: { code: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` } }),
  );
  return app;
}
