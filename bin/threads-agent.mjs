#!/usr/bin/env node
// Runs the JavaScript that `npm install` compiles into dist/ (scripts/build.mjs). A tree without a
// build, a build older than a source file (after a pull or an edit), or THREADS_AGENT_FROM_SOURCE=1
// (the tests, which run what is being edited) runs the TypeScript sources through tsx instead.
import fs from 'node:fs';

const dist = new URL('../dist/cli.js', import.meta.url);
const src = new URL('../src/', import.meta.url);

function builtAfterSources() {
  const built = fs.statSync(dist, { throwIfNoEntry: false })?.mtimeMs;
  if (built === undefined) return false;
  // ~2 ms for the whole tree: cheaper than ever running a stale build.
  const files = fs.readdirSync(src, { recursive: true });
  return files.every((file) => fs.statSync(new URL(String(file), src)).mtimeMs <= built);
}

if (process.env.THREADS_AGENT_FROM_SOURCE !== '1' && builtAfterSources()) {
  await import(dist.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/app/cli.ts');
}
