import { afterAll, describe, expect, it } from '@jest/globals';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createLogger } from '../../src/lib/logger.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/server/database/embedded-postgres.js';
import { withDatabase } from '../support/postgres-admin.js';

const log = createLogger({ level: 'silent', pretty: false });

/** The error code PostgreSQL answers a login with, or null when it is let in. */
async function loginError(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    return null;
  } catch (error) {
    return String((error as { code?: unknown }).code ?? (error as Error).message);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const withPassword = (url: string, password: string) => Object.assign(new URL(url), { password }).toString();

describe('the embedded PostgreSQL', () => {
  let dataDir: string;
  let database: EmbeddedDatabase | undefined;

  afterAll(async () => {
    await database?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('has a generated superuser password (mode 600), scram logins only, and listens on loopback TCP only', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'embedded-security-'));
    database = await startEmbeddedPostgres(dataDir, log);
    const passwordFile = path.join(dataDir, 'postgres-password');
    const password = readFileSync(passwordFile, 'utf8').trim();
    expect(password.length).toBeGreaterThanOrEqual(32);
    expect(statSync(passwordFile).mode & 0o777).toBe(0o600);
    expect(new URL(database.url).password).toBe(encodeURIComponent(password));

    expect(await loginError(withPassword(database.url, 'postgres'))).toBe('28P01');
    const settings = await withDatabase(database.url, async (client) => {
      const { rows } = await client.query(`SELECT current_setting('listen_addresses') AS listen, current_setting('unix_socket_directories') AS sockets`);
      const methods = await client.query(`SELECT DISTINCT auth_method FROM pg_hba_file_rules`);
      return { ...rows[0], methods: methods.rows.map((row) => row.auth_method) };
    });
    expect(settings).toEqual({ listen: '127.0.0.1', sockets: '', methods: ['scram-sha-256'] });
  });

  it('moves a data dir made with the old fixed password to a generated one at its next start', async () => {
    // Turn the cluster into one of before: the fixed password, cleartext logins, no password file.
    await withDatabase(database!.url, (client) => client.query(`ALTER ROLE postgres PASSWORD 'postgres'`));
    await database!.stop();
    database = undefined;
    const hba = path.join(dataDir, 'postgres', 'pg_hba.conf');
    writeFileSync(hba, readFileSync(hba, 'utf8').replaceAll('scram-sha-256', 'password'));
    await rm(path.join(dataDir, 'postgres-password'));

    database = await startEmbeddedPostgres(dataDir, log);
    expect(await loginError(database.url)).toBeNull();
    expect(await loginError(withPassword(database.url, 'postgres'))).toBe('28P01');
    expect(readFileSync(hba, 'utf8')).not.toMatch(/\spassword\s*$/m);
  });
});
