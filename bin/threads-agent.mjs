#!/usr/bin/env node
// The sources are TypeScript run through tsx, so `npx threads-agent` needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/app/cli.ts');
