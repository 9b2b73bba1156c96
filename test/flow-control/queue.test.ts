import { describe, expect, it } from '@jest/globals';
import { createTenant } from '../support/api.js';
import { errorCode, graphql, graphqlOk } from '../support/graphql.js';
import { CANCEL, eventLog, followUntilRunEnds, provisioningOf, sandbox, START, type ProvisioningItem } from '../support/provisioning.js';
import { serviceForSuite } from '../support/service.js';

const ACTIVE = 2;
const ENGINE_USER_INSERT = { doctype: 'User', method: 'POST' };

/**
 * Admission in one process: at most ENGINE_MAX_ACTIVE_RUNS execute (lowered to 2 here so that
 * a few runs queue), the rest wait QUEUED in priority order, then first come; a scheduled run
 * waits SCHEDULED for its time; both can be cancelled while they wait.
 */
describe('runs waiting for a slot', () => {
  const suite = serviceForSuite({ ENGINE_MAX_ACTIVE_RUNS: String(ACTIVE) });
  const start = async (input: Record<string, unknown> = {}) => {
    const tenant = await createTenant(suite.service.graphqlUrl, suite.token);
    const { startProvisioning } = await graphqlOk<{ startProvisioning: ProvisioningItem }>(suite.service.graphqlUrl, START, { tenantId: tenant.id, input }, suite.token);
    return { tenantId: tenant.id, started: startProvisioning };
  };
  const startedAt = async (tenantId: string) => {
    const log = await eventLog(suite.service.graphqlUrl, suite.token, tenantId);
    return Date.parse(log.find((event) => event.type === 'RUN_STARTED')!.at);
  };

  it('queues runs past the limit, starts them by priority then arrival, and gives each its place in the queue', async () => {
    // The two running runs hold their slots, waiting on their engine user, until every start below is made.
    await sandbox.faults(suite.service.sandbox!, { hold: ENGINE_USER_INSERT });
    const running = [await start(), await start()];
    expect(running.map((run) => run.started.status)).toEqual(['IN_PROGRESS', 'IN_PROGRESS']);
    const low = [await start(), await start(), await start()];
    expect(low.map((run) => [run.started.status, run.started.queuePosition])).toEqual([['QUEUED', 1], ['QUEUED', 2], ['QUEUED', 3]]);
    const urgent = await start({ priority: 10 });
    expect([urgent.started.status, urgent.started.queuePosition]).toEqual(['QUEUED', 1]);
    expect((await provisioningOf(suite.service.graphqlUrl, suite.token, low[0]!.tenantId)).queuePosition).toBe(2);

    await sandbox.faults(suite.service.sandbox!, { hold: null });
    for (const run of [...running, ...low, urgent]) {
      expect((await followUntilRunEnds(suite.service.wsUrl, suite.token, run.tenantId, 0)).at(-1)!.type).toBe('RUN_COMPLETED');
    }
    const [urgentAt, ...lowAt] = await Promise.all([urgent, ...low].map((run) => startedAt(run.tenantId)));
    expect(lowAt.every((at) => urgentAt! < at)).toBe(true);
    expect([...lowAt].sort((a, b) => a - b)).toEqual(lowAt);
    const queuedLog = await eventLog(suite.service.graphqlUrl, suite.token, low[0]!.tenantId);
    expect(queuedLog.slice(0, 2).map((event) => event.type)).toEqual(['RUN_QUEUED', 'RUN_STARTED']);
  });

  it('does not start a scheduled run before its time, and cancels a waiting run at once', async () => {
    const runAt = new Date(Date.now() + 1500);
    const scheduled = await start({ runAt: runAt.toISOString() });
    expect(scheduled.started.status).toBe('SCHEDULED');
    const events = await followUntilRunEnds(suite.service.wsUrl, suite.token, scheduled.tenantId, 0);
    expect(events.at(-1)!.type).toBe('RUN_COMPLETED');
    expect(await startedAt(scheduled.tenantId)).toBeGreaterThanOrEqual(runAt.getTime());

    const later = await start({ runAt: new Date(Date.now() + 60_000).toISOString() });
    const { cancelProvisioning } = await graphqlOk<{ cancelProvisioning: ProvisioningItem }>(suite.service.graphqlUrl, CANCEL, { tenantId: later.tenantId }, suite.token);
    expect(cancelProvisioning.status).toBe('CANCELLED');
    expect((await eventLog(suite.service.graphqlUrl, suite.token, later.tenantId)).map((event) => event.type)).toEqual(['RUN_QUEUED', 'RUN_CANCELLED']);
  });

  it('refuses a priority out of range and a runAt more than a year ahead with BAD_USER_INPUT', async () => {
    const tenant = await createTenant(suite.service.graphqlUrl, suite.token);
    const tooHigh = await graphql(suite.service.graphqlUrl, START, { tenantId: tenant.id, input: { priority: 5000 } }, suite.token);
    expect([errorCode(tooHigh), tooHigh.errors![0]!.extensions!.field]).toEqual(['BAD_USER_INPUT', 'priority']);
    const tooFar = await graphql(suite.service.graphqlUrl, START, { tenantId: tenant.id, input: { runAt: new Date(Date.now() + 400 * 86_400_000).toISOString() } }, suite.token);
    expect([errorCode(tooFar), tooFar.errors![0]!.extensions!.field]).toEqual(['BAD_USER_INPUT', 'runAt']);
  });
});
