// Monaco asks for a worker per language; these are the bundles scripts/build-web.mjs writes
// beside graphiql.js. Must run before GraphiQL loads monaco.
const WORKERS: Record<string, string> = { json: 'json.worker.js', graphql: 'graphql.worker.js' };

(globalThis as { MonacoEnvironment?: unknown }).MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker {
    return new Worker(new URL(WORKERS[label] ?? 'editor.worker.js', import.meta.url));
  },
};
