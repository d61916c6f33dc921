import type { ThreadsEndpoint } from '../platform/threads/index.ts';
import { GraphError, type GraphErrorFields } from './graph-error.ts';

export const FAULT_PRESETS = {
  transient: () =>
    new GraphError(500, {
      message: 'An unexpected error has occurred. Please retry your request later.',
      type: 'OAuthException',
      code: 2,
      is_transient: true,
    }),
  throttled: () =>
    new GraphError(400, {
      message: '(#4) Application request limit reached',
      type: 'OAuthException',
      code: 4,
      is_transient: true,
    }),
  auth: () =>
    new GraphError(400, {
      message:
        'Error validating access token: The session has been invalidated because the user changed their password.',
      type: 'OAuthException',
      code: 190,
      error_subcode: 460,
    }),
  permission: () =>
    new GraphError(403, { message: '(#10) Application does not have permission for this action', code: 10 }),
} as const;

export type FaultPreset = keyof typeof FAULT_PRESETS | 'bad_gateway';

export interface FaultSpec {
  endpoint: ThreadsEndpoint;
  /** How many of the next requests to that endpoint fail (or are delayed). */
  count: number;
  preset?: FaultPreset;
  /** A custom Graph error instead of a preset. */
  status?: number;
  error?: GraphErrorFields;
  /** Wait this long (real time) before answering: lets a client's timeout fire. */
  delayMs?: number;
}

/** What an injected fault makes the route do: wait, then fail with an error or an HTML gateway page, or go on. */
export interface Fault {
  delayMs: number;
  error: GraphError | null;
  badGateway: boolean;
}

export function createFaultInjector() {
  const queue: FaultSpec[] = [];
  return {
    add(spec: FaultSpec): void {
      queue.push({ ...spec });
    },
    /** Consumes one use of the first fault queued for `endpoint`. */
    take(endpoint: ThreadsEndpoint): Fault | null {
      const spec = queue.find((f) => f.endpoint === endpoint && f.count > 0);
      if (!spec) return null;
      spec.count--;
      if (spec.count === 0) queue.splice(queue.indexOf(spec), 1);
      const error =
        spec.error !== undefined
          ? new GraphError(spec.status ?? 400, spec.error)
          : spec.preset && spec.preset !== 'bad_gateway'
            ? FAULT_PRESETS[spec.preset]()
            : null;
      return { delayMs: spec.delayMs ?? 0, error, badGateway: spec.preset === 'bad_gateway' };
    },
    pending(): FaultSpec[] {
      return queue.map((f) => ({ ...f }));
    },
    clear(): void {
      queue.length = 0;
    },
  };
}

export type FaultInjector = ReturnType<typeof createFaultInjector>;
