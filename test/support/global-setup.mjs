// Runs outside Jest's module system, so it imports the build (`npm test` builds first).
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { createLogger } from '../../dist/src/lib/logger.js';
import { startEmbeddedPostgres } from '../../dist/src/server/database/embedded-postgres.js';
import { migrate, openOrm } from '../../dist/src/server/database/orm.js';

const TEST_DATA = path.resolve('.test-data');

/**
 * One PostgreSQL for the whole run: the server in DATABASE_URL when set (CI's second pass),
 * else an embedded cluster of this run's own under .test-data/. A migrated template database
 * is made once; each suite copies it (CREATE DATABASE ... TEMPLATE) in milliseconds. Names
 * carry a run id, so runs side by side on one server never touch each other's databases.
 */
export default async function globalSetup() {
  const log = createLogger({ level: 'warn', pretty: false });
  const runId = randomBytes(4).toString('hex');
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    removeAbandonedClusters();
    const dataDir = path.join(TEST_DATA, `run-${runId}`);
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path.join(dataDir, OWNER_FILE), String(process.pid));
    const embedded = await startEmbeddedPostgres(dataDir, log);
    globalThis.__embeddedPostgres = { ...embedded, dataDir };
    adminUrl = embedded.url;
  }
  const template = `test_${runId}_template`;
  process.env.TEST_RUN_ID = runId;
  process.env.TEST_ADMIN_DATABASE_URL = adminUrl;
  process.env.TEST_TEMPLATE_DATABASE = template;
  globalThis.__testDatabases = { adminUrl, runId };
  // Suites get their own databases; nothing may fall back to the shared one by accident.
  delete process.env.DATABASE_URL;

  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${template}`));
  const templateUrl = Object.assign(new URL(adminUrl), { pathname: `/${template}` }).toString();
  const orm = await openOrm(templateUrl, log);
  await migrate(orm, templateUrl, log);
  await orm.close(true);
}

/** The Jest process that owns a cluster; written before initdb, so a cluster being set up is owned too. */
const OWNER_FILE = 'owner.pid';

/**
 * Clusters of earlier runs killed before their teardown. Another run may be working beside this
 * one, so a cluster is abandoned only when the Jest process that made it is gone; its server
 * (if still up) is stopped by the next start in that directory, or here by removing the files.
 */
function removeAbandonedClusters() {
  if (!existsSync(TEST_DATA)) return;
  for (const entry of readdirSync(TEST_DATA)) {
    const dir = path.join(TEST_DATA, entry);
    const ownerFile = path.join(dir, OWNER_FILE);
    const owner = existsSync(ownerFile) ? Number(readFileSync(ownerFile, 'utf8')) : 0;
    if (owner > 0 && isAlive(owner)) continue;
    const pidFile = path.join(dir, 'postgres', 'postmaster.pid');
    const server = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : 0;
    if (server > 0 && isAlive(server)) process.kill(server, 'SIGINT');
    rmSync(dir, { recursive: true, force: true });
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

export async function withClient(url, work) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
