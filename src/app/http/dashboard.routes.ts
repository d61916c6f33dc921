import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { HttpServer } from './http-server.ts';

/** The folder of the nearest package.json above this file: the same from src/app/http/ and from the dist/ bundle. */
function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json')) && dir !== path.dirname(dir)) dir = path.dirname(dir);
  return dir;
}

/** Where `npm install` builds the dashboard (the Next.js static export of web/). */
export const DASHBOARD_DIR = path.join(packageRoot(), 'web/out');

// Paths that belong to the API: an unknown one is the API's JSON 404, never the dashboard's page.
const API_PATH = /^(v1|docs|metrics|health|ready)(\/|$)/;

function listFiles(root: string, dir = ''): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = dir ? `${dir}/${entry.name}` : entry.name;
    return entry.isDirectory() ? listFiles(root, rel) : [rel];
  });
}

/**
 * Serves the built dashboard at `/` from the API process. Only the files found at start are served,
 * so no request path reaches the file system; without a build the API runs alone and says why.
 */
export async function registerDashboard(app: HttpServer, root = DASHBOARD_DIR): Promise<void> {
  if (!existsSync(path.join(root, 'index.html'))) {
    app.log.warn({ root }, 'the dashboard is not built (npm run build:web): / serves nothing');
    return;
  }
  const files = new Set(listFiles(root));
  await app.register(fastifyStatic, { root, serve: false });
  app.get('/*', { schema: { hide: true } }, (request, reply) => {
    const rel = (request.params as { '*': string })['*'].replace(/^\/+/, '');
    if (files.has(rel)) {
      // Next's hashed bundles never change under one name; the pages must be re-read to pick up a new build.
      const immutable = rel.startsWith('_next/static/');
      return reply.sendFile(rel, { maxAge: immutable ? '365d' : 0, immutable, cacheControl: true });
    }
    if ((rel === '' || rel.endsWith('/')) && files.has(`${rel}index.html`))
      return reply.sendFile(`${rel}index.html`, { maxAge: 0 });
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
    if (files.has(`${rel}/index.html`)) return reply.redirect(`/${rel}/${query}`);
    if (API_PATH.test(rel)) return reply.callNotFound();
    return reply.code(404).sendFile('404.html', { maxAge: 0 });
  });
}
