import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** A static export: the API process serves web/out at `/`, so the product stays one process on one port. */
export default {
  output: 'export',
  // Every page becomes <page>/index.html, which a plain file server answers for /<page>/.
  trailingSlash: true,
  images: { unoptimized: true },
  // The forms import the API's own zod schemas from ../src, so the repository is the build root.
  turbopack: { root: path.join(here, '..') },
  outputFileTracingRoot: path.join(here, '..'),
};
