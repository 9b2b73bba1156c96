import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createProvisioningClient, type ProvisioningClient, type WebhookEndpointFieldsFragment } from '../../client/src/index.js';
import { createTenant, loginAs } from '../support/api.js';
import { errorCode, graphql } from '../support/graphql.js';
import { waitUntil } from '../support/poll.js';
import { serviceForSuite } from '../support/service.js';
import { Receiver } from './receiver.js';
import { followRun, WEBHOOK_TEST_ENV } from './support.js';

const UNKNOWN_ID = '3f2b8c1e-9a4d-4e7f-8b1a-2c3d4e5f6a7b';

/** Tenant isolation for webhooks: a tenant admin acts on its own tenant's endpoints only; platform admins on all. */
describe('webhook endpoints and deliveries, by who asks', () => {
  const suite = serviceForSuite(WEBHOOK_TEST_ENV);
  const receiver = new Receiver();
  let platform: ProvisioningClient;
  let adminA: ProvisioningClient;
  let tenantA: string;
  let tenantB: string;
  let endpointB: WebhookEndpointFieldsFragment;
  let everyTenant: WebhookEndpointFieldsFragment;
  let deliveryB: string;

  beforeAll(async () => {
    await receiver.start();
    const { graphqlUrl } = suite.service;
    platform = createProvisioningClient({ url: graphqlUrl, token: suite.token });
    const a = await createTenant(graphqlUrl, suite.token);
    const b = await createTenant(graphqlUrl, suite.token);
    [tenantA, tenantB] = [a.id, b.id];
    adminA = createProvisioningClient({ url: graphqlUrl, token: await loginAs(graphqlUrl, a.input.adminEmail, a.input.adminPassword) });
    ({ endpoint: endpointB } = await platform.createWebhookEndpoint({ url: receiver.url('/b'), eventTypes: ['RUN_STARTED'], tenantId: tenantB }));
    ({ endpoint: everyTenant } = await platform.createWebhookEndpoint({ url: receiver.url('/all'), eventTypes: ['RUN_COMPLETED'] }));
    await platform.startProvisioning(tenantB);
    await followRun(graphqlUrl, suite.token, tenantB);
    deliveryB = await waitUntil('B to have its delivery', async () => (await platform.webhookDeliveries({ endpointId: endpointB.id })).edges[0]?.node.id);
  });
  afterAll(() => receiver.close());

  it("lets a tenant admin create, list, change and delete its own tenant's endpoints", async () => {
    const { endpoint, secret } = await adminA.createWebhookEndpoint({ url: receiver.url('/a'), eventTypes: ['RUN_COMPLETED', 'RUN_FAILED', 'RUN_COMPLETED'], tenantId: tenantA });
    expect(endpoint).toMatchObject({ tenantId: tenantA, eventTypes: ['RUN_COMPLETED', 'RUN_FAILED'], enabled: true, disabledReason: null });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect((await adminA.webhookEndpoints()).map((listed) => listed.id)).toEqual([endpoint.id]);
    expect((await adminA.webhookEndpoints(tenantA)).map((listed) => listed.id)).toEqual([endpoint.id]);

    const disabled = await adminA.updateWebhookEndpoint(endpoint.id, { enabled: false, eventTypes: ['RUN_PARTIAL'] });
    expect(disabled).toMatchObject({ enabled: false, eventTypes: ['RUN_PARTIAL'] });
    expect(disabled.disabledReason).toMatch(/^Disabled by owner-.+@tenant\.test\.$/);
    expect(await adminA.deleteWebhookEndpoint(endpoint.id)).toBe(endpoint.id);
    expect(await adminA.webhookEndpoints()).toEqual([]);
  });

  it("refuses a tenant admin every other tenant's endpoints and deliveries, and the every-tenant ones, with FORBIDDEN", async () => {
    const refusals = {
      create: adminA.createWebhookEndpoint({ url: receiver.url('/a'), eventTypes: ['RUN_STARTED'], tenantId: tenantB }),
      createForEveryTenant: adminA.createWebhookEndpoint({ url: receiver.url('/a'), eventTypes: ['RUN_STARTED'] }),
      list: adminA.webhookEndpoints(tenantB),
      listUnknownTenant: adminA.webhookEndpoints(UNKNOWN_ID),
      update: adminA.updateWebhookEndpoint(endpointB.id, { enabled: false }),
      delete: adminA.deleteWebhookEndpoint(endpointB.id),
      deliveries: adminA.webhookDeliveries({ endpointId: endpointB.id }),
      everyTenantDeliveries: adminA.webhookDeliveries({ endpointId: everyTenant.id }),
      redeliver: adminA.redeliverWebhook(deliveryB),
    };
    const codes = Object.fromEntries(await Promise.all(Object.entries(refusals).map(async ([name, call]) => [name, await call.then(() => 'OK', (error) => error.code)])));
    expect(codes).toEqual(Object.fromEntries(Object.keys(refusals).map((name) => [name, 'FORBIDDEN'])));
    // Nothing changed.
    expect(await platform.webhookEndpoints(tenantB)).toEqual([endpointB]);
  });

  it('lets a platform admin see and act on any tenant, and on the every-tenant endpoints', async () => {
    expect((await platform.webhookEndpoints()).map((listed) => listed.id)).toEqual([everyTenant.id]);
    const page = await platform.webhookDeliveries({ endpointId: everyTenant.id });
    expect(page.edges.map((edge) => [edge.node.tenantId, edge.node.eventType])).toEqual([[tenantB, 'RUN_COMPLETED']]);
    expect(await platform.redeliverWebhook(deliveryB)).toMatchObject({ id: deliveryB, endpointId: endpointB.id });
  });

  it('answers NOT_FOUND for ids that do not exist, BAD_USER_INPUT for ones that are not ids, UNAUTHENTICATED without a token', async () => {
    const codeOf = (call: Promise<unknown>) => call.then(() => 'OK', (error) => error.code);
    expect(await codeOf(platform.updateWebhookEndpoint(UNKNOWN_ID, { enabled: false }))).toBe('NOT_FOUND');
    expect(await codeOf(adminA.deleteWebhookEndpoint(UNKNOWN_ID))).toBe('NOT_FOUND');
    expect(await codeOf(platform.webhookDeliveries({ endpointId: UNKNOWN_ID }))).toBe('NOT_FOUND');
    expect(await codeOf(platform.redeliverWebhook(UNKNOWN_ID))).toBe('NOT_FOUND');
    expect(await codeOf(platform.createWebhookEndpoint({ url: receiver.url('/x'), eventTypes: ['RUN_STARTED'], tenantId: UNKNOWN_ID }))).toBe('NOT_FOUND');
    expect(await codeOf(platform.redeliverWebhook('not-an-id'))).toBe('BAD_USER_INPUT');
    expect(await codeOf(platform.webhookDeliveries({ endpointId: endpointB.id, after: 'not-a-cursor' }))).toBe('BAD_USER_INPUT');
    const anonymous = await graphql(suite.service.graphqlUrl, `{ webhookEndpoints { id } }`);
    expect(errorCode(anonymous)).toBe('UNAUTHENTICATED');
  });

  it('refuses bad endpoint input with BAD_USER_INPUT naming the field', async () => {
    const create = (url: string, eventTypes: Parameters<ProvisioningClient['createWebhookEndpoint']>[0]['eventTypes'] = ['RUN_STARTED']) =>
      platform.createWebhookEndpoint({ url, eventTypes, tenantId: tenantA }).then(
        () => 'created',
        (error) => `${error.code} [${error.errors[0]?.extensions?.field}] ${error.message}`,
      );
    expect(await create('not a url')).toMatch(/^BAD_USER_INPUT \[input\.url\] input\.url: .*is not an absolute URL/);
    expect(await create('ftp://127.0.0.1/hook')).toMatch(/^BAD_USER_INPUT \[input\.url\] input\.url: .*must be an https URL/);
    expect(await create(`http://user:pass@127.0.0.1:${new URL(receiver.url('/x')).port}/x`)).toMatch(/^BAD_USER_INPUT \[input\.url\] input\.url: .*user name or password/);
    expect(await create(`https://127.0.0.1/${'x'.repeat(2048)}`)).toMatch(/^BAD_USER_INPUT \[input\.url\] input\.url: must be at most 2048 characters/);
    expect(await create(receiver.url('/x'), [])).toMatch(/^BAD_USER_INPUT \[input\.eventTypes\] input\.eventTypes: must name at least one event type/);
    expect(await create(receiver.url('/x'), ['SNAPSHOT'])).toMatch(/^BAD_USER_INPUT \[input\.eventTypes\] input\.eventTypes: SNAPSHOT is never delivered/);
  });

  it('allows at most 20 endpoints per tenant', async () => {
    const tenant = await createTenant(suite.service.graphqlUrl, suite.token);
    const create = () => platform.createWebhookEndpoint({ url: receiver.url('/many'), eventTypes: ['RUN_STARTED'], tenantId: tenant.id });
    // At once: the limit holds for concurrent requests too.
    const results = await Promise.allSettled(Array.from({ length: 22 }, create));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(20);
    const refused = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    expect(refused.map((result) => result.reason.code)).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT']);
    expect(refused[0]!.reason.message).toMatch(/has 20 webhook endpoints already/);
  });
});
