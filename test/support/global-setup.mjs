// Runs outside Jest's module system, so it imports the build (`npm test` builds first).
import 'reflect-metadata';
import path from 'node:path';
import pg from 'pg';
import { createLogger } from '../../dist/src/lib/logger.js';
import { startEmbeddedPostgres } from '../../dist/src/server/database/embedded-postgres.js';
import { migrate, openOrm } from '../../dist/src/server/database/orm.js';

export const TEMPLATE_DATABASE = 'provisioning_test_template';

/**
 * One PostgreSQL for the whole run: the server in DATABASE_URL when set (CI's second pass),
 * else the embedded one under .test-data/. A migrated template database is made once; each
 * suite then copies it (CREATE DATABASE ... TEMPLATE), which takes milliseconds.
 */
export default async function globalSetup() {
  const log = createLogger({ level: 'warn', pretty: false });
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const embedded = await startEmbeddedPostgres(path.resolve('.test-data'), log);
    globalThis.__embeddedPostgres = embedded;
    adminUrl = embedded.url;
  }
  process.env.TEST_ADMIN_DATABASE_URL = adminUrl;
  // Suites get their own databases; nothing may fall back to the shared one by accident.
  delete process.env.DATABASE_URL;

  await withClient(adminUrl, async (client) => {
    const { rows } = await client.query(`SELECT datname FROM pg_database WHERE datname LIKE 'test\\_%' OR datname = $1`, [TEMPLATE_DATABASE]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  });
  const templateUrl = Object.assign(new URL(adminUrl), { pathname: `/${TEMPLATE_DATABASE}` }).toString();
  const orm = await openOrm(templateUrl, log);
  await migrate(orm, templateUrl, log);
  await orm.close(true);
}

async function withClient(url, work) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
