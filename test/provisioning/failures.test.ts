import { beforeEach, describe, expect, it } from '@jest/globals';
import { waitUntil } from '../support/poll.js';
import { createTenant } from '../support/api.js';
import { collect, errorCode, graphql, graphqlOk, wsClient } from '../support/graphql.js';
import {
  CANCEL,
  CONTINUE,
  engineResourcesOf,
  EVENTS_SUBSCRIPTION,
  followUntilRunEnds,
  provisioningOf,
  RETRY,
  sandbox,
  SKIP,
  START,
  type EventItem,
  type ProvisioningItem,
} from '../support/provisioning.js';
import { serviceForSuite } from '../support/service.js';

describe('failures, retries, skips and the contract error codes', () => {
  const suite = serviceForSuite({ ENGINE_HEALTH_TTL_MS: '100' });
  const start = (tenantId: string) => graphqlOk<{ startProvisioning: ProvisioningItem }>(suite.service.graphqlUrl, START, { tenantId }, suite.token);
  const stepOf = (provisioning: ProvisioningItem, key: string) => provisioning.steps.find((step) => step.key === key)!;
  beforeEach(() => sandbox.faults(suite.service.sandbox!, { latencyMs: null, failNext: null, offline: null, errorRate: null, hold: null }));

  it('fails the run at a critical step with its error; retry re-runs only what failed', async () => {
    const tenant = await createTenant(suite.service.graphqlUrl, suite.token, { name: 'Warehouse Woes' });
    await sandbox.faults(suite.service.sandbox!, { failNext: { doctype: 'Warehouse', method: 'POST', status: 417, count: 1 } });
    await start(tenant.id);
    const events = await followUntilRunEnds(suite.service.wsUrl, suite.token, tenant.id, 0);
    expect(events.at(-1)!.type).toBe('RUN_FAILED');
    expect(events.filter((event) => event.type === 'STEP_FAILED').map((event) => event.step)).toEqual(['WAREHOUSES']);

    const failed = await provisioningOf(suite.service.graphqlUrl, suite.token, tenant.id);
    expect(failed.status).toBe('FAILED');
    expect(stepOf(failed, 'WAREHOUSES')).toMatchObject({ status: 'FAILED', errorCode: 'ENGINE_VALIDATION', attempts: 1 });
    expect(failed.errors).toEqual([expect.objectContaining({ step: 'WAREHOUSES', code: 'ENGINE_VALIDATION' })]);
    // Steps beside WAREHOUSES may have finished; what depends on it has not started.
    for (const key of ['POS_PROFILE', 'POS_SESSION', 'FINALIZE']) expect(stepOf(failed, key).status).toBe('PENDING');
    const completedBefore = failed.steps.filter((step) => step.status === 'COMPLETED').map((step) => step.key);
    const { tenant: failedTenant } = await graphqlOk<{ tenant: { provisioningStatus: string; provisioningError: string } }>(
      suite.service.graphqlUrl,
      `query ($id: ID!) { tenant(id: $id) { provisioningStatus provisioningError } }`,
      { id: tenant.id },
      suite.token,
    );
    expect(failedTenant.provisioningStatus).toBe('FAILED');
    expect(failedTenant.provisioningError).toMatch(/WAREHOUSES/);

    const retried = await graphqlOk<{ retryProvisioning: ProvisioningItem }>(suite.service.graphqlUrl, RETRY, { tenantId: tenant.id }, suite.token);
    expect(retried.retryProvisioning).toMatchObject({ status: 'IN_PROGRESS', id: failed.id });
    const after = await followUntilRunEnds(suite.service.wsUrl, suite.token, tenant.id, events.at(-1)!.seq);
    expect(after.at(-1)!.type).toBe('RUN_COMPLETED');
    const notDoneBefore = failed.steps.filter((step) => step.status !== 'COMPLETED' && step.status !== 'SKIPPED').map((step) => step.key);
    expect(after.filter((event) => event.type === 'STEP_STARTED').map((event) => event.step).sort()).toEqual(notDoneBefore.sort());
    const done = await provisioningOf(suite.service.graphqlUrl, suite.token, tenant.id);
    for (const key of completedBefore) expect(stepOf(done, key)).toMatchObject({ status: 'COMPLETED', attempts: 1 });
    expect(stepOf(done, 'WAREHOUSES')).toMatchObject({ status: 'COMPLETED', attempts: 2 });
    const owned = engineResourcesOf(await sandbox.state(suite.service.sandbox!), 'Warehouse Woes');
    expect(owned.companies).toHaveLength(1);
    expect(owned.warehouses).toHaveLength(2);
  });

  it('retries transient engine errors inside the step with STEP_RETRYING events', async () => {
    const tenant = await createTenant(suite.service.graphqlUrl, suite.token);
    await sandbox.faults(suite.service.sandbox!, { failNext: { doctype: 'Customer', method: 'POST', status: 503, count: 2 } });
    await start(tenant.id);
    const events = await followUntilRunEnds(suite.service.wsUrl, suite.token, tenant.id, 0);
    expect(events.at(-1)!.type).toBe('RUN_COMPLETED');
    expect(events.filter((event) => event.step === 'CUSTOMER').map((event) => event.type)).toEqual([
      'STEP_STARTED', 'STEP_RETRYING', 'STEP_RETRYING', 'STEP_COMPLETED',
    ]);
    expect(stepOf(await provisioningOf(suite.service.graphqlUrl, suite.token, tenant.id), 'CUSTOMER').attempts).toBe(3);
  });

  it('ends PARTIAL when a non-critical step fails; continueProvisioning completes it', async () => {
    const tenant = await createTenant(suite.service.graphqlUrl, suite.token);
    await sandbox.faults(suite.service.sandbox!, { failNext: { doctype: 'POS Opening Entry', method: 'POST', status: 417, count: 1 } });
    await start(tenant.id);
    const events = await followUntilRunEnds(suite.service.wsUrl, suite.token, tenant.id, 0);
    expect(events.at(-1)!.type).toBe('RUN_PARTIAL');
    expect(events.some((event) => event.type === 'STEP_COMPLETED' && event.step === 'FINALIZE')).toBe(true);
    const partial = await provisioningOf(suite.service.graphqlUrl, suite.token, tenant.id);
    expect(partial).toMatchObject({ status: 'PARTIAL', stepsCompleted: 10 });
    expect(stepOf(partial, 'POS_SESSION').status).toBe('FAILED');

    await graphqlOk(suite.service.graphqlUrl, CONTINUE, { tenantId: tenant.id }, suite.token);
    const after = await followUntilRunEnds(suite.service.wsUrl, suite.token, tenant.id, events.at(-1)!.seq);
    expect(after.at(-1)!.type).toBe('RUN_COMPLETED');
    expect(after.filter((event) => event.type === 'STEP_STARTED').map((event) => event.step)).toEqual(['POS_SESSION']);
    expect(await provisioningOf(suite.service.graphqlUrl, suite.token, tenant.id)).toMatchObject({ status: 'COMPLETED', progress: 100 });
  });

  it('skipStep on the only failed step completes a PARTIAL run and records who and why; a critical step is not skippable', async () => {
    const tenant = await createTenant(suite.service.graphqlUrl, suite.token);
    await sandbox.faults(suite.service.sandbox!, { failNext: { doctype: 'POS Opening Entry', method: 'POST', status: 417, count: 1 } });
    await start(tenant.id);
    await followUntilRunEnds(suite.service.wsUrl, suite.token, tenant.id, 0);

    const critical = await graphql(suite.service.graphqlUrl, SKIP, { tenantId: tenant.id, step: 'COMPANY' }, suite.token);
    expect(errorCode(critical)).toBe('STEP_NOT_SKIPPABLE');

    const skipped = await graphqlOk<{ skipStep: ProvisioningItem }>(suite.service.graphqlUrl, SKIP, { tenantId: tenant.id, step: 'POS_SESSION', reason: 'cashier opens it later' }, suite.token);
    expect(skipped.skipStep).toMatchObject({ status: 'COMPLETED', progress: 100 });
    const { provisioning } = await graphqlOk<{ provisioning: { steps: Array<{ key: string; status: string; skippedBy: string; skipReason: string }> } }>(
      suite.service.graphqlUrl,
      `query ($id: ID!) { provisioning(tenantId: $id) { steps { key status skippedBy skipReason } } }`,
      { id: tenant.id },
      suite.token,
    );
    expect(provisioning.steps.find((step) => step.key === 'POS_SESSION')).toEqual({ key: 'POS_SESSION', status: 'SKIPPED', skippedBy: 'admin@platform.test', skipReason: 'cashier opens it later' });
    const { tenant: after } = await graphqlOk<{ tenant: { provisioningStatus: string } }>(suite.service.graphqlUrl, `query ($id: ID!) { tenant(id: $id) { provisioningStatus } }`, { id: tenant.id }, suite.token);
    expect(after.provisioningStatus).toBe('PROVISIONED');
    const again = await graphql(suite.service.graphqlUrl, SKIP, { tenantId: tenant.id, step: 'POS_SESSION' }, suite.token);
    expect(errorCode(again)).toBe('INVALID_STATE');
  });

  it('cancels after the running steps, starting no other; continue resumes where it stopped', async () => {
    const tenant = await createTenant(suite.service.graphqlUrl, suite.token);
    // The company alone stays in flight until the cancel is in: its end would let the chart,
    // warehouses, demo items and customer start, in the same transaction.
    await sandbox.faults(suite.service.sandbox!, { hold: { doctype: 'Company', method: 'POST' } });
    await start(tenant.id);
    const client = wsClient(suite.service.wsUrl, suite.token);
    const seen = new Set<string>();
    const onlyCompanyRunning = (event: EventItem) => seen.add(`${event.type} ${event.step}`).has('STEP_COMPLETED ENGINE_USER') && seen.has('STEP_COMPLETED SETTINGS');
    await collect<EventItem>(client, EVENTS_SUBSCRIPTION, { tenantId: tenant.id, after: 0 }, onlyCompanyRunning, 'provisioningEvents').finally(() => client.dispose());
    const cancel = await graphqlOk<{ cancelProvisioning: ProvisioningItem }>(suite.service.graphqlUrl, CANCEL, { tenantId: tenant.id }, suite.token);
    expect(cancel.cancelProvisioning.status).toBe('IN_PROGRESS');
    await sandbox.faults(suite.service.sandbox!, { hold: null });
    const events = await followUntilRunEnds(suite.service.wsUrl, suite.token, tenant.id, 0);
    expect(events.at(-1)!.type).toBe('RUN_CANCELLED');
    const afterCancel = events.filter((event) => event.seq > cancel.cancelProvisioning.lastEventSeq).map((event) => `${event.type} ${event.step ?? ''}`.trim());
    expect(afterCancel).toEqual(['STEP_COMPLETED COMPANY', 'RUN_CANCELLED']);
    const cancelled = await provisioningOf(suite.service.graphqlUrl, suite.token, tenant.id);
    expect(cancelled.status).toBe('CANCELLED');
    expect(cancelled.steps.filter((step) => ['CHART_OF_ACCOUNTS', 'WAREHOUSES', 'CUSTOMER', 'POS_PROFILE'].includes(step.key)).map((step) => step.status)).toEqual(Array(4).fill('PENDING'));
    expect(errorCode(await graphql(suite.service.graphqlUrl, CANCEL, { tenantId: tenant.id }, suite.token))).toBe('INVALID_STATE');

    await graphqlOk(suite.service.graphqlUrl, CONTINUE, { tenantId: tenant.id }, suite.token);
    const resumed = await followUntilRunEnds(suite.service.wsUrl, suite.token, tenant.id, events.at(-1)!.seq);
    expect(resumed.at(-1)!.type).toBe('RUN_COMPLETED');
    const done = await provisioningOf(suite.service.graphqlUrl, suite.token, tenant.id);
    expect(done.steps.every((step) => step.attempts <= 1)).toBe(true);
  });

  it('answers with the contract error codes', async () => {
    const unknown = '3f2b8c1e-9a4d-4e7f-8b1a-2c3d4e5f6a7b';
    expect(errorCode(await graphql(suite.service.graphqlUrl, START, { tenantId: unknown }, suite.token))).toBe('NOT_FOUND');

    const tenant = await createTenant(suite.service.graphqlUrl, suite.token);
    expect(errorCode(await graphql(suite.service.graphqlUrl, RETRY, { tenantId: tenant.id }, suite.token))).toBe('INVALID_STATE');
    await start(tenant.id);
    expect(errorCode(await graphql(suite.service.graphqlUrl, START, { tenantId: tenant.id }, suite.token))).toBe('CONFLICT');
    await followUntilRunEnds(suite.service.wsUrl, suite.token, tenant.id, 0);
    expect(errorCode(await graphql(suite.service.graphqlUrl, START, { tenantId: tenant.id }, suite.token))).toBe('CONFLICT');
    const nothing = await graphql(suite.service.graphqlUrl, RETRY, { tenantId: tenant.id }, suite.token);
    expect(errorCode(nothing)).toBe('INVALID_STATE');
    expect(nothing.errors![0]!.message).toMatch(/Name a step|only FAILED, PARTIAL or CANCELLED/);
  });

  it('refuses to start with ENGINE_UNAVAILABLE while the engine is known to be offline', async () => {
    const tenant = await createTenant(suite.service.graphqlUrl, suite.token);
    await sandbox.faults(suite.service.sandbox!, { offline: true });
    const health = async () => (await graphqlOk<{ engineHealth: { online: boolean } }>(suite.service.graphqlUrl, `{ engineHealth { online } }`, {}, suite.token)).engineHealth.online;
    await waitUntil('engineHealth to report the engine offline', async () => (await health()) === false, { timeoutMs: 10_000, intervalMs: 50 });
    const refused = await graphql(suite.service.graphqlUrl, START, { tenantId: tenant.id }, suite.token);
    expect(errorCode(refused)).toBe('ENGINE_UNAVAILABLE');
    expect(refused.errors![0]!.message).toMatch(/offline/);
    expect((await provisioningOf(suite.service.graphqlUrl, suite.token, tenant.id))).toBeNull();

    await sandbox.faults(suite.service.sandbox!, { offline: null });
    await waitUntil('engineHealth to report the engine online', health, { timeoutMs: 10_000, intervalMs: 50 });
    await start(tenant.id);
    expect((await followUntilRunEnds(suite.service.wsUrl, suite.token, tenant.id, 0)).at(-1)!.type).toBe('RUN_COMPLETED');
  });
});
