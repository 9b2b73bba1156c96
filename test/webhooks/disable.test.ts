import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createProvisioningClient } from '../../client/src/index.js';
import { createTenant } from '../support/api.js';
import { waitUntil } from '../support/poll.js';
import { serviceForSuite } from '../support/service.js';
import { Receiver } from './receiver.js';
import { followRun, onlyDelivery, WEBHOOK_TEST_ENV } from './support.js';

/** The 3-day window at 1.04 s, and so the whole retry schedule at 0.4 s. */
const SHORT_WINDOW_ENV = { ...WEBHOOK_TEST_ENV, WEBHOOK_TIME_SCALE: '0.000004' };

describe('an endpoint that keeps failing', () => {
  const suite = serviceForSuite(SHORT_WINDOW_ENV);
  const receiver = new Receiver();
  beforeAll(() => receiver.start());
  afterAll(() => receiver.close());
  const api = () => createProvisioningClient({ url: suite.service.graphqlUrl, token: suite.token });

  it('is disabled once its every attempt failed for longer than the window (3 days, shortened here), saying why, and can be enabled again', async () => {
    const tenant = await createTenant(suite.service.graphqlUrl, suite.token);
    const { endpoint } = await api().createWebhookEndpoint({
      url: receiver.url('/down', () => ({ status: 500, body: 'database is down' })),
      eventTypes: ['RUN_STARTED'],
      tenantId: tenant.id,
    });
    await api().startProvisioning(tenant.id);
    await followRun(suite.service.graphqlUrl, suite.token, tenant.id);

    // It keeps failing: its delivery gives up after the schedule; each redelivery is one more failed attempt, until one lands past the window.
    const disabled = await waitUntil(
      'the endpoint to be disabled',
      async () => {
        const [current] = await api().webhookEndpoints(tenant.id);
        if (!current!.enabled) return current;
        const delivery = await onlyDelivery(api(), endpoint.id);
        if (delivery?.status === 'FAILED') await api().redeliverWebhook(delivery.id);
        return false;
      },
      { timeoutMs: 20_000 },
    );
    expect(Date.parse(disabled!.updatedAt) - Date.parse(disabled!.failingSince!)).toBeGreaterThan(1000);
    expect(disabled!.disabledReason).toMatch(
      /^Disabled: every delivery attempt failed for more than 1\.04 s in a row \(since \S+\)\. The last: HTTP 500 Internal Server Error: database is down( \(no attempt left: \d+ made\))?\. Fix the receiver, then enable the endpoint again\.$/,
    );
    const delivery = (await onlyDelivery(api(), endpoint.id))!;
    expect(delivery.attempts).toBeGreaterThan(1);
    expect(receiver.at('/down')).toHaveLength(delivery.attempts);
    await expect(api().redeliverWebhook(delivery.id)).rejects.toMatchObject({ code: 'INVALID_STATE' });

    const enabled = await api().updateWebhookEndpoint(endpoint.id, { enabled: true });
    expect(enabled).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });
  });
});
