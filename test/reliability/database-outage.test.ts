import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '../../src/lib/logger.js';
import { freePort, startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/server/database/embedded-postgres.js';
import { loginAs } from '../support/api.js';
import type { ChildService } from '../support/child-service.js';
import { EventFollower } from '../support/event-follower.js';
import {
  eventLog,
  expectGapFree,
  expectOneOfEachResource,
  holdRunsShortOfTheirEnd,
  expectOrderlyExecution,
  spawnReplica,
  startRuns,
  waitForStatus,
} from '../support/reliability.js';
import { waitUntil } from '../support/poll.js';
import { spawnSandbox, type SandboxProcess } from '../support/sandbox-process.js';

const RUNS = 10;
const OUTAGE_MS = 5_000;

interface Readiness {
  status: number;
  body: { database: { up: boolean; message: string } };
}

/**
 * Runs surviving PostgreSQL itself going away: a cluster of this suite's own, stopped and
 * started again on the same port while runs are in the middle of their steps.
 */
describe('a PostgreSQL outage in the middle of runs', () => {
  const log = createLogger({ level: 'warn' });
  let dataDir: string;
  let port: number;
  let postgres: EmbeddedDatabase | undefined;
  let sandbox: SandboxProcess;
  let service: ChildService | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'provisioning-outage-'));
    port = await freePort();
    [postgres, sandbox] = await Promise.all([startEmbeddedPostgres(dataDir, log, { port }), spawnSandbox()]);
    await sandbox.control.setFaults({ latencyMs: 40 });
  });

  afterAll(async () => {
    if (service && service.process.exitCode === null && service.process.signalCode === null) await service.kill('SIGKILL');
    await sandbox?.stop();
    await postgres?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const readiness = async (): Promise<Readiness> => {
    const response = await fetch(`${service!.url}/readyz`);
    return { status: response.status, body: (await response.json()) as Readiness['body'] };
  };

  it('keeps the service up, reports the outage on /readyz, and completes every run once the database is back', async () => {
    service = await spawnReplica(postgres!.url, sandbox.serviceEnv, { LEASE_MS: '2000' });
    const graphqlUrl = `${service.url}/graphql`;
    const token = await loginAs(graphqlUrl);
    const held = await holdRunsShortOfTheirEnd(sandbox.control);
    const tenants = await startRuns(RUNS, token, () => service!.url);
    const followers = tenants.map((tenant) => new EventFollower(tenant.id, token));
    const following = followers.map((follower) => follower.follow(`${service!.url.replace(/^http/, 'ws')}/graphql`));
    await waitUntil('every run to have its company', async () =>
      followers.every((follower) => follower.received.some((event) => event.type === 'STEP_COMPLETED' && event.step === 'COMPANY')),
    );
    expect(followers.filter((follower) => follower.finished)).toEqual([]);

    const stoppedAt = Date.now();
    await postgres!.stop();
    postgres = undefined;
    const down = await waitUntil('/readyz to report the database down', async () => {
      const report = await readiness();
      return report.status === 503 && !report.body.database.up && report;
    });
    expect(down.body.database.message).toMatch(/^PostgreSQL is unreachable/);
    // Hold the outage for its stated duration: the runs keep calling the engine meanwhile.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, OUTAGE_MS - (Date.now() - stoppedAt))));
    expect(service.process.exitCode).toBeNull();

    postgres = await startEmbeddedPostgres(dataDir, log, { port });
    await waitUntil('/readyz to report ready again', async () => (await readiness()).status === 200);
    await held.release();
    await waitForStatus(graphqlUrl, token, tenants, 'COMPLETED', 40_000);
    // Subscribers stayed connected through the outage; they still get every event once.
    await Promise.all(following);
    expect(service.process.exitCode).toBeNull();

    for (const follower of followers) {
      const events = await eventLog(graphqlUrl, token, follower.tenantId);
      expectGapFree(events);
      expectOrderlyExecution(events);
      expect(events.at(-1)!.type).toBe('RUN_COMPLETED');
      expect(follower.received.map((event) => event.seq)).toEqual(events.map((event) => event.seq));
    }
    await expectOneOfEachResource(sandbox.control, tenants);
  });
});
