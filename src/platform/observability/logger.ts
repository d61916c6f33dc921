import pino, { type Logger } from 'pino';
import { activeLogFields } from './log-context.ts';

/** Keys whose values are secrets, wherever they sit in a logged object (up to three levels deep). */
const SECRET_KEYS = [
  'authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'token',
  'accessToken',
  'access_token',
  'access_token_encrypted',
  'refreshToken',
  'refresh_token',
  'apiKey',
  'api_key',
  'password',
  'secret',
  'clientSecret',
  'client_secret',
  'OPENAI_API_KEY',
  'API_ADMIN_TOKEN',
  'appSecret',
  'app_secret',
  'THREADS_APP_SECRET',
  'inputToken',
  'input_token',
  'tokenEncryptionKey',
  'TOKEN_ENCRYPTION_KEY',
];

/** Paths pino blanks out wherever they appear, so secrets never reach the logs. */
export const REDACTED_PATHS = SECRET_KEYS.map((key) => (/^\w+$/.test(key) ? `.${key}` : `["${key}"]`)).flatMap(
  (step) => [step.replace(/^\./, ''), `*${step}`, `*.*${step}`],
);

/** JSON logs; a line written inside a request or a job carries trace_id, span_id and request_id or job_id. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, mixin: activeLogFields },
    destination ?? pino.destination(1),
  );
}
