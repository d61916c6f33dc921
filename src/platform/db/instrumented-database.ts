import { SpanKind } from '@opentelemetry/api';
import { type Metrics, inSpan, isRecordingSpan } from '../observability/index.ts';
import type { Database, Queryable } from './database.ts';

const OPERATIONS = new Set([
  'select',
  'insert',
  'update',
  'delete',
  'with',
  'begin',
  'commit',
  'rollback',
  'create',
  'alter',
  'drop',
  'truncate',
  'lock',
  'set',
  'do',
]);

/** A bounded label: the statement's first keyword (after comments), or `other`. */
export function operationOf(sql: string): string {
  const word = /^(?:\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*(\w+)/.exec(sql)?.[1]?.toLowerCase();
  return word && OPERATIONS.has(word) ? word : 'other';
}

/**
 * Times every statement into db_query_duration_seconds{operation}, and inside a traced request
 * or job adds a client span with the statement text (parameters are never recorded). Statements
 * outside any trace, like the queue's polling, get no span: a root trace each would be noise.
 */
export function instrumentDatabase(db: Database, metrics: Pick<Metrics, 'dbQueryDuration'>): Database {
  const measure = <T>(sql: string, run: () => Promise<T>): Promise<T> => {
    const operation = operationOf(sql);
    const stop = metrics.dbQueryDuration.startTimer({ operation });
    const timed = () => run().finally(() => stop());
    if (!isRecordingSpan()) return timed();
    const attributes = {
      'db.system.name': 'postgresql',
      'db.operation.name': operation,
      'db.query.text': sql.length > 2000 ? `${sql.slice(0, 2000)}…` : sql,
    };
    return inSpan(`db ${operation}`, attributes, timed, { kind: SpanKind.CLIENT });
  };
  const wrap = (q: Queryable): Queryable => ({
    query: <T>(sql: string, params?: unknown[], options?: { prepared?: boolean }) =>
      measure(sql, () => q.query<T>(sql, params, options)),
    exec: (sql: string) => measure(sql, () => q.exec(sql)),
    afterCommit: q.afterCommit?.bind(q),
  });
  const base = wrap(db);
  return {
    ...db,
    query: base.query,
    exec: base.exec,
    afterCommit: base.afterCommit,
    transaction: (fn) =>
      isRecordingSpan()
        ? inSpan('db transaction', { 'db.system.name': 'postgresql' }, () => db.transaction((tx) => fn(wrap(tx))), {
            kind: SpanKind.CLIENT,
          })
        : db.transaction((tx) => fn(wrap(tx))),
  };
}
