// What `npm install` runs, step by step (each its own line, so other steps can be added beside them).
import { execFileSync } from 'node:child_process';

const run = (command, args) => execFileSync(command, args, { stdio: 'inherit' });

// The CLI and every role as JavaScript in dist/: no TypeScript compiled at start.
run(process.execPath, ['scripts/build.mjs']);
// The word-vector cache, so the first embedding does not spend ~10 s building it.
run(process.execPath, ['--import', 'tsx', 'scripts/build-word-vectors.ts']);
// The dashboard in web/ (Next.js).
run('npm', ['run', 'build:web']);
