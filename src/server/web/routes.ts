import express from 'express';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface WebRoutesOptions {
  /** Serve GraphiQL at /graphiql (config.graphiql; off by default in production). */
  graphiql: boolean;
  /** Where `npm run build:web` wrote the bundles; default: dist/web of this package. */
  assetsDir?: string;
}

/**
 * The browser side of the service: the provisioning page at / and GraphiQL at /graphiql, both
 * static bundles made by `npm run build:web` from npm packages, so a browser loads nothing from
 * another host.
 */
export function mountWebRoutes(app: express.Express, options: WebRoutesOptions): void {
  const assetsDir = options.assetsDir ?? defaultAssetsDir();
  const serve = (dir: string) => express.static(path.join(assetsDir, dir), { index: false, fallthrough: false });

  app.get('/', (_req, res) => sendPage(res, assetsDir, 'app', PAGE_HTML));
  app.use('/app', serve('app'));
  if (!options.graphiql) return;
  app.get('/graphiql', (_req, res) => sendPage(res, assetsDir, 'graphiql', GRAPHIQL_HTML));
  app.use('/graphiql', serve('graphiql'));
}

function sendPage(res: express.Response, assetsDir: string, bundle: string, html: string): void {
  if (!existsSync(path.join(assetsDir, bundle))) {
    res.status(503).type('text/plain').send(`The ${bundle} bundle is missing from ${assetsDir}: run \`npm run build\` (or \`npm run build:web\`).`);
    return;
  }
  res.type('html').send(html);
}

/** dist/web beside the compiled server (dist/src/server/web), or of the package when run from sources. */
function defaultAssetsDir(): string {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
  return path.basename(root) === 'dist' ? path.join(root, 'web') : path.join(root, 'dist', 'web');
}

const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Tenant provisioning</title>
  <link rel="stylesheet" href="/app/app.css">
</head>
<body>
  <div id="app"></div>
  <script type="module" src="/app/app.js"></script>
</body>
</html>
`;

const GRAPHIQL_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>GraphiQL · Tenant provisioning</title>
  <link rel="stylesheet" href="/graphiql/graphiql.css">
  <style>body { margin: 0; } #graphiql { height: 100vh; }</style>
</head>
<body>
  <div id="graphiql"></div>
  <script type="module" src="/graphiql/graphiql.js"></script>
</body>
</html>
`;
