// Compiles the CLI and every role to JavaScript in dist/ (run at `npm install`), so a start does not
// compile TypeScript. One bundle of the sources, split where the CLI loads a role on demand; the
// packages stay in node_modules. Files the code reads beside itself are copied next to the bundle.
// Usage: node scripts/build.mjs [outdir]   (default dist/)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.resolve(root, process.argv[2] ?? 'dist');

fs.rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { cli: 'src/app/cli.ts' },
  outdir,
  bundle: true,
  // Flat chunks: code that reads files through import.meta.url finds them at the same place from any chunk.
  splitting: true,
  chunkNames: 'chunk-[hash]',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
// migrate.ts reads ./migrations/, and the personas domain its ./library/ (personas.json, material.json),
// beside themselves: the whole folders are copied, so a new data file cannot be left behind.
fs.cpSync(path.join(root, 'src/platform/db/migrations'), path.join(outdir, 'migrations'), { recursive: true });
fs.cpSync(path.join(root, 'src/personas/library'), path.join(outdir, 'library'), { recursive: true });
console.log(`compiled to ${path.relative(root, outdir) || '.'}`);
