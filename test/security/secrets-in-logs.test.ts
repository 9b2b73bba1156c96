import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PassThrough } from 'node:stream';
import { createLogger } from '../../src/lib/logger.js';
import { tenantInput } from '../support/api.js';
import { wsClient } from '../support/graphql.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestService, type TestService } from '../support/service.js';
import { bearer, initSocket } from './sockets.js';
import { signToken, TEST_JWT_SECRET } from './tokens.js';
import { watch } from './watch.js';

const LOGIN = `mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { token } }`;
const CREATE = `mutation ($input: CreateTenantInput!) { createTenant(input: $input) { id } }`;
/** A stored hash: `scrypt$N$r$p$salt$key` (the masked form `scrypt$[redacted]` does not match). */
const HASH = /scrypt\$\d/;
const JWT = /eyJ[\w-]+\.[\w-]+/;

/** The parts of an answer this suite reads. */
interface Answer {
  data?: { login?: { token: string }; createTenant?: { id: string } };
}

describe('no secret in any log line or error message', () => {
  let service: TestService;
  /** Every response body the service sent back. */
  const answers: string[] = [];

  async function call(body: unknown, token?: string): Promise<Answer> {
    const response = await fetch(service.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    answers.push(text);
    return JSON.parse(text);
  }

  beforeAll(async () => {
    // The most verbose level: whatever any part logs, at any level, is checked.
    service = await startTestService({ LOG_LEVEL: 'trace', JWT_SECRET: TEST_JWT_SECRET });
  });
  afterAll(() => service.stop());

  it('after sign-ins, a provisioning run and failing requests', async () => {
    const admin = await call({ query: LOGIN, variables: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
    const adminToken = admin.data!.login!.token;
    await call({ query: LOGIN, variables: { email: ADMIN_EMAIL, password: 'a-wrong-password-1' } });
    await call({ query: LOGIN, variables: { email: 'nobody@platform.test', password: ADMIN_PASSWORD } });

    // A tenant whose admin password must stay unseen, provisioned through the engine (its API secret on every call).
    const input = tenantInput({ adminPassword: 'tenant-admin-pass-7f3a9c', autoStart: true });
    const created = await call({ query: CREATE, variables: { input } }, adminToken);
    const client = wsClient(service.wsUrl, adminToken);
    const events = watch<{ type: string }>(client, `subscription ($id: ID!) { provisioningEvents(tenantId: $id, after: 0) { type } }`, { id: created.data!.createTenant!.id }, 'provisioningEvents');
    await events.until((event) => event.type === 'RUN_COMPLETED');
    events.stop();
    await client.dispose();

    const tenantLogin = await call({ query: LOGIN, variables: { email: input.adminEmail, password: input.adminPassword } });
    const tenantToken = tenantLogin.data!.login!.token;
    await call({ query: '{ me { id role } }' }, tenantToken);

    // Failing requests that carry secrets in their input.
    const shortPassword = 'Sh0rt-pw!';
    const longPassword = `long-password-${'q'.repeat(300)}`;
    await call({ query: CREATE, variables: { input: tenantInput({ adminPassword: shortPassword }) } }, adminToken);
    await call({ query: CREATE, variables: { input: tenantInput({ adminPassword: longPassword }) } }, adminToken);
    await call({ query: CREATE, variables: { input: { ...input, name: 'Copy' } } }, adminToken); // CONFLICT: the email is taken
    await call(`{"query": "${LOGIN}", "variables": {"email": "${ADMIN_EMAIL}", "password": "${ADMIN_PASSWORD}"`); // not JSON
    await call({ query: LOGIN, variables: { email: ADMIN_EMAIL, password: `${ADMIN_PASSWORD}${'x'.repeat(1024 * 1024)}` } }); // too large
    await call({ query: `{ me { id } }` }, await signToken('3f2b8c1e-9a4d-4e7f-8b1a-2c3d4e5f6a7b', { secret: 'another-secret-0123456789abcdef0123456789' }));
    await call({ query: `{ me { id } }` }, await signToken('3f2b8c1e-9a4d-4e7f-8b1a-2c3d4e5f6a7b', { exp: Math.floor(Date.now() / 1000) - 60 }));
    const refused = await initSocket(service.wsUrl, bearer(`${tenantToken}tampered`));
    await refused.closed;

    const secrets: Array<[string, string | RegExp]> = [
      ['the platform admin password', ADMIN_PASSWORD],
      ['the tenant admin password', input.adminPassword],
      ['a refused short password', shortPassword],
      ['a refused long password', longPassword.slice(0, 40)],
      ['the JWT secret', TEST_JWT_SECRET],
      ['the engine API secret', service.sandbox!.apiSecret],
      ['the platform admin token', adminToken],
      ['the tenant admin token', tenantToken],
      ['a password hash', HASH],
      ['any JWT', JWT],
    ];
    const lines = service.logLines.map((line) => JSON.stringify(line));
    // The log did record this session, so finding nothing in it means something.
    expect(lines.filter((line) => line.includes('"signed in"')).length).toBeGreaterThanOrEqual(2);
    expect(lines.some((line) => line.includes('"tenant created"'))).toBe(true);

    const leaks = (texts: string[]) =>
      secrets.filter(([, secret]) => texts.some((text) => (typeof secret === 'string' ? text.includes(secret) : secret.test(text)))).map(([name]) => name);
    expect(leaks(lines)).toEqual([]);
    // Answers carry the tokens the caller asked for (login) and nothing else secret.
    const errorAnswers = answers.filter((text) => !text.includes('"login":{"token"'));
    expect(leaks(errorAnswers)).toEqual([]);
  });
});

describe('the logger', () => {
  it('masks hashes, tokens and engine credentials quoted in an error it logs', () => {
    const sink = new PassThrough();
    const lines: string[] = [];
    sink.on('data', (chunk: Buffer) => lines.push(chunk.toString('utf8')));
    const log = createLogger({ level: 'info', destination: sink });
    const quoted = new Error(
      `insert into "app_user" values ('owner@shop.test', 'scrypt$32768$8$1$c2FsdA==$aGFzaA==') - duplicate key; ` +
        `Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl; token 1a2b3c:9z8y7x`,
    );
    log.error({ err: Object.assign(quoted, { detail: 'password_hash=scrypt$32768$8$1$abc$def' }) }, 'unexpected error');
    const line = lines.join('');
    expect(line).not.toMatch(HASH);
    expect(line).not.toMatch(JWT);
    expect(line).not.toContain('9z8y7x');
    expect(line).toContain('scrypt$[redacted]');
    expect(line).toContain('owner@shop.test');
  });
});
