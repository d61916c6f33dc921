import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ZodError } from 'zod';
import { AppError, ERROR_STATUS } from '../../platform/errors.ts';

const CLIENT_ERROR_CODES: Record<number, string> = {
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

function send(reply: FastifyReply, status: number, code: string, message: string, details?: unknown) {
  return reply.code(status).send({ error: { code, message, ...(details === undefined ? {} : { details }) } });
}

/** The one place errors become HTTP answers: 4xx say what to fix; anything unexpected is a logged, generic 500. */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof AppError) return send(reply, ERROR_STATUS[error.code], error.code, error.message, error.details);
  if (hasZodFastifySchemaValidationErrors(error)) {
    const details = error.validation.map((issue) => ({
      in: error.validationContext,
      path: issue.instancePath.replace(/^\//, '').replaceAll('/', '.'),
      message: issue.message,
    }));
    const first = details[0];
    const where = first ? `${first.in}${first.path ? `.${first.path}` : ''}` : 'request';
    return send(
      reply,
      400,
      'bad_request',
      `invalid ${where}: ${first?.message ?? 'does not match the schema'}`,
      details,
    );
  }
  if (error instanceof ZodError) {
    const details = error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
    return send(reply, 400, 'bad_request', `invalid request: ${details[0]?.path} ${details[0]?.message}`, details);
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500)
    return send(reply, status, CLIENT_ERROR_CODES[status] ?? 'bad_request', error.message);
  request.log.error({ err: error }, 'unhandled error');
  return send(reply, 500, 'internal', 'internal error; the request id is in the logs', { request_id: request.id });
}
