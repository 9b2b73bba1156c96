import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Webhook } from 'standardwebhooks';
import { createProvisioningClient, type ProvisioningEventType } from '../../client/src/index.js';
import { createTenant } from '../support/api.js';
import { waitUntil } from '../support/poll.js';
import { serviceForSuite } from '../support/service.js';
import { Receiver, type Behaviour } from './receiver.js';
import { allDeliveries, EVERY_EVENT_TYPE, followRun, onlyDelivery, verified, WEBHOOK_TEST_ENV } from './support.js';

describe('webhook delivery', () => {
  const suite = serviceForSuite(WEBHOOK_TEST_ENV);
  const receiver = new Receiver();
  beforeAll(() => receiver.start());
  afterAll(() => receiver.close());
  const api = () => createProvisioningClient({ url: suite.service.graphqlUrl, token: suite.token });

  /** A new tenant with an endpoint at `path` for `eventTypes`, then its run, followed to its end. */
  async function runWithEndpoint(path: string, behaviour: Behaviour, eventTypes: ProvisioningEventType[] = EVERY_EVENT_TYPE) {
    const tenant = await createTenant(suite.service.graphqlUrl, suite.token);
    const { endpoint, secret } = await api().createWebhookEndpoint({ url: receiver.url(path, behaviour), eventTypes, tenantId: tenant.id });
    await api().startProvisioning(tenant.id);
    const events = await followRun(suite.service.graphqlUrl, suite.token, tenant.id);
    return { tenantId: tenant.id, endpoint, secret, events };
  }

  it('signs every event of a run as Standard Webhooks says, its body the event as provisioningEvents delivers it', async () => {
    const { tenantId, endpoint, secret, events } = await runWithEndpoint('/every-event', () => ({ status: 200 }));
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
    const answers = [503, 408, 409, 200];
    const { endpoint, secret } = await runWithEndpoint('/flaky', (_request, earlier) => ({ status: answers[earlier.length - 1] ?? 200 }), ['RUN_STARTED']);
    await receiver.waitFor('a 200 after the failures', () => receiver.at('/flaky').some((request) => request.status === 200));

    const requests = receiver.at('/flaky');
    expect(requests.map((request) => request.status)).toEqual(answers);
    const delivery = await waitUntil('the delivery to be recorded', async () => {
      const found = await onlyDelivery(api(), endpoint.id);
      return found?.status === 'DELIVERED' && found;
    });
    expect(new Set(requests.map((request) => request.headers['webhook-id']))).toEqual(new Set([delivery.id]));
    for (const request of requests) expect(verified(secret, request).type).toBe('RUN_STARTED');
    expect(delivery).toMatchObject({ attempts: 4, lastStatusCode: 200, lastError: null });
  });

  it('fails a delivery answered 400 at once, without another attempt', async () => {
    const { endpoint } = await runWithEndpoint('/rejects', () => ({ status: 400, body: 'unknown event shape' }), ['RUN_STARTED']);
    const delivery = await waitUntil('the delivery to fail', async () => {
      const found = await onlyDelivery(api(), endpoint.id);
      return found?.status === 'FAILED' && found;
    });
    expect(delivery).toMatchObject({ attempts: 1, lastStatusCode: 400, nextAttemptAt: null });
    expect(delivery.lastError).toBe('HTTP 400 Bad Request: unknown event shape');
    expect(receiver.at('/rejects')).toHaveLength(1);
  });

  it("waits at least a 429's Retry-After before the next attempt", async () => {
    const { endpoint } = await runWithEndpoint(
      '/busy',
      (_request, earlier) => (earlier.length === 1 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 }),
      ['RUN_STARTED'],
    );
    await receiver.waitFor('the 429', () => receiver.at('/busy').length >= 1);
    const refusedAt = receiver.at('/busy')[0]!.at;
    const waiting = await waitUntil('the retry to be scheduled', async () => {
      const found = await onlyDelivery(api(), endpoint.id);
      return found?.status === 'RETRYING' && found;
    });
    expect(waiting.lastStatusCode).toBe(429);
    expect(Date.parse(waiting.nextAttemptAt!)).toBeGreaterThanOrEqual(refusedAt + 1000);

    await receiver.waitFor('the retry', () => receiver.at('/busy').length >= 2);
    expect(receiver.at('/busy')[1]!.at - refusedAt).toBeGreaterThanOrEqual(1000);
  });

  it('sends a delivered event again on redeliverWebhook, with the same webhook-id', async () => {
    const { endpoint, secret } = await runWithEndpoint('/again', () => ({ status: 200 }), ['RUN_COMPLETED']);
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

  it('disables an endpoint whose every attempt failed for longer than the window (3 days, shortened here), saying why', async () => {
    const { endpoint } = await runWithEndpoint('/down', () => ({ status: 500, body: 'database is down' }), ['RUN_STARTED']);
    // The endpoint keeps failing: each redelivery is one more failed attempt, until one lands past the window.
    const disabled = await waitUntil(
      'the endpoint to be disabled',
      async () => {
        const [current] = await api().webhookEndpoints(endpoint.tenantId!);
        if (!current!.enabled) return current;
        const delivery = await onlyDelivery(api(), endpoint.id);
        if (delivery?.status === 'FAILED') await api().redeliverWebhook(delivery.id).catch(() => undefined);
        return false;
      },
      { timeoutMs: 20_000 },
    );
    expect(disabled.failingSince).not.toBeNull();
    expect(disabled.disabledReason).toMatch(/^Disabled: every delivery attempt failed for more than .+ in a row \(since .+\)\. The last: HTTP 500 Internal Server Error: database is down\./);

    const delivery = (await onlyDelivery(api(), endpoint.id))!;
    await expect(api().redeliverWebhook(delivery.id)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    const enabled = await api().updateWebhookEndpoint(endpoint.id, { enabled: true });
    expect(enabled).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });
  });
});
