import { describe, expect, it } from '@jest/globals';
import { createTenant, loginAs, tenantInput } from '../support/api.js';
import { errorCode, graphql, graphqlOk } from '../support/graphql.js';
import { waitUntil } from '../support/poll.js';
import { eventLog, followUntilRunEnds, sandbox, START } from '../support/provisioning.js';
import { serviceForSuite } from '../support/service.js';

const RETRY_MANY = `mutation ($filter: TenantFilter!) { retryProvisioningMany(filter: $filter) { matched accepted refused refusals { tenantId code message } } }`;
const CANCEL_MANY = `mutation ($filter: TenantFilter!) { cancelProvisioningMany(filter: $filter) { matched accepted refused refusals { tenantId code } } }`;
const TENANTS = `query ($filter: TenantFilter) { tenants(filter: $filter, first: 200) { totalCount edges { node { id name provisioningStatus } } } }`;

/** ENGINE_CHECK's calls (ping, the signed-in user): methods with no doctype. */
const ENGINE_CHECK_CALLS = { doctype: '', method: 'GET' };

type Bulk = { matched: number; accepted: number; refused: number; refusals: Array<{ tenantId: string; code: string; message?: string }> };
type Listed = { tenants: { totalCount: number; edges: Array<{ node: { id: string; name: string; provisioningStatus: string } }> } };

/** After an engine outage an operator retries every failed tenant at once, not one by one. */
describe('bulk retry and cancel over a tenant filter', () => {
  const suite = serviceForSuite({ ENGINE_OFFLINE_RECHECK_MS: '200' });
  const url = () => suite.service.graphqlUrl;
  const engineOnline = async () =>
    (await graphqlOk<{ engineHealth: { online: boolean } }>(url(), '{ engineHealth { online } }', {}, suite.token)).engineHealth.online;

  it('finds the tenants that failed in the outage by step and error code, and brings every one to COMPLETED with retryProvisioningMany', async () => {
    const batch = `Outage ${Date.now().toString(36)}`;
    const [idle, ...tenants] = await Promise.all(Array.from({ length: 5 }, (_, i) => createTenant(url(), suite.token, { name: `${batch} shop ${i}` })));
    // Every run is accepted while the engine answers, and checks it (held there), when the engine
    // goes away under them.
    await sandbox.faults(suite.service.sandbox!, { hold: ENGINE_CHECK_CALLS });
    for (const tenant of tenants) await graphqlOk(url(), START, { tenantId: tenant.id }, suite.token);
    await waitUntil('every run to be checking the engine', async () =>
      (await Promise.all(tenants.map((tenant) => eventLog(url(), suite.token, tenant.id)))).every((log) =>
        log.some((event) => event.type === 'STEP_STARTED' && event.step === 'ENGINE_CHECK'),
      ),
    );
    await sandbox.faults(suite.service.sandbox!, { offline: true, hold: null });
    for (const tenant of tenants) expect((await followUntilRunEnds(suite.service.wsUrl, suite.token, tenant.id, 0)).at(-1)!.type).toBe('RUN_FAILED');

    const failedIds = tenants.map((tenant) => tenant.id).sort();
    const listed = await graphqlOk<Listed>(url(), TENANTS, { filter: { search: batch, failedStep: 'ENGINE_CHECK', errorCode: 'ENGINE_NETWORK' } }, suite.token);
    expect(listed.tenants.edges.map((edge) => edge.node.id).sort()).toEqual(failedIds);

    // While the engine is still down, every retry is refused with the single-tenant code.
    const refused = (await graphqlOk<{ retryProvisioningMany: Bulk }>(url(), RETRY_MANY, { filter: { search: batch, status: 'FAILED' } }, suite.token))
      .retryProvisioningMany;
    expect(refused).toMatchObject({ matched: failedIds.length, accepted: 0, refused: failedIds.length });
    expect(new Set(refused.refusals.map((refusal) => refusal.code))).toEqual(new Set(['ENGINE_UNAVAILABLE']));

    await sandbox.faults(suite.service.sandbox!, { offline: null });
    await waitUntil('a health check to find the engine again', engineOnline);
    const failedRunEnds = new Map(await Promise.all(failedIds.map(async (id) => [id, (await eventLog(url(), suite.token, id)).at(-1)!.seq] as const)));
    const retried = (await graphqlOk<{ retryProvisioningMany: Bulk }>(url(), RETRY_MANY, { filter: { search: batch } }, suite.token)).retryProvisioningMany;
    // The tenant that never started has no run to retry: refused with INVALID_STATE, as one by one.
    expect(retried).toMatchObject({ matched: 5, accepted: 4, refused: 1 });
    expect(retried.refusals.map((refusal) => [refusal.tenantId, refusal.code])).toEqual([[idle!.id, 'INVALID_STATE']]);
    for (const tenantId of failedIds) {
      expect((await followUntilRunEnds(suite.service.wsUrl, suite.token, tenantId, failedRunEnds.get(tenantId)!)).at(-1)!.type).toBe('RUN_COMPLETED');
    }
    const completed = await graphqlOk<Listed>(url(), TENANTS, { filter: { search: batch, status: 'PROVISIONED' } }, suite.token);
    expect(completed.tenants.edges.map((edge) => edge.node.id).sort()).toEqual(failedIds);
  });

  it('cancels every waiting run of a filter, and is for platform admins only', async () => {
    await sandbox.faults(suite.service.sandbox!, { offline: null, hold: null });
    await waitUntil('the engine to be online', engineOnline);
    const batch = `Later ${Date.now().toString(36)}`;
    const tenants = await Promise.all(Array.from({ length: 3 }, (_, i) => createTenant(url(), suite.token, { name: `${batch} ${i}` })));
    const runAt = new Date(Date.now() + 60_000).toISOString();
    for (const tenant of tenants) await graphqlOk(url(), START, { tenantId: tenant.id, input: { runAt } }, suite.token);
    const cancelled = (await graphqlOk<{ cancelProvisioningMany: Bulk }>(url(), CANCEL_MANY, { filter: { search: batch } }, suite.token))
      .cancelProvisioningMany;
    expect(cancelled).toEqual({ matched: 3, accepted: 3, refused: 0, refusals: [] });
    const listed = await graphqlOk<Listed>(url(), TENANTS, { filter: { search: batch } }, suite.token);
    expect(listed.tenants.edges.map((edge) => edge.node.provisioningStatus)).toEqual(['NOT_PROVISIONED', 'NOT_PROVISIONED', 'NOT_PROVISIONED']);

    const own = tenantInput();
    await graphqlOk(url(), `mutation ($input: CreateTenantInput!) { createTenant(input: $input) { id } }`, { input: own }, suite.token);
    const tenantAdmin = await loginAs(url(), own.adminEmail, own.adminPassword);
    expect(errorCode(await graphql(url(), CANCEL_MANY, { filter: { search: batch } }, tenantAdmin))).toBe('FORBIDDEN');
    expect(errorCode(await graphql(url(), RETRY_MANY, { filter: {} }, tenantAdmin))).toBe('FORBIDDEN');
  });
});
