import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { SimState } from './sim-state.ts';

const record = z.record(z.string(), z.looseObject({}));
const stateFileSchema = z.looseObject({
  version: z.literal(1),
  nextSeq: z.number().int().positive(),
  lastNow: z.number(),
  users: record,
  tokens: record,
  codes: record,
  containers: record,
  media: record,
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A simulator killed between writing its temporary file and renaming it leaves that file behind. */
function removeAbandonedTemporaryFiles(file: string): void {
  const dir = path.dirname(file);
  if (!existsSync(dir)) return;
  const prefix = `${path.basename(file)}.`;
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(name.slice(prefix.length, -'.tmp'.length));
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !isRunning(pid))
      rmSync(path.join(dir, name), { force: true });
  }
}

/** The saved state, or null when there is no file yet; a file from something else is an error, not a reset. */
export function loadStateFile(file: string): SimState | null {
  removeAbandonedTemporaryFiles(file);
  if (!existsSync(file)) return null;
  const parsed = stateFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success)
    throw new Error(`${file} is not a threads-sim state file (version 1): ${parsed.error.issues[0]?.message}`);
  return parsed.data as unknown as SimState;
}

/**
 * Writes the state at most once per `debounceMs`, atomically (temporary file, then rename), so a crash
 * leaves either the old or the new file. Without a file, changes stay in memory.
 */
export function createStateStore(file: string | undefined, getState: () => SimState, debounceMs: number) {
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();

  const write = () => {
    timer = null;
    if (!file) return writing;
    const json = JSON.stringify(getState());
    const tmp = `${file}.${process.pid}.tmp`;
    writing = writing
      .then(async () => {
        await mkdir(path.dirname(file), { recursive: true });
        // Owner-only: the file holds the simulated accounts' tokens in clear.
        await writeFile(tmp, json, { mode: 0o600 });
        await rename(tmp, file);
      })
      .catch((error: unknown) => {
        process.emitWarning(
          `threads-sim could not save ${file}: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
    return writing;
  };

  return {
    changed(): void {
      if (!file || timer) return;
      timer = setTimeout(write, debounceMs);
      timer.unref();
    },
    /** Writes pending changes now; call on shutdown. */
    async flush(): Promise<void> {
      if (timer) {
        clearTimeout(timer);
        await write();
      }
      await writing;
    },
  };
}

export type StateStore = ReturnType<typeof createStateStore>;
