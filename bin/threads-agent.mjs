#!/usr/bin/env node
// Runs the JavaScript that `npm install` compiles into dist/ (scripts/build.mjs). A tree installed
// without its scripts, or THREADS_AGENT_FROM_SOURCE=1 (the tests, which run what is being edited),
// runs the TypeScript sources through tsx instead.
import fs from 'node:fs';

const dist = new URL('../dist/cli.js', import.meta.url);
if (process.env.THREADS_AGENT_FROM_SOURCE !== '1' && fs.existsSync(dist)) {
  await import(dist.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/app/cli.ts');
}
