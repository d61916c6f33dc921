import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The simulator is an outside judge: it reads nothing of the product but the public Threads shapes,
 * and the product reaches it only through its front door, for starting it, never for its judgement.
 */
const SRC = path.resolve(import.meta.dirname, '../../src');
const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts'))
  .map((f) => path.join(SRC, f));
const dirOf = (marker: string) => {
  const hit = files.find((f) => path.basename(f) === marker);
  if (!hit) throw new Error(`no ${marker} under src/`);
  return path.dirname(hit);
};
const SIM = dirOf('threads-simulator.ts');
const THREADS = dirOf('threads-endpoints.ts');
const SIM_INDEX = path.join(SIM, 'index.ts');
const inside = (file: string, dir: string) => file === dir || file.startsWith(dir + path.sep);

/** What a product module may take from the simulator: how to start it and its clocks. */
const LAUNCH_API = new Set([
  'buildThreadsSimulator',
  'startThreadsSimulator',
  'RunningSimulator',
  'ThreadsSimulatorOptions',
  'createManualClock',
  'createOffsetClock',
  'SimClock',
]);

interface Import {
  names: string[];
  target: string;
}

/** Static imports and re-exports (with the names they bring) and dynamic imports of relative paths. */
function importsOf(file: string, source: string): Import[] {
  const out: Import[] = [];
  const resolve = (spec: string) => (spec.startsWith('.') ? path.resolve(path.dirname(file), spec) : spec);
  for (const m of source.matchAll(/^\s*(?:import|export)\s+(type\s+)?([^;]*?)\s*from\s*['"]([^'"]+)['"]/gms)) {
    const braces = /\{([^}]*)\}/.exec(m[2] ?? '');
    const names = braces
      ? braces[1]!
          .split(',')
          .map(
            (n) =>
              n
                .trim()
                .replace(/^type\s+/, '')
                .split(/\s+as\s+/)[0]!,
          )
          .filter(Boolean)
      : ['*'];
    out.push({ names, target: resolve(m[3]!) });
  }
  // `const { a, b } = await import('…')` brings a and b; any other dynamic import, everything.
  for (const m of source.matchAll(/(?:const\s+\{([^}]*)\}\s*=\s*await\s+)?\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    const names = m[1]
      ? m[1]
          .split(',')
          .map((n) => n.trim().split(/\s*:\s*/)[0]!)
          .filter(Boolean)
      : ['*'];
    out.push({ names, target: resolve(m[2]!) });
  }
  return out;
}

const relative = (f: string) => path.relative(SRC, f);

describe('simulator boundary', () => {
  it('finds imports, re-exports and dynamic imports (so the checks below can fail)', () => {
    const file = path.join(SRC, 'x', 'y.ts');
    const found = importsOf(
      file,
      "import { a, type B as C } from '../sim/judge-post.ts';\nexport { d } from './z.ts';\nconst m = await import('../sim/index.ts');\nconst { e } = await import('../sim/index.ts');\nimport z from 'zod';",
    );
    expect(found).toEqual([
      { names: ['a', 'B'], target: path.join(SRC, 'sim', 'judge-post.ts') },
      { names: ['d'], target: path.join(SRC, 'x', 'z.ts') },
      { names: ['*'], target: 'zod' },
      { names: ['*'], target: path.join(SRC, 'sim', 'index.ts') },
      { names: ['e'], target: path.join(SRC, 'sim', 'index.ts') },
    ]);
  });

  it('the simulator imports nothing from src/ outside itself and the Threads client types', () => {
    const bad: string[] = [];
    for (const file of files.filter((f) => inside(f, SIM))) {
      for (const imp of importsOf(file, readFileSync(file, 'utf8'))) {
        if (!path.isAbsolute(imp.target)) continue;
        if (!inside(imp.target, SIM) && !inside(imp.target, THREADS))
          bad.push(`${relative(file)} → ${relative(imp.target)}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('the product reaches the simulator only through its index, and only to start it', () => {
    const bad: string[] = [];
    let launchers = 0;
    for (const file of files.filter((f) => !inside(f, SIM))) {
      for (const imp of importsOf(file, readFileSync(file, 'utf8'))) {
        if (!path.isAbsolute(imp.target) || !inside(imp.target, SIM)) continue;
        if (imp.target !== SIM_INDEX) bad.push(`${relative(file)} → ${relative(imp.target)}`);
        for (const name of imp.names)
          if (!LAUNCH_API.has(name)) bad.push(`${relative(file)} takes ${name} from the simulator`);
        launchers++;
      }
    }
    expect(bad).toEqual([]);
    expect(launchers).toBeGreaterThan(0);
  });
  it('the product never asks the simulator for an audience taste or the plans of posts', () => {
    const peeks: string[] = [];
    for (const file of files.filter((f) => !inside(f, SIM))) {
      for (const [i, line] of readFileSync(file, 'utf8').split('\n').entries()) {
        if (/__sim\/[^'"`]*\/(taste|posts)\b/.test(line)) peeks.push(`${relative(file)}:${i + 1}`);
      }
    }
    expect(peeks).toEqual([]);
    expect(/__sim\/[^'"`]*\/(taste|posts)\b/.test('`/__sim/users/${id}/taste`')).toBe(true);
  });
});
