import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTenant, loginAs } from '../support/api.js';
import { errorCode, type GraphQLResponse } from '../support/graphql.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres-admin.js';
import { serviceForSuite, startTestService, type TestService } from '../support/service.js';

const LOGIN = `mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { token } }`;

async function login(url: string, email: string, password: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: LOGIN, variables: { email, password } }),
  });
  return errorCode((await response.json()) as GraphQLResponse<unknown>) ?? 'OK';
}

describe('security headers and CSRF', () => {
  const suite = serviceForSuite();

  it.each(['/', '/graphiql', '/graphql', '/healthz', '/metrics'])('sends helmet headers on %s', async (route) => {
    const response = await fetch(`${suite.service.url}${route}`);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("worker-src 'self' blob:");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });

  it('answers a GET query that carries Authorization (as urql sends it): a browser preflights such a request', async () => {
    const response = await fetch(`${suite.service.graphqlUrl}?query=${encodeURIComponent('{ provisioningPlan { key } }')}`, {
      headers: { authorization: `Bearer ${suite.token}` },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as GraphQLResponse<{ provisioningPlan: unknown[] }>;
    expect(body.data?.provisioningPlan).toHaveLength(11);
  });

  it.each([
    ['no header at all', {}],
    ['only simple headers', { accept: 'application/json', 'content-type': 'text/plain' }],
  ])('still refuses a GET query with %s as a possible CSRF', async (_name, headers) => {
    const response = await fetch(`${suite.service.graphqlUrl}?query=${encodeURIComponent('{ provisioningPlan { key } }')}`, { headers });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/CSRF/);
  });
});

describe('the sign-in budget behind a proxy and across replicas', () => {
  let database: TestDatabase;
  const services: TestService[] = [];
  const start = async (env: Record<string, string>) => {
    const service = await startTestService({ LOGIN_MAX_PER_CLIENT: '2', LOGIN_MAX_PER_EMAIL: '1000', ...env }, { database });
    services.push(service);
    return service;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    for (const service of services) await service.stop();
    await database?.drop();
  });

  it('counts per X-Forwarded-For address with TRUST_PROXY, and ignores the header without it', async () => {
    // Both started at once: their start-ups overlap, their budgets count different addresses.
    const [proxied, direct] = await Promise.all([start({ TRUST_PROXY: 'loopback' }), start({})]);
    const from = (address: string) => ({ 'x-forwarded-for': address });
    expect(await login(proxied.graphqlUrl, 'nobody-1@x.test', 'wrong-password', from('203.0.113.7'))).toBe('UNAUTHENTICATED');
    expect(await login(proxied.graphqlUrl, 'nobody-2@x.test', 'wrong-password', from('203.0.113.7'))).toBe('UNAUTHENTICATED');
    expect(await login(proxied.graphqlUrl, 'nobody-3@x.test', 'wrong-password', from('203.0.113.7'))).toBe('RATE_LIMITED');
    expect(await login(proxied.graphqlUrl, 'nobody-3@x.test', 'wrong-password', from('198.51.100.9'))).toBe('UNAUTHENTICATED');

    expect(await login(direct.graphqlUrl, 'nobody-4@x.test', 'wrong-password', from('192.0.2.1'))).toBe('UNAUTHENTICATED');
    expect(await login(direct.graphqlUrl, 'nobody-5@x.test', 'wrong-password', from('192.0.2.2'))).toBe('UNAUTHENTICATED');
    // A made-up header does not buy a fresh budget: the caller is still 127.0.0.1.
    expect(await login(direct.graphqlUrl, 'nobody-6@x.test', 'wrong-password', from('192.0.2.3'))).toBe('RATE_LIMITED');
  });

  it('shares the budget between two replicas on one database', async () => {
    const env = { TRUST_PROXY: 'loopback', LOGIN_MAX_PER_EMAIL: '2', LOGIN_MAX_PER_CLIENT: '100' };
    const [first, second] = await Promise.all([start(env), start(env)]);
    const tenant = await createTenant(first.graphqlUrl, await loginAs(first.graphqlUrl));
    const email = tenant.input.adminEmail;
    expect(await login(first.graphqlUrl, email, 'wrong-guess-number-1')).toBe('UNAUTHENTICATED');
    expect(await login(second.graphqlUrl, email, 'wrong-guess-number-2')).toBe('UNAUTHENTICATED');
    // Both failures count, wherever they landed: even the right password waits now, on either replica.
    expect(await login(first.graphqlUrl, email, tenant.input.adminPassword)).toBe('RATE_LIMITED');
    expect(await login(second.graphqlUrl, email, tenant.input.adminPassword)).toBe('RATE_LIMITED');
  });
});
