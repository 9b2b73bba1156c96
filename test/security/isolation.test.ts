import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client } from 'graphql-ws';
import { createTenant, loginAs } from '../support/api.js';
import { SandboxControl } from '../support/engine-sandbox.js';
import { errorCode, graphql, graphqlOk, wsClient } from '../support/graphql.js';
import { startTestService, type TestService } from '../support/service.js';
import { watch, type Watcher } from './watch.js';

interface Event {
  seq: number;
  tenantId: string;
  type: string;
}

const EVENT = `seq tenantId type`;
const ACTIVITY = `subscription { provisioningActivity { ${EVENT} } }`;
const EVENTS = `subscription ($id: ID!, $after: Int) { provisioningEvents(tenantId: $id, after: $after) { ${EVENT} } }`;
const START = `mutation ($id: ID!) { startProvisioning(tenantId: $id) { status } }`;

/** Every operation on one tenant, by name: the tenant id goes in as $id. */
const TENANT_OPERATIONS: Record<string, string> = {
  tenant: `query ($id: ID!) { tenant(id: $id) { id name } }`,
  provisioning: `query ($id: ID!) { provisioning(tenantId: $id) { id status } }`,
  provisioningLogs: `query ($id: ID!) { provisioningLogs(tenantId: $id) { seq } }`,
  startProvisioning: START,
  retryProvisioning: `mutation ($id: ID!) { retryProvisioning(tenantId: $id) { status } }`,
  continueProvisioning: `mutation ($id: ID!) { continueProvisioning(tenantId: $id) { status } }`,
  skipStep: `mutation ($id: ID!) { skipStep(tenantId: $id, step: DEMO_ITEMS, reason: "not mine") { status } }`,
  cancelProvisioning: `mutation ($id: ID!) { cancelProvisioning(tenantId: $id) { status } }`,
};

/** The error code a subscription answers with; a subscription that delivers data instead fails the test. */
async function subscriptionErrorCode(client: Client, query: string, variables: Record<string, unknown>): Promise<string | undefined> {
  const watcher = watch<Event>(client, query, variables, Object.keys(variables).length ? 'provisioningEvents' : 'provisioningActivity');
  try {
    const event = await watcher.until(() => true);
    throw new Error(`expected an error, got an event: ${JSON.stringify(event)}`);
  } catch (error) {
    return (error as { errors?: Array<{ extensions?: { code?: string } }> }).errors?.[0]?.extensions?.code;
  } finally {
    watcher.stop();
  }
}

