import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { buildSchema } from 'graphql';
import type { Client } from 'graphql-ws';
import { createTenant, loginAs } from '../support/api.js';
import { collect, errorCode, graphql, graphqlOk, wsClient, type GraphQLResponse } from '../support/graphql.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestService, type TestService } from '../support/service.js';
import { bearer, initSocket, openRawSocket } from './sockets.js';
import { forgedTokens, TEST_JWT_SECRET } from './tokens.js';

const LOGIN = `mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { token user { id email role tenantId } } }`;
const ME = `{ me { id email role tenantId } }`;
// Any well-formed id: authentication is checked before anything is looked up.
const SOME_ID = '3f2b8c1e-9a4d-4e7f-8b1a-2c3d4e5f6a7b';

/** One operation per root field that needs a token; the coverage test keeps it complete. */
const HTTP_OPERATIONS: Record<string, [string, Record<string, unknown>?]> = {
  'Query.me': [ME],
  'Query.tenant': [`query ($id: ID!) { tenant(id: $id) { id } }`, { id: SOME_ID }],
  'Query.tenants': [`{ tenants { totalCount } }`],
  'Query.provisioning': [`query ($id: ID!) { provisioning(tenantId: $id) { id } }`, { id: SOME_ID }],
  'Query.provisioningLogs': [`query ($id: ID!) { provisioningLogs(tenantId: $id) { seq } }`, { id: SOME_ID }],
  'Query.provisioningPlan': [`{ provisioningPlan { key } }`],
  'Query.provisioningTemplates': [`{ provisioningTemplates { key } }`],
  'Query.engineHealth': [`{ engineHealth { online } }`],
  'Mutation.createTenant': [
    `mutation ($input: CreateTenantInput!) { createTenant(input: $input) { id } }`,
    { input: { name: 'Nope', adminEmail: 'nope@tenant.test', adminName: 'No', adminPassword: 'long-enough-password', countryCode: 'KE' } },
  ],
  'Mutation.changePassword': [
    `mutation ($current: String!, $next: String!) { changePassword(currentPassword: $current, newPassword: $next) { token } }`,
    { current: 'whatever-it-was', next: 'a-new-long-password' },
  ],
  'Mutation.startProvisioning': [`mutation ($id: ID!) { startProvisioning(tenantId: $id) { id } }`, { id: SOME_ID }],
  'Mutation.retryProvisioning': [`mutation ($id: ID!) { retryProvisioning(tenantId: $id) { id } }`, { id: SOME_ID }],
  'Mutation.continueProvisioning': [`mutation ($id: ID!) { continueProvisioning(tenantId: $id) { id } }`, { id: SOME_ID }],
  'Mutation.skipStep': [`mutation ($id: ID!) { skipStep(tenantId: $id, step: DEMO_ITEMS, reason: "x") { id } }`, { id: SOME_ID }],
  'Mutation.cancelProvisioning': [`mutation ($id: ID!) { cancelProvisioning(tenantId: $id) { id } }`, { id: SOME_ID }],
  'Mutation.deprovisionTenant': [`mutation ($id: ID!) { deprovisionTenant(tenantId: $id, mode: DISABLE) { id } }`, { id: SOME_ID }],
  'Mutation.retryProvisioningMany': [`mutation { retryProvisioningMany(filter: { status: FAILED }) { matched } }`],
  'Mutation.cancelProvisioningMany': [`mutation { cancelProvisioningMany(filter: { status: PROVISIONING }) { matched } }`],
  'Query.webhookEndpoints': [`{ webhookEndpoints { id } }`],
  'Query.webhookDeliveries': [`query ($id: ID!) { webhookDeliveries(endpointId: $id) { edges { cursor } } }`, { id: SOME_ID }],
  'Mutation.createWebhookEndpoint': [
    `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret } }`,
    { input: { url: 'https://receiver.example/hook', eventTypes: ['RUN_COMPLETED'], tenantId: SOME_ID } },
  ],
  'Mutation.updateWebhookEndpoint': [`mutation ($id: ID!) { updateWebhookEndpoint(id: $id, input: { enabled: false }) { id } }`, { id: SOME_ID }],
  'Mutation.deleteWebhookEndpoint': [`mutation ($id: ID!) { deleteWebhookEndpoint(id: $id) }`, { id: SOME_ID }],
  'Mutation.redeliverWebhook': [`mutation ($id: ID!) { redeliverWebhook(deliveryId: $id) { id } }`, { id: SOME_ID }],
};
const SUBSCRIPTIONS: Record<string, [string, Record<string, unknown>?]> = {
  'Subscription.provisioningEvents': [`subscription ($id: ID!) { provisioningEvents(tenantId: $id) { seq } }`, { id: SOME_ID }],
  'Subscription.provisioningActivity': [`subscription { provisioningActivity { seq } }`],
};
const PUBLIC_FIELDS = ['Mutation.login'];

