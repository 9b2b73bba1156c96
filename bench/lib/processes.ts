import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDatabaseIfMissing, freePort } from '../../src/server/database/embedded-postgres.js';
import { waitFor } from './pool.js';

/** dist/ of this build: bench/lib/processes.js lives in dist/bench/lib. */
const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** How long a child may take to answer on its port, in milliseconds. */
const READY_TIMEOUT_MS = 90_000;
/** How long a child may take to exit after SIGTERM before it is killed, in milliseconds. */
const STOP_TIMEOUT_MS = 20_000;

export const ADMIN = { email: 'bench-admin@bench.test', password: 'bench-admin-password' };

export interface Child {
  name: string;
  process: ChildProcess;
  pid: number;
  logFile: string;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts a built script of this project in its own Node process (the same Node that runs the
 * bench, so the pinned Node 24), with its output in a log file: the load generator and the
 * server never share an event loop or a CPU-time budget inside one process.
 */
export function spawnNode(name: string, script: string, env: Record<string, string>, options: { logDir: string; nodeArgs?: string[]; ipc?: boolean }): Child {
  const logFile = path.join(options.logDir, `${name}.log`);
  const log = createWriteStream(logFile);
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), path.join(DIST, script)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', ...(options.ipc ? (['ipc'] as const) : [])],
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    name,
    process: child,
    pid: child.pid!,
    logFile,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** How long a reporting script may take to clean up and exit after its report, in milliseconds. */
const REPORTER_EXIT_GRACE_MS = 10_000;

/**
 * Runs a built script (one of bench/peer) in its own process with `env` and resolves with what
 * it reports over IPC (`{ error }` rejects); under --profile it is profiled like the service.
 */
export function reportOf<T>(
  context: { logDir: string; profileArgs?: (name: string) => string[] },
  name: string,
  script: string,
  timeoutMs: number,
  env: Record<string, string>,
): Promise<T> {
  const child = spawnNode(name, script, env, { logDir: context.logDir, ipc: true, nodeArgs: context.profileArgs?.(name) });
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not report within ${timeoutMs} ms; see ${child.logFile}`)), timeoutMs);
    child.process.once('message', (message: T & { error?: string }) => {
      clearTimeout(timer);
      if (message.error === undefined) resolve(message);
      else reject(new Error(`${name} failed: ${message.error}`));
    });
    child.process.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with code ${code} before reporting; see ${child.logFile}`));
    });
  }).finally(async () => {
    // It exits by itself once it has cleaned up and the channel is closed (only then does
    // --cpu-prof write its profile); one that does not is stopped.
    if (child.process.connected) child.process.disconnect();
    await Promise.race([child.exited, new Promise((resolve) => setTimeout(resolve, REPORTER_EXIT_GRACE_MS).unref())]);
    await child.stop();
  });
}

async function tail(file: string, lines = 30): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').slice(-lines).join('\n');
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return response.ok;
  } catch {
    return false;
  }
}

async function waitReady(child: Child, url: string): Promise<void> {
  try {
    await waitFor(`${child.name} at ${url}`, async () => {
      if (child.process.exitCode !== null) throw new Error(`${child.name} exited with code ${child.process.exitCode}`);
      return answers(url);
    }, READY_TIMEOUT_MS, 200);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- last lines of ${child.logFile} ---\n${await tail(child.logFile)}`);
  }
}

export interface Sandbox {
  child: Child;
  url: string;
  apiKey: string;
  apiSecret: string;
  /** Sets sandbox faults (latency, failNext...); `reset` first brings documents back to the seed. */
  faults(body: Record<string, unknown>, reset?: boolean): Promise<void>;
}

/** The ERPNext sandbox in its own process, standing in for the remote ERPNext site. */
export async function startSandbox(logDir: string): Promise<Sandbox> {
  const port = await freePort();
  const apiKey = 'benchkey';
  const apiSecret = 'benchsecret';
  const child = spawnNode('sandbox', 'src/engine/sandbox/main.js', { PORT: String(port), HOST: '127.0.0.1', ERPNEXT_API_KEY: apiKey, ERPNEXT_API_SECRET: apiSecret }, { logDir });
  const url = `http://127.0.0.1:${port}`;
  // The knobs need the sandbox's API key.
  const authorization = `token ${apiKey}:${apiSecret}`;
  await waitReady(child, `${url}/api/method/ping`);
  const post = async (route: string, body?: unknown) => {
    const response = await fetch(`${url}/__sandbox/${route}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify(body ?? {}) });
    if (!response.ok) throw new Error(`sandbox ${route}: HTTP ${response.status} ${await response.text()}`);
  };
  return {
    child,
    url,
    apiKey,
    apiSecret,
    async faults(body, reset = false) {
      if (reset) await post('reset');
      await post('faults', body);
    },
  };
}

export interface Service {
  child: Child;
  graphqlUrl: string;
  wsUrl: string;
}

/** The built service (dist/src/main.js) exactly as `npm start` runs it, on the bench's database and sandbox. */
export async function startService(options: {
  databaseUrl: string;
  sandbox: Sandbox;
  dataDir: string;
  logDir: string;
  nodeArgs?: string[];
  /** Its log file's name; 'service' unless set. */
  name?: string;
  /** Settings beyond the bench's own (e.g. MAX_PARALLEL_STEPS). */
  env?: Record<string, string>;
}): Promise<Service> {
  const port = await freePort();
  const child = spawnNode(
    options.name ?? 'service',
    'src/main.js',
    {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: options.databaseUrl,
      DATA_DIR: options.dataDir,
      ERPNEXT_URL: options.sandbox.url,
      ERPNEXT_API_KEY: options.sandbox.apiKey,
      ERPNEXT_API_SECRET: options.sandbox.apiSecret,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'development',
      // Every bench client is on loopback: one address holding up to 5,000 sockets.
      WS_MAX_SOCKETS_PER_CLIENT: '10000',
      WS_MAX_PENDING_SOCKETS: '10000',
      ...options.env,
    },
    { logDir: options.logDir, nodeArgs: options.nodeArgs },
  );
  const base = `http://127.0.0.1:${port}`;
  await waitReady(child, `${base}/readyz`);
  return { child, graphqlUrl: `${base}/graphql`, wsUrl: `ws://127.0.0.1:${port}/graphql` };
}

export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  await createDatabaseIfMissing(adminUrl, name);
  return adminUrl.replace(/\/[^/]*$/, `/${name}`);
}
