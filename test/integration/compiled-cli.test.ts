import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPersonaLibrary } from '../../src/personas/library.ts';
import { runCli } from '../support/child-process.ts';

// What `npm install` builds (scripts/build.mjs), built afresh into a folder of its own: inside
// node_modules, so the bundle finds its packages as dist/ does.
const outdir = path.join('node_modules', '.cache', 'threads-agent', `dist-test-${randomBytes(4).toString('hex')}`);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'threads-agent-dist-'));
const entry = path.join(outdir, 'cli.js');

beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build.mjs', outdir], { stdio: 'pipe' });
});
afterAll(() => {
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the compiled CLI', () => {
  it('prints its help without loading a role', async () => {
    const { code, output } = await runCli(['--help'], {}, 20_000, entry);
    expect(code).toBe(0);
    for (const command of ['all', 'api', 'worker', 'sim', 'generate', 'token', 'migrate'])
      expect(output).toContain(command);
  });

  it('migrates, loads the persona library and generates a post from dist alone', async () => {
    const slug = loadPersonaLibrary()[0]!.slug;
    const { code, output } = await runCli(
      ['generate', '--persona', slug, '--variants', '1'],
      { DATA_DIR: dataDir },
      90_000,
      entry,
    );
    expect(output, output).toContain('\ndone\n');
    expect(output.match(/^--- post /gm)).toHaveLength(1);
    expect(code).toBe(0);
  });
});
