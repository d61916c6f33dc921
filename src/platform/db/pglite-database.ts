import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import type { Database, Queryable } from './database.ts';

function wrap(conn: PGlite | Transaction, afterCommit?: (fn: () => void) => void): Queryable {
  return {
    async query<T>(sql: string, params?: unknown[]) {
      const result = await conn.query<T>(sql, params as unknown[] | undefined);
      return result.rows;
    },
    async exec(sql: string) {
      await conn.exec(sql);
    },
    afterCommit: afterCommit ?? ((fn) => fn()),
  };
}

/**
 * PGlite's default shared_buffers (160 MB) is a server's, held inside this process: at 32 MB the
 * idle process is ~110 MB smaller, and the pages it no longer caches are still in the OS page cache.
 */
const POSTGRESQL_CONF = 'shared_buffers=32MB';

// The parent holds the child's standard input open: once the parent is gone, the child stops
// instead of writing a directory nothing will use.
const INITDB_SCRIPT = `
process.stdin.on('end', () => process.exit(1)).resume();
const { PGlite } = await import(process.argv[1]);
const pg = await PGlite.create(process.argv[2]);
await pg.close();
process.exit(0);
`;

const PGLITE_ENTRY = import.meta.resolve('@electric-sql/pglite');
const PGLITE_ROOT = fileURLToPath(new URL('..', PGLITE_ENTRY));
const PGLITE_VERSION = (
  JSON.parse(fs.readFileSync(path.join(PGLITE_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;
/** A new database, made once per installed PGlite (node_modules/.cache/…) and copied for every data directory. */
const TEMPLATE_DIR = path.resolve(PGLITE_ROOT, `../../.cache/threads-agent/pglite-${PGLITE_VERSION}`);

/**
 * Runs initdb into `target` in a child process. PGlite's initdb runs a second PGlite in the calling
 * process and copies its files in through a tarball; the process keeps most of that memory (a first
 * start idled ~450 MB above a restart). A child that exits leaves nothing behind.
 */
async function initdb(target: string): Promise<void> {
  try {
    await promisify(execFile)(process.execPath, ['--input-type=module', '-e', INITDB_SCRIPT, PGLITE_ENTRY, target]);
  } catch (error) {
    fs.rmSync(target, { recursive: true, force: true });
    const { stderr } = error as { stderr?: string };
    throw new Error(`could not initialize the embedded database in ${target}: ${stderr?.trim() || String(error)}`);
  }
}

const isAccessError = (error: unknown) =>
  ['EACCES', 'EPERM', 'EROFS'].includes((error as NodeJS.ErrnoException).code ?? '');

/** The template's path once it exists; null when the cache cannot be written (a read-only install). */
async function template(): Promise<string | null> {
  const made = () => fs.existsSync(path.join(TEMPLATE_DIR, 'PG_VERSION'));
  if (made()) return TEMPLATE_DIR;
  const staging = `${TEMPLATE_DIR}.${process.pid}`;
  try {
    fs.rmSync(staging, { recursive: true, force: true });
    fs.mkdirSync(staging, { recursive: true });
  } catch (error) {
    // A read-only image (a container's): every new data directory runs its own initdb.
    if (isAccessError(error)) return null;
    throw error;
  }
  try {
    await initdb(staging);
    fs.renameSync(staging, TEMPLATE_DIR);
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    // Another process (tests start many) renamed its own template into place first.
    if (!made()) throw error;
  }
  return TEMPLATE_DIR;
}

/**
 * A new data directory is a copy of the template (a restart's memory, and no initdb at every first
 * start). It is written beside `dir` and renamed into place whole, so a start killed meanwhile leaves
 * no half-made database: the next one starts over.
 */
async function initializeDataDir(dir: string): Promise<void> {
  if (fs.existsSync(path.join(dir, 'PG_VERSION'))) return;
  // A directory already holding files is not one this code half-made: PGlite decides what to do with it.
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) return;
  const parent = path.dirname(dir);
  const prefix = `${path.basename(dir)}.initdb-`;
  fs.mkdirSync(parent, { recursive: true });
  // The data-directory lock is held: leftovers are from starts that died, never from one running now.
  for (const name of fs.readdirSync(parent)) {
    if (name.startsWith(prefix)) fs.rmSync(path.join(parent, name), { recursive: true, force: true, maxRetries: 5 });
  }
  const staging = path.join(parent, `${prefix}${process.pid}`);
  const source = await template();
  if (source) fs.cpSync(source, staging, { recursive: true });
  else await initdb(staging);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(staging, dir);
}

/** Embedded Postgres (WASM). `dir` undefined means in memory, for tests. */
export async function createPgliteDatabase(dir?: string): Promise<Database> {
  if (dir) await initializeDataDir(dir);
  const pg = await PGlite.create(dir ?? 'memory://', { extensions: { vector }, postgresqlconf: POSTGRESQL_CONF });
  const base = wrap(pg);
  let inFlight = 0;
  const track = async <T>(work: () => Promise<T>): Promise<T> => {
    inFlight += 1;
    try {
      return await work();
    } finally {
      inFlight -= 1;
    }
  };
  return {
    kind: 'pglite',
    query: (sql, params) => track(() => base.query(sql, params)),
    exec: (sql) => track(() => base.exec(sql)),
    afterCommit: base.afterCommit,
    transaction: (fn) =>
      track(async () => {
        const committed: (() => void)[] = [];
        const result = await pg.transaction((tx) => fn(wrap(tx, (hook) => committed.push(hook))));
        for (const hook of committed) hook();
        return result;
      }),
    // In-process: the subscription cannot drop, so it never needs re-establishing.
    async listen(channel, onNotify) {
      let open = true;
      const unsubscribe = await pg.listen(channel, (payload) => onNotify(payload));
      return {
        connected: () => open,
        async close() {
          open = false;
          await unsubscribe();
        },
      };
    },
    // One connection serves every caller; the rest wait their turn.
    poolStats: () => ({ total: 1, idle: inFlight === 0 ? 1 : 0, waiting: Math.max(0, inFlight - 1) }),
    close: () => pg.close(),
  };
}
