import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '../../src/lib/logger.js';
import { freePort, startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/server/database/embedded-postgres.js';
import { startTestService, type TestService } from '../support/service.js';
import { waitUntil } from '../support/poll.js';

interface Readiness {
  httpStatus: number;
  body: { status: string; database: { up: boolean; message: string }; listener: { up: boolean; message: string }; engine: { up: boolean } };
}

async function readiness(service: TestService): Promise<Readiness> {
  const response = await fetch(`${service.url}/readyz`);
  return { httpStatus: response.status, body: (await response.json()) as Readiness['body'] };
}

describe('/readyz through a database outage', () => {
  const log = createLogger({ level: 'warn', pretty: false });
  let dataDir: string;
  let port: number;
  let postgres: EmbeddedDatabase;
  let service: TestService;

  beforeAll(async () => {
    // A PostgreSQL of this suite's own, on a fixed port, so it can be stopped and started again.
    dataDir = await mkdtemp(path.join(tmpdir(), 'readiness-postgres-'));
    port = await freePort();
    postgres = await startEmbeddedPostgres(dataDir, log, { port });
    service = await startTestService({}, { database: { url: postgres.url, drop: async () => undefined } });
  });
  afterAll(async () => {
    await service?.stop();
    await postgres?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers 503 naming the database while it is down, and 200 once it is back', async () => {
    const before = await readiness(service);
    expect(before).toMatchObject({ httpStatus: 200, body: { status: 'ready', database: { up: true }, listener: { up: true }, engine: { up: true } } });

    await postgres.stop();
    const down = await waitUntil('/readyz 503 with the database stopped', async () => {
      const state = await readiness(service);
      return state.httpStatus === 503 && state;
    });
    expect(down.body).toMatchObject({ status: 'not ready', database: { up: false, message: expect.stringMatching(/PostgreSQL is unreachable/) }, engine: { up: true } });
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);

    postgres = await startEmbeddedPostgres(dataDir, log, { port });
    // The LISTEN connection reconnects with a backoff of its own; ready means every check is up.
    const back = await waitUntil('/readyz 200 with the database back', async () => {
      const state = await readiness(service);
      return state.httpStatus === 200 && state;
    });
    expect(back.body).toMatchObject({ status: 'ready', database: { up: true }, listener: { up: true } });
  });
});
