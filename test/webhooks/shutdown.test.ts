import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createProvisioningClient } from '../../client/src/index.js';
import { createTenant, loginAs } from '../support/api.js';
import { createTestDatabase, withDatabase, type TestDatabase } from '../support/postgres-admin.js';
import { startTestService } from '../support/service.js';
import { Receiver } from './receiver.js';
import { WEBHOOK_TEST_ENV } from './support.js';

/** One key for both processes, as replicas share one: the second must open the first's sealed secrets. */
const ENV = { ...WEBHOOK_TEST_ENV, JWT_SECRET: 'webhook-shutdown-suite-jwt-secret-0123456789' };

describe('a service stopping while a webhook attempt is in flight', () => {
  const receiver = new Receiver();
  let database: TestDatabase;
  beforeAll(async () => {
    await receiver.start();
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await receiver.close();
    await database?.drop();
  });

  it('cuts the attempt short and hands it back, and the next process sends it again with the same webhook-id', async () => {
    let receiverHangs = true;
    const url = receiver.url('/slow', () => (receiverHangs ? { status: 200, delayMs: 60_000 } : { status: 200 }));
    const first = await startTestService(ENV, { database });
    const token = await loginAs(first.graphqlUrl);
    const tenant = await createTenant(first.graphqlUrl, token);
    const api = createProvisioningClient({ url: first.graphqlUrl, token });
    const { endpoint } = await api.createWebhookEndpoint({ url, eventTypes: ['RUN_STARTED'], tenantId: tenant.id });
    await api.startProvisioning(tenant.id);
    await receiver.waitFor('the attempt', () => receiver.at('/slow').length === 1);

    await first.stop();
    // Handed back while the receiver still held its answer: cut short, not waited out.
    const [row] = await withDatabase(database.url, async (client) =>
      (await client.query(`SELECT id, status, attempts, claimed_until, last_error FROM webhook_delivery WHERE endpoint_id = $1`, [endpoint.id])).rows,
    );
    expect(row).toMatchObject({ status: 'PENDING', attempts: 1, claimed_until: null, last_error: 'Interrupted: the sending process stopped; any replica sends it again.' });
    expect(receiver.at('/slow')[0]!.headers['webhook-id']).toBe(row.id);

    receiverHangs = false;
    const second = await startTestService(ENV, { database });
    try {
      await receiver.waitFor('the attempt again', () => receiver.at('/slow').some((request) => request.status === 200));
      expect(receiver.at('/slow').map((request) => request.headers['webhook-id'])).toEqual([row.id, row.id]);
    } finally {
      await second.stop();
    }
  });
});
