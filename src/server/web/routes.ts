import express from 'express';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface WebRoutesOptions {
  /** Serve GraphiQL at /graphiql (config.graphiql; off by default in production). */
  graphiql: boolean;
  /** Where `npm run build:web` wrote the bundles; default: dist/web of this package. */
  assetsDir?: string;
  /** Shown on the sign-in form, only while the generated development admin is in use. */
  developmentAdmin?: DevelopmentAdminHint | undefined;
}

/** Where to find the development admin's password: the file's path, never the password. */
export interface DevelopmentAdminHint {
  email: string;
  passwordFile: string;
}

/**
 * The browser side of the service: the provisioning page at / and GraphiQL at /graphiql, both
 * static bundles made by `npm run build:web` from npm packages, so a browser loads nothing from
 * another host.
 */
export function mountWebRoutes(app: express.Express, options: WebRoutesOptions): void {
  const assetsDir = options.assetsDir ?? defaultAssetsDir();
  const serve = (dir: string) => express.static(path.join(assetsDir, dir), { index: false, fallthrough: false });

  const pageHtml = provisioningPageHtml({ developmentAdmin: options.developmentAdmin ?? null });
  app.get('/', (_req, res) => sendPage(res, assetsDir, 'app', pageHtml));
  app.get('/favicon.ico', (_req, res) => res.sendFile(path.join(assetsDir, 'favicon.ico')));
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

/**
 * The page with what the server knows and the bundle cannot (see page/page-config.ts) as a JSON
 * data block; `<` is escaped so no value can close the script element.
 */
function provisioningPageHtml(config: { developmentAdmin: DevelopmentAdminHint | null }): string {
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Tenant provisioning</title>
  <link rel="icon" href="/favicon.ico">
  <link rel="stylesheet" href="/app/app.css">
</head>
<body>
  <div id="app"></div>
  <script type="application/json" id="page-config">${json}</script>
  <script type="module" src="/app/app.js"></script>
</body>
</html>
`;
}

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
