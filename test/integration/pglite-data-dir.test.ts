import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPgliteDatabase } from '../../src/platform/db/pglite-database.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ta-pglite-dir-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

// The first open initializes the directory in a child process (see initializeDataDir).
describe('the embedded database directory', () => {
  it('is initialized on the first open, keeps its data on the next, and leaves nothing beside it', async () => {
    const parent = tempDir();
    const dir = path.join(parent, 'pglite');
    const first = await createPgliteDatabase(dir);
    await first.exec('CREATE EXTENSION IF NOT EXISTS vector; CREATE TABLE kept (v text)');
    await first.query('INSERT INTO kept VALUES ($1)', ['written on the first start']);
    await first.close();
    expect(fs.readdirSync(parent)).toEqual(['pglite']);

    const again = await createPgliteDatabase(dir);
    expect(await again.query<{ v: string }>('SELECT v FROM kept')).toEqual([{ v: 'written on the first start' }]);
    await again.close();
  }, 180_000);

  it('starts over after a first start that died while initializing', async () => {
    const parent = tempDir();
    const dir = path.join(parent, 'pglite');
    // What a start killed meanwhile leaves: a half-written staging directory and an empty data directory.
    const leftover = path.join(parent, 'pglite.initdb-999999');
    fs.mkdirSync(path.join(leftover, 'base'), { recursive: true });
    fs.writeFileSync(path.join(leftover, 'PG_VERSION'), '17\n');
    fs.mkdirSync(dir);

    const db = await createPgliteDatabase(dir);
    expect(await db.query<{ n: number }>('SELECT 1 AS n')).toEqual([{ n: 1 }]);
    await db.close();
    expect(fs.readdirSync(parent)).toEqual(['pglite']);
    expect(fs.existsSync(path.join(dir, 'PG_VERSION'))).toBe(true);
  }, 180_000);
});
