import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Webhook } from 'standardwebhooks';
import {
  createProvisioningClient,
  type ProvisioningEvent,
  type ProvisioningEventType,
  type WebhookEndpointFieldsFragment,
} from '../../client/src/index.js';
import { createTenant } from '../support/api.js';
import { waitUntil } from '../support/poll.js';
import { serviceForSuite } from '../support/service.js';
import { Receiver, type Behaviour } from './receiver.js';
import { allDeliveries, EVERY_EVENT_TYPE, followRun, onlyDelivery, verified, WEBHOOK_TEST_ENV } from './support.js';

describe('webhook delivery', () => {
  const suite = serviceForSuite(WEBHOOK_TEST_ENV);
  const receiver = new Receiver();
  const api = () => createProvisioningClient({ url: suite.service.graphqlUrl, token: suite.token });
  /** How each test's receiver path answers, and the event types its endpoint takes. */
  const endpoints: Record<string, { behaviour: Behaviour; eventTypes: ProvisioningEventType[] }> = {
    '/every-event': { behaviour: () => ({ status: 200 }), eventTypes: EVERY_EVENT_TYPE },
    '/flaky': { behaviour: (_request, earlier) => ({ status: [503, 408, 409][earlier.length - 1] ?? 200 }), eventTypes: ['RUN_STARTED'] },
    '/rejects': { behaviour: () => ({ status: 400, body: 'unknown event shape' }), eventTypes: ['RUN_STARTED'] },
    // Busy the second time, when the test asks for a redelivery: the test then sees the retry scheduled.
    '/busy': {
      behaviour: (_request, earlier) => (earlier.length === 2 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 }),
      eventTypes: ['RUN_COMPLETED'],
    },
    '/again': { behaviour: () => ({ status: 200 }), eventTypes: ['RUN_COMPLETED'] },
    '/run-ends': { behaviour: () => ({ status: 200 }), eventTypes: ['RUN_STARTED', 'RUN_COMPLETED'] },
  };
  const created = new Map<string, { endpoint: WebhookEndpointFieldsFragment; secret: string }>();
  let tenantId: string;
  let events: ProvisioningEvent[];

  /** One tenant with an endpoint per test, then one run, followed to its end: every test reads its own endpoint. */
  beforeAll(async () => {
    await receiver.start();
    tenantId = (await createTenant(suite.service.graphqlUrl, suite.token)).id;
    for (const [path, { behaviour, eventTypes }] of Object.entries(endpoints)) {
      created.set(path, await api().createWebhookEndpoint({ url: receiver.url(path, behaviour), eventTypes, tenantId }));
    }
    await api().startProvisioning(tenantId);
    events = await followRun(suite.service.graphqlUrl, suite.token, tenantId);
  });
  afterAll(() => receiver.close());
  const endpointAt = (path: string) => created.get(path)!;

  it('signs every event of a run as Standard Webhooks says, its body the event as provisioningEvents delivers it', async () => {
    const { endpoint, secret } = endpointAt('/every-event');
    expect(events.at(-1)!.type).toBe('RUN_COMPLETED');
    const answered = () => receiver.at('/every-event').filter((request) => request.status === 200);
    await receiver.waitFor(`all ${events.length} events`, () => answered().length >= events.length);

    const requests = receiver.at('/every-event');
    expect(requests).toHaveLength(events.length);
    for (const request of requests) {
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+={0,2}$/);
      expect(Math.abs(Number(request.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
      // The verifier refuses a body that is not the one signed: the check above is a real one.
      expect(() => new Webhook(secret).verify(`${request.body} `, request.headers)).toThrow();
    }
    const bySeq = (list: Array<{ seq: number }>) => [...list].sort((a, b) => a.seq - b.seq);
    const bodies = bySeq(requests.map((request) => verified(secret, request)));
    expect(bodies).toEqual(events);
    expect(bodies).toEqual(await api().provisioningLogs({ tenantId, first: 1000 }));

    const deliveries = await allDeliveries(api(), endpoint.id, 7);
    expect(deliveries.map((delivery) => delivery.seq)).toEqual(events.map((event) => event.seq).reverse());
    for (const delivery of deliveries) {
      expect(delivery).toMatchObject({ status: 'DELIVERED', attempts: 1, lastStatusCode: 200, lastError: null, nextAttemptAt: null, tenantId });
      const request = requests.find((candidate) => verified(secret, candidate).seq === delivery.seq)!;
      expect(request.headers['webhook-id']).toBe(delivery.id);
      expect(delivery.payload).toEqual(verified(secret, request));
    }
    expect((await api().webhookDeliveries({ endpointId: endpoint.id, status: 'DELIVERED', first: 200 })).edges).toHaveLength(events.length);
    // Shown once, in the answer to createWebhookEndpoint; never in a log line.
    expect(JSON.stringify(suite.service.logLines)).not.toContain(secret.slice('whsec_'.length));
  });

  it('retries 503, 408 and 409 answers with the same webhook-id, then delivers', async () => {
    const { endpoint, secret } = endpointAt('/flaky');
    await receiver.waitFor('a 200 after the failures', () => receiver.at('/flaky').some((request) => request.status === 200));

    const requests = receiver.at('/flaky');
    expect(requests.map((request) => request.status)).toEqual([503, 408, 409, 200]);
    const delivery = await waitUntil('the delivery to be recorded', async () => {
      const found = await onlyDelivery(api(), endpoint.id);
      return found?.status === 'DELIVERED' && found;
    });
    expect(new Set(requests.map((request) => request.headers['webhook-id']))).toEqual(new Set([delivery.id]));
    for (const request of requests) expect(verified(secret, request).type).toBe('RUN_STARTED');
    expect(delivery).toMatchObject({ attempts: 4, lastStatusCode: 200, lastError: null });
  });

  it('fails a delivery answered 400 at once, without another attempt', async () => {
    const { endpoint } = endpointAt('/rejects');
    const delivery = await waitUntil('the delivery to fail', async () => {
      const found = await onlyDelivery(api(), endpoint.id);
      return found?.status === 'FAILED' && found;
    });
    expect(delivery).toMatchObject({ attempts: 1, lastStatusCode: 400, nextAttemptAt: null });
    expect(delivery.lastError).toBe('HTTP 400 Bad Request: unknown event shape');
    expect(receiver.at('/rejects')).toHaveLength(1);
  });

  it("waits at least a 429's Retry-After before the next attempt", async () => {
    const { endpoint } = endpointAt('/busy');
    const delivered = await waitUntil('the first delivery', async () => {
      const found = await onlyDelivery(api(), endpoint.id);
      return found?.status === 'DELIVERED' && found;
    });
    await api().redeliverWebhook(delivered.id);
    await receiver.waitFor('the 429', () => receiver.at('/busy').length >= 2);
    const refusedAt = receiver.at('/busy')[1]!.at;
    const waiting = await waitUntil('the retry to be scheduled', async () => {
      const found = await onlyDelivery(api(), endpoint.id);
      return found?.status === 'RETRYING' && found;
    });
    expect(waiting.lastStatusCode).toBe(429);
    expect(Date.parse(waiting.nextAttemptAt!)).toBeGreaterThanOrEqual(refusedAt + 1000);

    await receiver.waitFor('the retry', () => receiver.at('/busy').length >= 3);
    expect(receiver.at('/busy')[2]!.at - refusedAt).toBeGreaterThanOrEqual(1000);
  });

  it('sends a delivered event again on redeliverWebhook, with the same webhook-id', async () => {
    const { endpoint, secret } = endpointAt('/again');
    const delivered = await waitUntil('the delivery', async () => {
      const found = await onlyDelivery(api(), endpoint.id);
      return found?.status === 'DELIVERED' && found;
    });

    const again = await api().redeliverWebhook(delivered.id);
    expect(again).toMatchObject({ id: delivered.id, status: 'PENDING' });
    await receiver.waitFor('the second delivery', () => receiver.at('/again').filter((request) => request.status === 200).length >= 2);
    const [first, second] = receiver.at('/again');
    expect([first!.headers['webhook-id'], second!.headers['webhook-id']]).toEqual([delivered.id, delivered.id]);
    expect(verified(secret, second!)).toEqual(verified(secret, first!));
    const redelivered = await waitUntil('the second attempt to be recorded', async () => {
      const found = await onlyDelivery(api(), endpoint.id);
      return found?.attempts === 2 && found.status === 'DELIVERED' && found;
    });
    expect(redelivered.lastStatusCode).toBe(200);
  });

  // Last: the deprovisioning's events reach every endpoint above too.
  it("delivers a deprovisioning's events as a provisioning's, each body saying which kind of run it is", async () => {
    const { secret } = endpointAt('/run-ends');
    const deprovisioning = await api().deprovisionTenant(tenantId, 'DISABLE');
    const bodies = () => receiver.at('/run-ends').map((request) => verified(secret, request));
    await receiver.waitFor("the deprovisioning's end", () => bodies().some((body) => body.runId === deprovisioning.id && body.type === 'RUN_COMPLETED'));

    const ofRun = (runId: string) => bodies().filter((body) => body.runId === runId).sort((a, b) => a.seq - b.seq);
    expect(ofRun(events[0]!.runId!).map((body) => [body.type, body.provisioning?.kind, body.provisioning?.deprovisionMode])).toEqual([
      ['RUN_STARTED', 'PROVISION', null],
      ['RUN_COMPLETED', 'PROVISION', null],
    ]);
    expect(ofRun(deprovisioning.id).map((body) => [body.type, body.provisioning?.kind, body.provisioning?.deprovisionMode, body.provisioning?.status])).toEqual([
      ['RUN_STARTED', 'DEPROVISION', 'DISABLE', 'IN_PROGRESS'],
      ['RUN_COMPLETED', 'DEPROVISION', 'DISABLE', 'COMPLETED'],
    ]);
    expect(ofRun(deprovisioning.id).map((body) => body.message)).toEqual([
      'Deprovisioning (DISABLE): started by admin@platform.test',
      expect.stringMatching(/^Deprovisioning \(DISABLE\) completed: /),
    ]);
    const logged = await api().provisioningLogs({ tenantId, first: 1000 });
    for (const body of ofRun(deprovisioning.id)) expect(body).toEqual(logged.find((event) => event.seq === body.seq));
  });
});
