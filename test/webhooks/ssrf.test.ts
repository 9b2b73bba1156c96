import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createProvisioningClient } from '../../client/src/index.js';
import { AddressRefused, checkAddress, resolveTarget } from '../../src/webhooks/address-policy.js';
import { attempt } from '../../src/webhooks/delivery/attempt.js';
import { MAX_RESPONSE_BYTES, post } from '../../src/webhooks/delivery/http-post.js';
import { SecretBox, generateSecret } from '../../src/webhooks/secrets.js';
import { createTenant } from '../support/api.js';
import { waitUntil } from '../support/poll.js';
import { withDatabase } from '../support/postgres-admin.js';
import { serviceForSuite } from '../support/service.js';
import { Receiver } from './receiver.js';
import { followRun, onlyDelivery } from './support.js';

const JWT_SECRET = 'webhook-ssrf-suite-jwt-secret-0123456789';
const SHIPPED = { allowPrivate: false };
const ALLOW_PRIVATE = { allowPrivate: true };

const refusal = (url: string, address: string, policy = SHIPPED) => {
  try {
    checkAddress(new URL(url), address, policy);
    return 'allowed';
  } catch (error) {
    return error instanceof AddressRefused ? 'refused' : String(error);
  }
};

describe('webhook addresses (SSRF)', () => {
  // The shipped default: WEBHOOK_ALLOW_PRIVATE is not set.
  const suite = serviceForSuite({ JWT_SECRET });
  const receiver = new Receiver();
  beforeAll(() => receiver.start());
  afterAll(() => receiver.close());
  const api = () => createProvisioningClient({ url: suite.service.graphqlUrl, token: suite.token });

  it('refuses loopback, private, link-local and every special address, IPv4 and IPv6 (IPv4-mapped too); allows public ones', () => {
    const special = [
      '127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '192.0.2.1',
      '::1', '::', 'fd00::1', 'fe80::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '64:ff9b::a00:1', '2002:a00:1::',
    ];
    expect(Object.fromEntries(special.map((address) => [address, refusal('https://receiver.example/', address)]))).toEqual(
      Object.fromEntries(special.map((address) => [address, 'refused'])),
    );
    expect([refusal('https://receiver.example/', '93.184.216.34'), refusal('https://receiver.example/', '2606:4700::1111')]).toEqual(['allowed', 'allowed']);
  });

  it('with WEBHOOK_ALLOW_PRIVATE allows loopback and private addresses (http too), never link-local, and no plain http to public ones', () => {
    expect(['127.0.0.1', '::1', '10.1.2.3', 'fd00::1', '::ffff:192.168.0.1'].map((address) => refusal('http://receiver.example/', address, ALLOW_PRIVATE))).toEqual(
      Array(5).fill('allowed'),
    );
    expect(refusal('https://receiver.example/', '169.254.169.254', ALLOW_PRIVATE)).toBe('refused');
    expect(refusal('http://receiver.example/', '93.184.216.34', ALLOW_PRIVATE)).toBe('refused');
  });

  it('resolves a name at send time and refuses it when it resolves to loopback (localhost)', async () => {
    await expect(resolveTarget(new URL('https://localhost/hook'), SHIPPED)).rejects.toThrow(
      /^webhooks go to public addresses only \(localhost resolves to a loopback address; WEBHOOK_ALLOW_PRIVATE=true allows/,
    );
    expect((await resolveTarget(new URL('https://localhost/hook'), ALLOW_PRIVATE)).addresses.length).toBeGreaterThan(0);
  });

  it('connects to the address it checked, not to what the name resolves to later', async () => {
    const port = new URL(receiver.url('/pinned')).port;
    // The name resolves nowhere: the request can only have reached the receiver through the checked address.
    const target = { url: new URL(`http://rebinding.invalid:${port}/pinned`), addresses: [{ address: '127.0.0.1', family: 4 }] };
    const answer = await post(target, {}, '{}', AbortSignal.timeout(5000));
    expect(answer.status).toBe(200);
    expect(receiver.at('/pinned')[0]!.headers.host).toBe(`rebinding.invalid:${port}`);
  });

  it('reads at most 64 KB of an answer', async () => {
    const url = new URL(receiver.url('/huge', () => ({ status: 500, body: 'x'.repeat(1024 * 1024) })));
    const answer = await post({ url, addresses: [{ address: '127.0.0.1', family: 4 }] }, {}, '{}', AbortSignal.timeout(5000));
    expect(answer.body.length).toBe(MAX_RESPONSE_BYTES);
  });

  it('follows no redirect: a 3xx is a failed attempt (retried), and its Location is never asked', async () => {
    const secrets = new SecretBox(JWT_SECRET);
    const endpointId = randomUUID();
    const elsewhere = receiver.url('/elsewhere');
    const delivery = {
      id: randomUUID(),
      attempts: 1,
      endpointId,
      url: receiver.url('/moved', () => ({ status: 302, headers: { location: elsewhere } })),
      sealedSecret: secrets.seal(generateSecret(), endpointId),
      payload: { hello: 'world' },
    };
    const outcome = await attempt(delivery, { secrets, policy: ALLOW_PRIVATE, stopping: new AbortController().signal });
    expect(outcome).toMatchObject({ kind: 'failed', retry: true, statusCode: 302 });
    expect(receiver.at('/moved')).toHaveLength(1);
    expect(receiver.at('/elsewhere')).toHaveLength(0);
  });

  it('refuses to create endpoints on private addresses, or plain http, without WEBHOOK_ALLOW_PRIVATE (BAD_USER_INPUT)', async () => {
    const tenant = await createTenant(suite.service.graphqlUrl, suite.token);
    const refusals: Record<string, RegExp> = {
      [receiver.url('/plain')]: /must be an https URL \(plain http is allowed only to loopback and private addresses, with WEBHOOK_ALLOW_PRIVATE=true\)/,
      'https://127.0.0.1/hook': /webhooks go to public addresses only \(127\.0\.0\.1 is a loopback address/,
      'https://localhost/hook': /webhooks go to public addresses only \(localhost resolves to a loopback address/,
      'https://[::1]/hook': /::1 is a loopback address/,
      'https://[::ffff:7f00:1]/hook': /a loopback address/,
      'https://10.0.0.8/hook': /10\.0\.0\.8 is a private address/,
      'https://169.254.169.254/latest/meta-data': /a linkLocal address\)/,
    };
    for (const [url, message] of Object.entries(refusals)) {
      const error = await api()
        .createWebhookEndpoint({ url, eventTypes: ['RUN_STARTED'], tenantId: tenant.id })
        .then(() => null, (thrown) => thrown);
      expect({ url, code: error?.code, message: error?.message }).toEqual({ url, code: 'BAD_USER_INPUT', message: expect.stringMatching(message) });
    }
    expect(await api().webhookEndpoints(tenant.id)).toEqual([]);
  });

  it('refuses at send time a delivery to a name that now resolves to loopback: FAILED, no connection made', async () => {
    const tenant = await createTenant(suite.service.graphqlUrl, suite.token);
    // As if its name had been pointed at 127.0.0.1 after the endpoint was created.
    const endpointId = randomUUID();
    const url = `https://localhost:${new URL(receiver.url('/refused')).port}/refused`;
    const sealed = new SecretBox(JWT_SECRET).seal(generateSecret(), endpointId);
    await withDatabase(suite.service.database.url, (client) =>
      client.query(
        `INSERT INTO webhook_endpoint (id, tenant_id, url, event_types, secret, created_by) VALUES ($1, $2, $3, '{RUN_STARTED}', $4, 'test')`,
        [endpointId, tenant.id, url, sealed],
      ),
    );
    const connectionsBefore = receiver.connections;
    await api().startProvisioning(tenant.id);
    await followRun(suite.service.graphqlUrl, suite.token, tenant.id);
    const delivery = await waitUntil('the delivery to fail', async () => {
      const found = await onlyDelivery(api(), endpointId);
      return found?.status === 'FAILED' && found;
    });
    expect(delivery).toMatchObject({ attempts: 1, lastStatusCode: null, nextAttemptAt: null });
    expect(delivery.lastError).toMatch(/^Refused to send: webhooks go to public addresses only \(localhost resolves to a loopback address/);
    expect(receiver.connections).toBe(connectionsBefore);
  });
});