describe('tenant isolation: a tenant admin sees and changes only its own tenant', () => {
  let service: TestService;
  let adminToken: string;
  let tenantA: { id: string };
  let tenantB: { id: string };
  let tokenA: string;
  let tokenB: string;
  /** A third tenant whose admin acts on its own tenant: the control showing an operation is not refused to everybody. */
  let tenantC: { id: string };
  let tokenC: string;
  const clients: Client[] = [];
  const client = (token: string) => {
    const created = wsClient(service.wsUrl, token);
    clients.push(created);
    return created;
  };

  beforeAll(async () => {
    service = await startTestService();
    adminToken = await loginAs(service.graphqlUrl);
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => createTenant(service.graphqlUrl, adminToken)));
    [tenantA, tenantB, tenantC] = [a!, b!, c!];
    [tokenA, tokenB, tokenC] = await Promise.all([a!, b!, c!].map(({ input }) => loginAs(service.graphqlUrl, input.adminEmail, input.adminPassword)));
  });
  afterAll(async () => {
    await Promise.all(clients.map((each) => each.dispose()));
    await service.stop();
  });

  it('lists only the own tenant for a tenant admin, and every tenant for the platform admin', async () => {
    const LIST = `{ tenants { totalCount edges { node { id } } } }`;
    type List = { tenants: { totalCount: number; edges: Array<{ node: { id: string } }> } };
    const mine = await graphqlOk<List>(service.graphqlUrl, LIST, {}, tokenA);
    expect(mine.tenants).toEqual({ totalCount: 1, edges: [{ node: { id: tenantA.id } }] });
    const all = await graphqlOk<List>(service.graphqlUrl, LIST, {}, adminToken);
    expect(all.tenants.edges.map((edge) => edge.node.id).sort()).toEqual([tenantA.id, tenantB.id, tenantC.id].sort());
  });

  it.each(Object.entries(TENANT_OPERATIONS))('%s on another tenant is FORBIDDEN, on its own tenant it is not', async (_name, query) => {
    const other = await graphql(service.graphqlUrl, query, { id: tenantB.id }, tokenA);
    expect(errorCode(other)).toBe('FORBIDDEN');
    expect(other.errors![0]!.message).toMatch(/tenant admin or as a platform admin/);
    const own = await graphql(service.graphqlUrl, query, { id: tenantC.id }, tokenC);
    expect(errorCode(own)).not.toBe('FORBIDDEN');
  });

  it('refuses deprovisionTenant to a tenant admin with FORBIDDEN, on its own tenant as on another, before looking either up', async () => {
    const DEPROVISION = `mutation ($id: ID!) { deprovisionTenant(tenantId: $id, mode: REMOVE) { status } }`;
    for (const id of [tenantC.id, tenantB.id, '3f2b8c1e-9a4d-4e7f-8b1a-2c3d4e5f6a7b']) {
      const result = await graphql(service.graphqlUrl, DEPROVISION, { id }, tokenC);
      expect([id, errorCode(result), result.errors![0]!.message]).toEqual([id, 'FORBIDDEN', 'Only a platform admin may do this.']);
    }
  });

  it('answers FORBIDDEN, not NOT_FOUND, for a tenant id that does not exist: existence does not leak', async () => {
    const result = await graphql(service.graphqlUrl, TENANT_OPERATIONS.tenant!, { id: '3f2b8c1e-9a4d-4e7f-8b1a-2c3d4e5f6a7b' }, tokenA);
    expect(errorCode(result)).toBe('FORBIDDEN');
  });

  it('refuses createTenant to a tenant admin with FORBIDDEN, and creates nothing', async () => {
    const input = { name: 'Sneaky Shop', adminEmail: 'sneaky@tenant.test', adminName: 'Sneaky', adminPassword: 'a-long-enough-password', countryCode: 'KE' };
    const result = await graphql(service.graphqlUrl, `mutation ($input: CreateTenantInput!) { createTenant(input: $input) { id } }`, { input }, tokenA);
    expect(errorCode(result)).toBe('FORBIDDEN');
    expect(result.errors![0]!.message).toBe('Only a platform admin may do this.');
    const { tenants } = await graphqlOk<{ tenants: { totalCount: number } }>(service.graphqlUrl, `{ tenants { totalCount } }`, {}, adminToken);
    expect(tenants.totalCount).toBe(3);
  });

  it('refuses provisioningEvents of another tenant with FORBIDDEN, with and without `after`', async () => {
    const socket = client(tokenA);
    expect(await subscriptionErrorCode(socket, EVENTS, { id: tenantB.id })).toBe('FORBIDDEN');
    expect(await subscriptionErrorCode(socket, EVENTS, { id: tenantB.id, after: 0 })).toBe('FORBIDDEN');
  });

  it("never shows a tenant admin another tenant's events, on any subscription, while both are provisioned", async () => {
    // Latency on every engine call keeps both runs going long enough to overlap.
    await new SandboxControl(service.sandbox!).setFaults({ latencyMs: 15 });
    const admin = watch<Event>(client(adminToken), ACTIVITY, {}, 'provisioningActivity');
    const activityA = watch<Event>(client(tokenA), ACTIVITY, {}, 'provisioningActivity');
    const eventsA = watch<Event>(client(tokenA), EVENTS, { id: tenantA.id }, 'provisioningEvents');
    const activityB = watch<Event>(client(tokenB), ACTIVITY, {}, 'provisioningActivity');
    await eventsA.until((event) => event.type === 'SNAPSHOT');

    // A's own run proves A's subscriptions are live before B's run starts.
    await graphqlOk(service.graphqlUrl, START, { id: tenantA.id }, tokenA);
    const ofA = (event: Event) => event.tenantId === tenantA.id;
    await Promise.all([admin.until(ofA), activityA.until(ofA)]);

    await graphqlOk(service.graphqlUrl, START, { id: tenantB.id }, tokenB);
    await admin.until((event) => event.tenantId === tenantB.id && event.type === 'STEP_STARTED');
    // While B runs, A may neither stop it nor read it.
    for (const name of ['cancelProvisioning', 'skipStep', 'provisioningLogs', 'provisioning'] as const) {
      expect([name, errorCode(await graphql(service.graphqlUrl, TENANT_OPERATIONS[name]!, { id: tenantB.id }, tokenA))]).toEqual([name, 'FORBIDDEN']);
    }
    expect(await subscriptionErrorCode(client(tokenA), EVENTS, { id: tenantB.id, after: 0 })).toBe('FORBIDDEN');

    const completed = (tenantId: string) => (event: Event) => event.tenantId === tenantId && event.type === 'RUN_COMPLETED';
    await Promise.all([
      admin.until(completed(tenantB.id)),
      admin.until(completed(tenantA.id)),
      activityA.until(completed(tenantA.id)),
      eventsA.until(completed(tenantA.id)),
      activityB.until(completed(tenantB.id)),
    ]);

    const tenantsIn = (watcher: Watcher<Event>) => [...new Set(watcher.events.map((event) => event.tenantId))];
    expect(tenantsIn(admin)).toEqual(expect.arrayContaining([tenantA.id, tenantB.id]));
    expect(tenantsIn(activityA)).toEqual([tenantA.id]);
    expect(tenantsIn(eventsA)).toEqual([tenantA.id]);
    expect(tenantsIn(activityB)).toEqual([tenantB.id]);
    // B's run ran to completion: A's attempt to cancel it changed nothing.
    expect(admin.events.filter((event) => event.tenantId === tenantB.id).map((event) => event.type)).not.toContain('RUN_CANCELLED');
    for (const watcher of [admin, activityA, eventsA, activityB]) watcher.stop();
  });
});
