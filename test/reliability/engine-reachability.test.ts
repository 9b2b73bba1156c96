import { beforeEach, describe, expect, it } from '@jest/globals';
import { createTenant, tenantInput } from '../support/api.js';
import { collect, errorCode, graphql, graphqlOk, wsClient } from '../support/graphql.js';
import { waitUntil } from '../support/poll.js';
import { EVENTS_SUBSCRIPTION, followUntilRunEnds, provisioningOf, RETRY, RUN_END_TYPES, sandbox, START, type EventItem } from '../support/provisioning.js';
import { serviceForSuite } from '../support/service.js';

/**
 * What happens when ERPNext does not answer: a hung call is cut at its step's deadline and
 * retried, an unreachable engine fails the run at once and is known to be offline, and a tenant
 * created with autoStart while it is offline is not created at all. Shipped retry policy and
 * engine timeout; only time is scaled (step deadlines at a twentieth, rechecks in 200 ms).
 */
describe('an engine that hangs or cannot be reached', () => {
  const suite = serviceForSuite({ STEP_TIMEOUT_SCALE: '0.05', ENGINE_OFFLINE_RECHECK_MS: '200' });
  const faults = (values: Record<string, unknown>) => sandbox.faults(suite.service.sandbox!, values);
  const engineOnline = async () =>
    (await graphqlOk<{ engineHealth: { online: boolean } }>(suite.service.graphqlUrl, '{ engineHealth { online } }', {}, suite.token)).engineHealth.online;

  beforeEach(async () => {
    await faults({ timeoutRate: null, offline: null });
    await waitUntil('the engine to be reported online', engineOnline);
  });

  it("cuts a hung call at the step's deadline, retries it as ENGINE_TIMEOUT and completes the run", async () => {
    const tenant = await createTenant(suite.service.graphqlUrl, suite.token);
    await faults({ timeoutRate: 1 });
    await graphqlOk(suite.service.graphqlUrl, START, { tenantId: tenant.id }, suite.token);
    const client = wsClient(suite.service.wsUrl, suite.token);
    let released = false;
    const events = await collect<EventItem>(
      client,
      EVENTS_SUBSCRIPTION,
      { tenantId: tenant.id, after: 0 },
      (event) => {
        // The first retry proves the deadline fired; then the engine answers again.
        if (event.type === 'STEP_RETRYING' && !released) {
          released = true;
          void faults({ timeoutRate: null });
        }
        return RUN_END_TYPES.has(event.type);
      },
      'provisioningEvents',
    ).finally(() => client.dispose());

    expect(events.at(-1)!.type).toBe('RUN_COMPLETED');
    const retry = events.find((event) => event.type === 'STEP_RETRYING')!;
    expect(retry.step).toBe('ENGINE_CHECK');
    expect(retry.message).toContain(`no answer from ERPNext at ${suite.service.engineUrl} before the step's deadline`);
  });

  it('fails a run that cannot reach the engine at ENGINE_CHECK, naming its URL, and refuses start and retry until a check succeeds', async () => {
    const [first, second] = [await createTenant(suite.service.graphqlUrl, suite.token), await createTenant(suite.service.graphqlUrl, suite.token)];
    await faults({ offline: true });
    await graphqlOk(suite.service.graphqlUrl, START, { tenantId: first.id }, suite.token);
    expect((await followUntilRunEnds(suite.service.wsUrl, suite.token, first.id, 0)).at(-1)!.type).toBe('RUN_FAILED');
    const failed = await provisioningOf(suite.service.graphqlUrl, suite.token, first.id);
    expect(failed.errors).toEqual([
      { step: 'ENGINE_CHECK', code: 'ENGINE_NETWORK', message: expect.stringContaining(`could not reach ERPNext at ${suite.service.engineUrl} (`) },
    ]);

    // Known offline at once, not only after the next scheduled check.
    expect(errorCode(await graphql(suite.service.graphqlUrl, START, { tenantId: second.id }, suite.token))).toBe('ENGINE_UNAVAILABLE');
    expect(errorCode(await graphql(suite.service.graphqlUrl, RETRY, { tenantId: first.id }, suite.token))).toBe('ENGINE_UNAVAILABLE');

    await faults({ offline: null });
    await waitUntil('a health check to find the engine again', engineOnline);
    await graphqlOk(suite.service.graphqlUrl, RETRY, { tenantId: first.id }, suite.token);
    expect((await followUntilRunEnds(suite.service.wsUrl, suite.token, first.id, failed.lastEventSeq)).at(-1)!.type).toBe('RUN_COMPLETED');
  });

  it('creates no tenant when createTenant(autoStart) is refused because the engine is offline, so the same request works later', async () => {
    const tenant = await createTenant(suite.service.graphqlUrl, suite.token);
    await faults({ offline: true });
    await graphqlOk(suite.service.graphqlUrl, START, { tenantId: tenant.id }, suite.token);
    expect((await followUntilRunEnds(suite.service.wsUrl, suite.token, tenant.id, 0)).at(-1)!.type).toBe('RUN_FAILED');

    const input = tenantInput({ autoStart: true });
    const create = `mutation ($input: CreateTenantInput!) { createTenant(input: $input) { id provisioningStatus } }`;
    const refused = await graphql(suite.service.graphqlUrl, create, { input }, suite.token);
    expect(errorCode(refused)).toBe('ENGINE_UNAVAILABLE');
    const listed = await graphqlOk<{ tenants: { edges: Array<{ node: { name: string } }> } }>(
      suite.service.graphqlUrl,
      `{ tenants(first: 200) { edges { node { name } } } }`,
      {},
      suite.token,
    );
    expect(listed.tenants.edges.map((edge) => edge.node.name)).not.toContain(input.name);

    await faults({ offline: null });
    await waitUntil('a health check to find the engine again', engineOnline);
    const created = await graphqlOk<{ createTenant: { id: string; provisioningStatus: string } }>(suite.service.graphqlUrl, create, { input }, suite.token);
    expect(created.createTenant.provisioningStatus).toBe('PROVISIONING');
    expect((await followUntilRunEnds(suite.service.wsUrl, suite.token, created.createTenant.id, 0)).at(-1)!.type).toBe('RUN_COMPLETED');
  });
});
