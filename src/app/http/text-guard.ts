import type { FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.ts';

/** Deeper than any documented input; past it a body is refused before anything walks it. */
const MAX_DEPTH = 32;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

type Part = 'body' | 'querystring' | 'params';

function problemOf(text: string): string | null {
  if (text.includes('\u0000')) return 'contains a NUL byte (\\u0000), which text fields cannot hold';
  if (LONE_SURROGATE.test(text)) return 'contains a lone UTF-16 surrogate; send valid Unicode text';
  return null;
}

function refuse(part: Part, path: string[], message: string): never {
  const where = [part, ...path].join('.');
  throw new AppError('bad_request', `invalid ${where}: ${message}`, [{ in: part, path: path.join('.'), message }]);
}

function scan(part: Part, value: unknown, path: string[]): void {
  if (typeof value === 'string') {
    const problem = problemOf(value);
    if (problem) refuse(part, path, problem);
    return;
  }
  if (!value || typeof value !== 'object') return;
  if (path.length >= MAX_DEPTH) refuse(part, path, `is nested more than ${MAX_DEPTH} levels deep`);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) scan(part, value[i], [...path, String(i)]);
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    const problem = problemOf(key);
    if (problem)
      refuse(
        part,
        [...path, key.replaceAll('\u0000', '?').replace(/[\uD800-\uDFFF]/g, '?')],
        `has a key that ${problem}`,
      );
    scan(part, item, [...path, key]);
  }
}

/**
 * The one check every route's text passes before its schema: PostgreSQL cannot store a NUL byte
 * or a lone surrogate in text or jsonb (errors 22021, 22P05), so such input is refused here with
 * a 400 that names the field, instead of failing deep in a query. Headers need no scan: Node's
 * parser refuses a NUL, and a header cannot carry a surrogate.
 */
export async function refuseUnstorableText(request: FastifyRequest): Promise<void> {
  scan('params', request.params, []);
  scan('querystring', request.query, []);
  scan('body', request.body, []);
}
