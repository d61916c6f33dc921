import pg from 'pg';
import type { Listener } from './database.ts';

const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 5_000;

/**
 * LISTEN on a connection of its own (a pooled one would be handed to other queries), re-established
 * with backoff whenever the server goes away; each (re)connection is announced as `onNotify(null)`.
 */
export async function listenPostgres(
  url: string,
  channel: string,
  onNotify: (payload: string | null) => void,
): Promise<Listener> {
  let closed = false;
  let client: pg.Client | null = null;
  let retryMs = RETRY_MIN_MS;
  let retryTimer: NodeJS.Timeout | undefined;

  async function connect(): Promise<void> {
    const candidate = new pg.Client({ connectionString: url, keepAlive: true });
    // A lost connection surfaces as 'end' below; the error itself must not reach the process.
    candidate.on('error', () => {});
    try {
      await candidate.connect();
      await candidate.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch {
      await candidate.end().catch(() => {});
      scheduleReconnect();
      return;
    }
    if (closed) {
      await candidate.end().catch(() => {});
      return;
    }
    client = candidate;
    retryMs = RETRY_MIN_MS;
    candidate.on('notification', (message) => onNotify(message.payload ?? ''));
    candidate.once('end', () => {
      client = null;
      if (!closed) scheduleReconnect();
    });
    onNotify(null);
  }

  function scheduleReconnect() {
    if (closed) return;
    retryTimer = setTimeout(() => void connect(), retryMs);
    retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
  }

  await connect();
  return {
    connected: () => client !== null,
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      await client?.end().catch(() => {});
      client = null;
    },
  };
}
