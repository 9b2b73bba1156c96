import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { loginAs } from '../support/api.js';
import type { ChildService } from '../support/child-service.js';
import { EventFollower } from '../support/event-follower.js';
import { graphqlOk } from '../support/graphql.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres-admin.js';
import {
  eventLog,
  expectGapFree,
  expectOneOfEachResource,
  expectOrderlyExecution,
  spawnReplica,
  startRuns,
  waitForStatus,
  type LoggedEvent,
} from '../support/reliability.js';
import { waitUntil } from '../support/poll.js';
import { spawnSandbox, type SandboxProcess } from '../support/sandbox-process.js';

const CLEAR_FAULTS = { latencyMs: 5, errorRate: null, timeoutRate: null, offline: null, failNext: null, hold: null, dropAfterCommit: null, rateLimit: null };

/** Engine error classes: transient engine failures are retried inside the step; nothing is created twice. */
describe('engine faults injected into a sandbox process', () => {
  let sandbox: SandboxProcess;
  let database: TestDatabase;
  let service: ChildService;
  let graphqlUrl: string;
  let wsUrl: string;
  let token: string;

  beforeAll(async () => {
    [sandbox, database] = await Promise.all([spawnSandbox(), createTestDatabase()]);
    // The shipped retry policy (50 attempts per step): a quarter of all requests fail and a step
    // makes up to four per attempt, so an attempt fails about two times in three, and a step
    // fails by chance about 4 times in 10^9 (0.68^50). Only time is scaled: delays from 5 ms,
    // held requests end at their step's deadline (STEP_TIMEOUT_SCALE 0.02: 0.2 to 2.4 s), an
    // offline engine is checked again after 200 ms.
    service = await spawnReplica(database.url, sandbox.serviceEnv, { STEP_TIMEOUT_SCALE: '0.02', ENGINE_OFFLINE_RECHECK_MS: '200' });
    graphqlUrl = `${service.url}/graphql`;
    wsUrl = `${service.url.replace(/^http/, 'ws')}/graphql`;
    token = await loginAs(graphqlUrl);
  });

  // Starts are refused while the cached engine health (30 s) says offline: each test begins
  // with a fresh, healthy check, so no background re-check can land inside a fault window.
  beforeEach(async () => {
    await sandbox.control.setFaults(CLEAR_FAULTS);
    const health = await graphqlOk<{ engineHealth: { online: boolean } }>(graphqlUrl, '{ engineHealth { online } }', {}, token);
    expect(health.engineHealth.online).toBe(true);
  });

  afterAll(async () => {
    if (service && service.process.exitCode === null) await service.kill('SIGTERM');
    await sandbox?.stop();
    await database?.drop();
  });

  const checkLog = async (tenantId: string): Promise<LoggedEvent[]> => {
    const log = await eventLog(graphqlUrl, token, tenantId);
    expectGapFree(log);
    expectOrderlyExecution(log);
    return log;
  };

  it('completes 10 runs through 20% 5xx, 5% timeouts and bursts of 429 with Retry-After, by retrying', async () => {
    // Started on a healthy engine (a start is refused while the cached health says offline),
    // slow enough that the faults below meet every run in the middle of its steps.
    await sandbox.control.setFaults({ latencyMs: 40 });
    const tenants = await startRuns(10, token, () => service.url);
    await sandbox.control.setFaults({ errorRate: 0.2, timeoutRate: 0.05, failNext: { status: 429, count: 10, retryAfterSeconds: 1 } });
    // A second burst of 429s while the runs are in the middle of their steps.
    await waitUntil('runs to be past their company step', async () => {
      const logs = await Promise.all(tenants.map((tenant) => eventLog(graphqlUrl, token, tenant.id)));
      return logs.filter((log) => log.some((event) => event.step === 'COMPANY' && event.type === 'STEP_COMPLETED')).length >= 3;
    });
    await sandbox.control.setFaults({ failNext: { status: 429, count: 10, retryAfterSeconds: 1 } });
    await waitForStatus(graphqlUrl, token, tenants, 'COMPLETED', 45_000);

    const retries: string[] = [];
    for (const tenant of tenants) {
      const log = await checkLog(tenant.id);
      expect(log.at(-1)!.type).toBe('RUN_COMPLETED');
      retries.push(...log.filter((event) => event.type === 'STEP_RETRYING').map((event) => event.message));
    }
    // The faults did reach the runs: each kind was met and retried.
    expect(retries.some((message) => /50[023]/.test(message))).toBe(true);
    expect(retries.some((message) => /timed out/.test(message))).toBe(true);
    expect(retries.some((message) => /429|rate/i.test(message))).toBe(true);
    await expectOneOfEachResource(sandbox.control, tenants);
  });

  it('fails at ENGINE_CHECK with a clear error while the engine is offline, and retryProvisioning completes the run once it is back', async () => {
    // startProvisioning refuses outright when the cached health says offline; the engine goes
    // down after the run was accepted, as it would between the health check and the run: while
    // the run is held in its check (its calls are methods, without a doctype).
    await sandbox.control.setFaults({ hold: { doctype: '', method: 'GET' } });
    const [tenant] = await startRuns(1, token, () => service.url);
    await sandbox.control.setFaults({ offline: true, hold: null });
    await waitForStatus(graphqlUrl, token, [tenant!], 'FAILED');
    const failed = await graphqlOk<{ provisioning: { currentStep: string; errors: Array<{ step: string; code: string; message: string }> } }>(
      graphqlUrl,
      `query ($id: ID!) { provisioning(tenantId: $id) { currentStep errors { step code message } } }`,
      { id: tenant!.id },
      token,
    );
    expect(failed.provisioning.currentStep).toBe('ENGINE_CHECK');
    expect(failed.provisioning.errors).toEqual([
      { step: 'ENGINE_CHECK', code: 'ENGINE_NETWORK', message: expect.stringMatching(/^GET \/api\/method\/\S+ failed: could not reach ERPNext at http:\/\/127\.0\.0\.1:\d+ \(/) },
    ]);
    const failedLog = await eventLog(graphqlUrl, token, tenant!.id);
    expect(failedLog.at(-1)!).toMatchObject({ type: 'RUN_FAILED', message: expect.stringMatching(/^Provisioning failed at ENGINE_CHECK: .+ Fix the cause, then retry\.$/) });

    await sandbox.control.setFaults({ offline: null, latencyMs: 5 });
    // The failed run marked the engine offline: retry is refused until a check finds it again.
    await waitUntil('engineHealth to report the engine online', async () =>
      (await graphqlOk<{ engineHealth: { online: boolean } }>(graphqlUrl, '{ engineHealth { online } }', {}, token)).engineHealth.online,
    );
    const follower = new EventFollower(tenant!.id, token, (event) => event.type === 'RUN_COMPLETED');
    const following = follower.follow(wsUrl);
    await graphqlOk(graphqlUrl, `mutation ($id: ID!) { retryProvisioning(tenantId: $id) { status } }`, { id: tenant!.id }, token);
    await waitForStatus(graphqlUrl, token, [tenant!], 'COMPLETED');
    await following;

    const log = await checkLog(tenant!.id);
    expect(log.map((event) => event.type)).toEqual(expect.arrayContaining(['STEP_FAILED', 'RUN_FAILED', 'RUN_STARTED', 'RUN_COMPLETED']));
    expect(follower.received.map((event) => event.seq)).toEqual(log.map((event) => event.seq));
    await expectOneOfEachResource(sandbox.control, [tenant!]);
  });

  it('finds the resource when the engine committed it but the response was lost, instead of creating a second one', async () => {
    // Customer inserts are not refused as duplicates by ERPNext (it suffixes the name), so only
    // looking the customer up again on retry keeps it single.
    await sandbox.control.setFaults({ dropAfterCommit: { doctype: 'Customer', method: 'POST', count: 1 } });
    const [tenant] = await startRuns(1, token, () => service.url);
    await waitForStatus(graphqlUrl, token, [tenant!], 'COMPLETED');

    const log = await checkLog(tenant!.id);
    const customerEvents = log.filter((event) => event.step === 'CUSTOMER').map((event) => event.type);
    expect(customerEvents).toEqual(['STEP_STARTED', 'STEP_RETRYING', 'STEP_COMPLETED']);
    expect(log.find((event) => event.step === 'CUSTOMER' && event.type === 'STEP_COMPLETED')!.message).toMatch(/already exists|found/i);
    await expectOneOfEachResource(sandbox.control, [tenant!]);
  });
});
