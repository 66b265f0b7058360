import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import type { AppEnv } from './env';

/**
 * Serves the built single-page app: hashed assets cached for a year, every
 * other GET that wants HTML answered with index.html so deep links work.
 */
export function webAppRouter(webRoot: string) {
  const router = new Hono<AppEnv>();
  const indexFile = path.join(webRoot, 'index.html');
  const relativeRoot = path.relative(process.cwd(), webRoot) || '.';

  router.use(
    '*',
    serveStatic({
      root: relativeRoot,
      onFound: (file, c) => {
        c.header('cache-control', cacheControlFor(file));
      },
    }),
  );

  router.get('*', async (c, next) => {
    if (c.req.path.startsWith('/api/') || !acceptsHtml(c.req.header('accept'))) return next();
    if (!existsSync(indexFile)) {
      return c.text('The web app is not built yet. Run "npm start" (it builds it) or "npm run build:web".', 503);
    }
    c.header('cache-control', 'no-cache');
    // A dashboard's share link is for the people it was given to, not for search engines.
    if (c.req.path.startsWith('/shared/')) {
      c.header('X-Robots-Tag', 'noindex, nofollow');
      c.header('Referrer-Policy', 'no-referrer');
    }
    return c.html(await readFile(indexFile, 'utf8'));
  });
  return router;
}

/** Vite fingerprints assets, so they never change; index.html must always be revalidated. */
function cacheControlFor(file: string): string {
  if (file.includes(`${path.sep}assets${path.sep}`)) return 'public, max-age=31536000, immutable';
  if (file.endsWith('index.html')) return 'no-cache';
  return 'public, max-age=3600';
}

function acceptsHtml(accept: string | undefined): boolean {
  return accept === undefined || accept.includes('text/html') || accept.includes('*/*');
}
