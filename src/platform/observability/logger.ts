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

/**
 * Replaces every configured secret wherever it stands in a text, as itself or JSON-escaped: keys
 * echoed in a provider's error body reach a log line under any field name.
 */
export function createSecretMask(secrets: readonly (string | undefined)[]): (text: string) => string {
  const values = [...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length >= 8))];
  const forms = values.flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]).sort((a, b) => b.length - a.length);
  if (forms.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const form of forms) if (out.includes(form)) out = out.replaceAll(form, '[redacted]');
    return out;
  };
}

/**
 * JSON logs; a line written inside a request or a job carries trace_id, span_id and request_id or job_id.
 * Secret fields are redacted by key, and the configured secrets by value on every line written.
 */
export function createLogger(
  level: string,
  destination?: pino.DestinationStream,
  secrets: readonly (string | undefined)[] = [],
): Logger {
  const mask = createSecretMask(secrets);
  return pino(
    {
      level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      mixin: activeLogFields,
      hooks: { streamWrite: mask },
    },
    destination ?? pino.destination(1),
  );
}
