// Bundles the browser code into static files under dist/web, served by the service itself:
// GraphiQL (with its monaco workers) at /graphiql and the provisioning page at /. Everything
// comes from node_modules at build time; the browser loads nothing from another host.
import { build } from 'esbuild';
import { copyFile, rm } from 'node:fs/promises';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'dist/web');
const common = {
  bundle: true,
  minify: true,
  target: 'es2022',
  logLevel: 'warning',
  absWorkingDir: root,
  // graphql and react pick their production builds (graphql's dev build checks instanceof across realms).
  define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
  loader: { '.graphql': 'text', '.ttf': 'file', '.woff': 'file', '.woff2': 'file', '.svg': 'file' },
};

await rm(out, { recursive: true, force: true });
await Promise.all([
  // Monaco runs its language services in web workers; each is its own classic-worker bundle.
  build({
    ...common,
    format: 'iife',
    entryPoints: {
      'editor.worker': 'monaco-editor/esm/vs/editor/editor.worker.js',
      'json.worker': 'monaco-editor/esm/vs/language/json/json.worker.js',
      'graphql.worker': 'monaco-graphql/esm/graphql.worker.js',
    },
    outdir: path.join(out, 'graphiql'),
  }),
  // GraphiQL loads monaco and prettier lazily: ES modules with code splitting keep those apart.
  build({
    ...common,
    format: 'esm',
    splitting: true,
    entryPoints: { graphiql: 'src/server/web/graphiql/main.tsx' },
    outdir: path.join(out, 'graphiql'),
    chunkNames: 'chunks/[name]-[hash]',
    assetNames: 'assets/[name]-[hash]',
  }),
  build({
    ...common,
    format: 'esm',
    entryPoints: { app: 'src/server/web/page/main.tsx' },
    outdir: path.join(out, 'app'),
    assetNames: 'assets/[name]-[hash]',
  }),
]);
// Browsers ask for /favicon.ico on their own, whatever the page links.
await copyFile(path.join(root, 'src/server/web/page/favicon.ico'), path.join(out, 'favicon.ico'));
console.log(`web bundles written to ${path.relative(root, out)}/`);
