import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NEW_POST_STATUSES, POST_STATUSES, POST_TRANSITIONS } from '../../src/posts/post-lifecycle.ts';

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return full.endsWith('.ts') ? [full] : [];
  });
}

describe('the post lifecycle', () => {
  it('moves only between known statuses, and every status but the new ones is entered by a transition', () => {
    const entered = new Set<string>(NEW_POST_STATUSES);
    for (const [name, { from, to }] of Object.entries(POST_TRANSITIONS)) {
      expect(POST_STATUSES, name).toContain(to);
      for (const status of from) expect(POST_STATUSES, name).toContain(status);
      entered.add(to);
    }
    expect([...entered].sort()).toEqual([...POST_STATUSES].sort());
  });

  it('leaves published, failed and rejected posts alone: no transition starts there', () => {
    const left = new Set(Object.values(POST_TRANSITIONS).flatMap((t) => [...t.from]));
    for (const terminal of ['published', 'failed', 'rejected']) expect(left.has(terminal as never)).toBe(false);
  });

  it('is the only place a post status is written: no UPDATE of posts sets a status literal', () => {
    // Every SQL text of the product: UPDATEs of posts, and the SET fragments the posts domain passes around.
    const writes = sourceFiles('src').flatMap((file) =>
      (fs.readFileSync(file, 'utf8').match(/`[^`]*`/g) ?? [])
        .filter(
          (sql) => sql.includes('UPDATE posts') || (file.startsWith('src/posts/') && sql.startsWith('`status = ')),
        )
        .map((sql) => ({ file, sql })),
    );
    expect(writes.length).toBeGreaterThan(5);
    const literal = writes.filter(({ sql }) => /(?:\bSET\s+|,\s*|`)status = '[a-z]/.test(sql));
    expect(literal).toEqual([]);
  });
});
