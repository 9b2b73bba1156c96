import 'reflect-metadata';
import { afterAll, beforeAll } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { createLogger } from '../../src/lib/logger.js';
import { startService, type RunningService } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { loginAs } from './api.js';
import { createTestDatabase, type TestDatabase } from './postgres-admin.js';

export const ADMIN_EMAIL = 'admin@platform.test';
export const ADMIN_PASSWORD = 'platform-admin-password';

/**
 * Time scales for tests, milliseconds instead of seconds. Only time scales: retry counts and
 * budgets, the engine timeout and every bound stay as shipped.
 */
export const FAST_TUNING_ENV = {
  LEASE_MS: '2000',
  SWEEP_INTERVAL_MS: '200',
  RETRY_BASE_MS: '5',
  SHUTDOWN_GRACE_MS: '2000',
  LISTEN_PROBE_INTERVAL_MS: '500',
};

export interface TestService extends RunningService {
  graphqlUrl: string;
  wsUrl: string;
  /** Every log line the service wrote, parsed. */
  logLines: Array<Record<string, unknown>>;
  /** Stops the service, then drops its database and data dir. */
  stop(): Promise<void>;
}

/**
 * The real service on a free port, with its own database (copied from the migrated template),
 * its own data dir, the built-in sandbox unless ERPNEXT_URL is given, and a log captured in
 * memory so tests can read it.
 */
export async function startTestService(env: Record<string, string> = {}, options: { database?: TestDatabase } = {}): Promise<TestService> {
  const database = options.database ?? (await createTestDatabase());
  const dataDir = await mkdtemp(path.join(tmpdir(), 'provisioning-test-'));
  const logLines: Array<Record<string, unknown>> = [];
  const sink = new PassThrough();
  sink.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) logLines.push(JSON.parse(line));
  });
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    ...FAST_TUNING_ENV,
    ...env,
  });
  const service = await startService(config, createLogger({ level: env.LOG_LEVEL ?? 'info', destination: sink }));
  return {
    ...service,
    graphqlUrl: `${service.url}/graphql`,
    wsUrl: `${service.url.replace(/^http/, 'ws')}/graphql`,
    logLines,
    async stop() {
      await service.close();
      if (!options.database) await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface SuiteService {
  service: TestService;
  /** A platform admin's token. */
  token: string;
}

/**
 * One service for a whole test file, with a platform admin signed in: started before its first
 * test, stopped (database and data dir removed) after its last.
 */
export function serviceForSuite(env: Record<string, string> = {}): SuiteService {
  const suite = {} as SuiteService;
  beforeAll(async () => {
    suite.service = await startTestService(env);
    suite.token = await loginAs(suite.service.graphqlUrl);
  });
  afterAll(() => suite.service?.stop());
  return suite;
}
