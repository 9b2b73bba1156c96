import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loginAs } from '../support/api.js';
import type { ChildService } from '../support/child-service.js';
import { EventFollower } from '../support/event-follower.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres-admin.js';
import {
  claimedBy,
  eventLog,
  expectGapFree,
  expectOneOfEachResource,
  expectSerialExecution,
  ownerOf,
  spawnReplica,
  startRuns,
  waitForStatus,
  waitUntil,
} from '../support/reliability.js';
import { spawnSandbox, type SandboxProcess } from '../support/sandbox-process.js';

const RUNS = 20;
const wsOf = (service: ChildService) => `${service.url.replace(/^http/, 'ws')}/graphql`;

/** DESIGN.md §5: a process lost mid-run (kill -9) loses no run; the next one resumes them all. */
describe('a service killed with SIGKILL in the middle of runs', () => {
  let sandbox: SandboxProcess;
  let database: TestDatabase;
  const services: ChildService[] = [];

  beforeAll(async () => {
    [sandbox, database] = await Promise.all([spawnSandbox(), createTestDatabase()]);
    // Slow enough that all runs are still in flight when the process dies.
    await sandbox.control.setFaults({ latencyMs: 40 });
  });

  afterAll(async () => {
    for (const service of services) if (service.process.exitCode === null && service.process.signalCode === null) await service.kill('SIGKILL');
    await sandbox?.stop();
    await database?.drop();
  });

  it('finishes all 20 runs after a restart (RUN_RESUMED), with one of each resource in the engine and every event delivered once', async () => {
    const first = await spawnReplica(database.url, sandbox.serviceEnv);
    services.push(first);
    const token = await loginAs(`${first.url}/graphql`);
    const tenants = await startRuns(RUNS, token, () => first.url);
    const followers = tenants.map((tenant) => new EventFollower(tenant.id, token));
    const followingFirst = followers.map((follower) => follower.follow(wsOf(first)));

    // Strike once every run is past its first engine writes, well before any can finish.
    await waitUntil('every run to have its engine user', async () =>
      followers.every((follower) => follower.received.some((event) => event.type === 'STEP_COMPLETED' && event.step === 'ENGINE_USER')),
    );
    expect(followers.filter((follower) => follower.finished)).toEqual([]);
    expect(await first.kill('SIGKILL')).toBeNull();
    await Promise.all(followingFirst);

    const second = await spawnReplica(database.url, sandbox.serviceEnv);
    services.push(second);
    const followingSecond = followers.map((follower) => follower.follow(wsOf(second)));
    await waitForStatus(`${second.url}/graphql`, token, tenants, 'COMPLETED');
    await Promise.all(followingSecond);

    const resumedBy = `Resumed by ${ownerOf(second)}`;
    const runIds = new Set<string>();
    for (const follower of followers) {
      const log = await eventLog(`${second.url}/graphql`, token, follower.tenantId);
      expectGapFree(log);
      expectSerialExecution(log);
      expect(log.at(-1)!.type).toBe('RUN_COMPLETED');
      expect(log.filter((event) => event.type === 'RUN_RESUMED').map((event) => event.message)).toEqual([resumedBy]);
      // The client that reconnected with its last seq got every event exactly once, in order.
      expect(follower.received.map((event) => event.seq)).toEqual(log.map((event) => event.seq));
      runIds.add(log[0]!.runId!);
    }
    expect(new Set(claimedBy(second))).toEqual(runIds);
    await expectOneOfEachResource(sandbox.control, tenants);
  });
});