/** What a graphql-ws client sees for one subscription: the socket's close code, or a first result. */
function subscriptionOutcome(client: Client, query: string, variables: Record<string, unknown> = {}): Promise<{ closeCode?: number; result?: unknown }> {
  return new Promise((resolve) => {
    const dispose = client.subscribe(
      { query, variables },
      {
        next: (result) => {
          dispose();
          resolve({ result });
        },
        error: (error) => resolve({ closeCode: (error as { code?: number }).code }),
        complete: () => resolve({}),
      },
    );
  });
}

async function post(url: string, query: string, variables: Record<string, unknown>, authorization: string) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify({ query, variables }) });
  return { status: response.status, body: (await response.json()) as GraphQLResponse<unknown> };
}

describe('authentication: login, tokens on HTTP and WebSocket', () => {
  let service: TestService;
  let adminToken: string;

  beforeAll(async () => {
    service = await startTestService({
      JWT_SECRET: TEST_JWT_SECRET,
      LOGIN_MAX_PER_EMAIL: '3',
      // Every test here signs in from 127.0.0.1; the per-client budget is covered in login-rate-limiter.test.ts.
      LOGIN_MAX_PER_CLIENT: '500',
    });
    adminToken = await loginAs(service.graphqlUrl);
  });
  afterAll(() => service.stop());

  it('lists an operation for every root field of schema.graphql that needs a token', () => {
    const schema = buildSchema(readFileSync('schema.graphql', 'utf8'));
    const rootFields = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((type) =>
      Object.keys(type?.getFields() ?? {}).map((field) => `${type!.name}.${field}`),
    );
    const covered = [...Object.keys(HTTP_OPERATIONS), ...Object.keys(SUBSCRIPTIONS), ...PUBLIC_FIELDS];
    expect(covered.sort()).toEqual(rootFields.sort());
  });

  it.each(Object.entries(HTTP_OPERATIONS))('%s without a token is UNAUTHENTICATED and says how to sign in', async (_field, [query, variables]) => {
    const result = await graphql(service.graphqlUrl, query, variables);
    expect(errorCode(result)).toBe('UNAUTHENTICATED');
    expect(result.errors![0]!.message).toMatch(/login/);
    // A nullable root field comes back null next to the error; nothing else is answered.
    expect(Object.values(result.data ?? {}).every((value) => value === null)).toBe(true);
  });

  it.each(Object.entries(SUBSCRIPTIONS))('%s without a token: the socket is closed with 4401', async (_field, [query, variables]) => {
    const client = wsClient(service.wsUrl);
    try {
      expect(await subscriptionOutcome(client, query, variables)).toEqual({ closeCode: 4401 });
    } finally {
      await client.dispose();
    }
  });

  it('closes a socket whose connection_init has no token with 4401 and a reason that says what to send', async () => {
    const socket = await initSocket(service.wsUrl, {});
    expect(socket.acked).toBe(false);
    const closed = await socket.closed;
    expect(closed.code).toBe(4401);
    expect(closed.reason).toMatch(/Bearer <token>/);
  });

  it('closes a socket that subscribes before connection_init with 4401', async () => {
    const socket = await openRawSocket(service.wsUrl);
    socket.send({ id: '1', type: 'subscribe', payload: { query: 'subscription { provisioningActivity { seq } }' } });
    expect((await socket.closed).code).toBe(4401);
  });

  it('signs in the platform admin, and `me` says who it is', async () => {
    const { login } = await graphqlOk<{ login: { token: string; user: Record<string, unknown> } }>(service.graphqlUrl, LOGIN, {
      email: ADMIN_EMAIL.toUpperCase(),
      password: ADMIN_PASSWORD,
    });
    expect(login.user).toMatchObject({ email: ADMIN_EMAIL, role: 'PLATFORM_ADMIN', tenantId: null });
    const { me } = await graphqlOk<{ me: Record<string, unknown> }>(service.graphqlUrl, ME, {}, login.token);
    expect(me).toEqual(login.user);
  });

  it('signs in the tenant admin created by createTenant, and `me` names its tenant', async () => {
    const tenant = await createTenant(service.graphqlUrl, adminToken);
    const token = await loginAs(service.graphqlUrl, tenant.input.adminEmail, tenant.input.adminPassword);
    const { me } = await graphqlOk<{ me: Record<string, unknown> }>(service.graphqlUrl, ME, {}, token);
    expect(me).toMatchObject({ email: tenant.input.adminEmail, role: 'TENANT_ADMIN', tenantId: tenant.id });
  });

  it('gives the same answer for an unknown email and a wrong password', async () => {
    const unknown = await graphql(service.graphqlUrl, LOGIN, { email: 'nobody-here@platform.test', password: ADMIN_PASSWORD });
    const wrong = await graphql(service.graphqlUrl, LOGIN, { email: ADMIN_EMAIL, password: 'not-the-password' });
    expect(errorCode(unknown)).toBe('UNAUTHENTICATED');
    expect(unknown.errors).toEqual(wrong.errors);
  });

  it('refuses an email or password over the length limit with BAD_USER_INPUT naming the field', async () => {
    const longEmail = await graphql(service.graphqlUrl, LOGIN, { email: `${'a'.repeat(300)}@platform.test`, password: 'x' });
    expect(errorCode(longEmail)).toBe('BAD_USER_INPUT');
    expect(longEmail.errors![0]!.extensions!.field).toBe('email');
    const longPassword = await graphql(service.graphqlUrl, LOGIN, { email: ADMIN_EMAIL, password: 'p'.repeat(10_000) });
    expect(errorCode(longPassword)).toBe('BAD_USER_INPUT');
    expect(longPassword.errors![0]!.extensions!.field).toBe('password');
  });

  it('rate-limits sign-in per email: after 3 failures even the right password is RATE_LIMITED, other emails are not', async () => {
    const tenant = await createTenant(service.graphqlUrl, adminToken);
    const email = tenant.input.adminEmail;
    for (let attempt = 0; attempt < 3; attempt++) {
      expect(errorCode(await graphql(service.graphqlUrl, LOGIN, { email, password: `wrong-guess-${attempt}` }))).toBe('UNAUTHENTICATED');
    }
    const limited = await graphql(service.graphqlUrl, LOGIN, { email, password: tenant.input.adminPassword });
    expect(errorCode(limited)).toBe('RATE_LIMITED');
    expect(limited.errors![0]!.message).toMatch(/wait \d+ s/);
    expect(limited.errors![0]!.extensions!.retryAfterSeconds).toBeGreaterThan(0);
    await expect(loginAs(service.graphqlUrl)).resolves.toMatch(/^eyJ/);
  });

  it('refuses every forged, expired or foreign token: UNAUTHENTICATED (401) on HTTP, 4401 on the socket', async () => {
    const { me } = await graphqlOk<{ me: { id: string } }>(service.graphqlUrl, ME, {}, adminToken);
    const tenant = await createTenant(service.graphqlUrl, adminToken);
    const tenantToken = await loginAs(service.graphqlUrl, tenant.input.adminEmail, tenant.input.adminPassword);
    const outcomes: Record<string, unknown> = {};
    const expected: Record<string, unknown> = {};
    for (const [name, token] of Object.entries(await forgedTokens(me.id, tenantToken))) {
      const http = await post(service.graphqlUrl, ME, {}, `Bearer ${token}`);
      const socket = await initSocket(service.wsUrl, bearer(token));
      outcomes[name] = { status: http.status, code: errorCode(http.body), data: http.body.data ?? null, acked: socket.acked, close: (await socket.closed).code };
      expected[name] = { status: 401, code: 'UNAUTHENTICATED', data: null, acked: false, close: 4401 };
    }
    expect(outcomes).toEqual(expected);
  });

  it('serves a subscription on a socket with a valid token', async () => {
    const tenant = await createTenant(service.graphqlUrl, adminToken);
    const client = wsClient(service.wsUrl, adminToken);
    try {
      const [snapshot] = await collect<{ type: string; tenantId: string }>(
        client,
        `subscription ($id: ID!) { provisioningEvents(tenantId: $id) { type tenantId } }`,
        { id: tenant.id },
        () => true,
        'provisioningEvents',
      );
      expect(snapshot).toEqual({ type: 'SNAPSHOT', tenantId: tenant.id });
    } finally {
      await client.dispose();
    }
  });

  it('answers /healthz without a token', async () => {
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
  });
});
