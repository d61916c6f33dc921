import { createRequire } from 'node:module';
import type compromise from 'compromise';
import type * as Tinyld from 'tinyld';

/**
 * compromise and tinyld take a second or more to load on a busy machine: they are loaded on first
 * use, so a process that never writes or checks a post (a CLI error, the API alone) does not pay it.
 */
const require = createRequire(import.meta.url);

let compromiseModule: typeof compromise | null = null;
let tinyldModule: typeof Tinyld | null = null;

export function nlp(text: string): ReturnType<typeof compromise> {
  compromiseModule ??= require('compromise') as typeof compromise;
  return compromiseModule(text);
}

export function detectLanguages(text: string): ReturnType<typeof Tinyld.detectAll> {
  tinyldModule ??= require('tinyld') as typeof Tinyld;
  return tinyldModule.detectAll(text);
}
