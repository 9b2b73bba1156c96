import { randomBytes } from 'node:crypto';
import pg from 'pg';

export async function withDatabase<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The migrated database each suite copies (made by global-setup.mjs for this run). */
export function templateDatabase(): string {
  const name = process.env.TEST_TEMPLATE_DATABASE;
  if (!name) throw new Error('TEST_TEMPLATE_DATABASE is not set: run the tests through jest (test/support/global-setup.mjs).');
  return name;
}

/** A database name unique to this test run, so parallel runs on one server never collide. */
export function testDatabaseName(label = ''): string {
  return `test_${process.env.TEST_RUN_ID}_${label}${randomBytes(5).toString('hex')}`;
}

export function adminUrl(): string {
  const url = process.env.TEST_ADMIN_DATABASE_URL;
  if (!url) throw new Error('TEST_ADMIN_DATABASE_URL is not set: run the tests through jest (test/support/global-setup.mjs).');
  return url;
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database of its own for one suite: no test sees another's leftovers. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = testDatabaseName();
  const server = adminUrl();
  await withDatabase(server, (client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${templateDatabase()}`));
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withDatabase(server, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
