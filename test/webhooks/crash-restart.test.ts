import { describe, expect, it } from '@jest/globals';
import { createProvisioningClient } from '../../client/src/index.js';
import type { ChildService } from '../support/child-service.js';
import { loginAs } from '../support/api.js';
import { waitUntil } from '../support/poll.js';
import { withDatabase } from '../support/postgres-admin.js';
import { eventLog, replicaClusterForSuite, startRuns, waitForStatus } from '../support/reliability.js';
import { scrape, valueOf } from '../observability/scrape.js';
import { Receiver, type ReceivedWebhook } from './receiver.js';
import { allDeliveries, EVERY_EVENT_TYPE, verified, WEBHOOK_TEST_ENV } from './support.js';

const RUNS = 4;
/** The receiver holds every answer this long, so attempts are in flight when the process dies. */
const ANSWER_DELAY_MS = 300;
const ENV = {
  ...WEBHOOK_TEST_ENV,
  // Retries 5 ms, 0.3 s, 1.8 s, 7.2 s, 18 s...: deliveries refused in the first part still have attempts to come in the second.
  WEBHOOK_TIME_SCALE: '0.001',
  // A claim outlives its attempt by far (as 30 s does a 10 s attempt when shipped): only the
  // killed process's claims run out, so a repeat after the kill would be a double claim.
  WEBHOOK_LEASE_MS: '6000',
};

/**
 * The outbox across a crash, on several replicas: a service process dies with SIGKILL while
 * webhook attempts are in flight (and runs too); two fresh replicas take over.
 */
describe('webhook deliveries when a service is killed with SIGKILL mid-delivery', () => {
  const cluster = replicaClusterForSuite();

  it('reach the receiver at least once each, one webhook-id per event, no row lost; replicas then share a backlog without sending one twice', async () => {
    const receiver = new Receiver();
    await receiver.start();
    try {
      const first = await cluster.spawn(ENV);
      const token = await loginAs(`${first.url}/graphql`);
      const api = (service: ChildService) => createProvisioningClient({ url: `${service.url}/graphql`, token });
      const { endpoint, secret } = await api(first).createWebhookEndpoint({
        url: receiver.url('/hook', () => ({ status: 200, delayMs: ANSWER_DELAY_MS })),
        eventTypes: EVERY_EVENT_TYPE,
      });
      // A second endpoint that is down for now: its deliveries pile up, retrying, for the second part.
      let laterIsUp = false;
      const later = await api(first).createWebhookEndpoint({
        url: receiver.url('/later', () => (laterIsUp ? { status: 200, delayMs: ANSWER_DELAY_MS } : { status: 503 })),
        eventTypes: EVERY_EVENT_TYPE,
      });
      const tenants = await startRuns(RUNS, token, () => first.url);

      await receiver.waitFor('deliveries in flight', () => answered('/hook').length >= 20 && receiver.at('/hook').some((request) => request.status === null));
      const inFlight = receiver.at('/hook').filter((request) => request.status === null).map(webhookId);
      expect(await first.kill('SIGKILL')).toBeNull();
      const killedAt = Date.now();

      const [second, third] = (await Promise.all([cluster.spawn(ENV), cluster.spawn(ENV)])) as [ChildService, ChildService];
      await waitForStatus(`${second.url}/graphql`, token, tenants, 'COMPLETED');
      const events = (await Promise.all(tenants.map(async (tenant) => (await eventLog(`${second.url}/graphql`, token, tenant.id)).map((event) => keyOf(tenant.id, event.seq))))).flat();
      await receiver.waitFor(`all ${events.length} events answered`, () => covers(answered('/hook'), events));

      // Every delivery row is there, one per event, delivered; each request signed, carrying its delivery's id.
      const deliveries = await allDeliveries(api(second), endpoint.id, 200);
      expect(deliveries.map((delivery) => keyOf(delivery.tenantId, delivery.seq)).sort()).toEqual([...events].sort());
      expect(deliveries.filter((delivery) => delivery.status !== 'DELIVERED')).toEqual([]);
      const idOf = new Map(deliveries.map((delivery) => [keyOf(delivery.tenantId, delivery.seq), delivery.id]));
      for (const request of receiver.at('/hook')) {
        verified(secret, request);
        expect(webhookId(request)).toBe(idOf.get(eventKey(request)));
      }
      // What was in flight at the kill came again, with the same id; nothing else came twice.
      expect(inFlight.length).toBeGreaterThan(0);
      for (const id of inFlight) expect(receiver.at('/hook').filter((request) => webhookId(request) === id).length).toBeGreaterThan(1);
      const afterKill = receiver.at('/hook').filter((request) => request.at > killedAt).map(webhookId);
      expect(afterKill.length).toBe(new Set(afterKill).size);

      // The second endpoint comes back: its whole backlog is due at once, and both replicas take part of it.
      const deliveredBefore = await Promise.all([second, third].map(deliveredBy));
      await api(second).updateWebhookEndpoint(later.endpoint.id, { enabled: false });
      // A refused attempt still in flight would be scheduled far ahead when it ends: let those end first.
      await waitUntil('no attempt in flight to /later', () =>
        withDatabase(cluster.database.url, async (client) => {
          const { rows } = await client.query(`SELECT count(*)::int AS n FROM webhook_delivery WHERE endpoint_id = $1 AND claimed_until > now()`, [later.endpoint.id]);
          return rows[0].n === 0;
        }),
      );
      laterIsUp = true;
      await api(second).updateWebhookEndpoint(later.endpoint.id, { enabled: true });
      await receiver.waitFor(`all ${events.length} events answered at /later`, () => covers(answered('/later'), events));
      const laterIds = answered('/later').map(webhookId);
      expect(laterIds.length).toBe(new Set(laterIds).size);
      // Disabling and enabling left its secret as it was.
      for (const request of answered('/later')) verified(later.secret, request);
      // Each answer counted once, by the one replica that sent it (its outcome is written just after the answer).
      const shares = await waitUntil('every answer to be recorded', async () => {
        const now = (await Promise.all([second, third].map(deliveredBy))).map((count, index) => count - deliveredBefore[index]!);
        return now[0]! + now[1]! >= laterIds.length && now;
      });
      expect(shares[0]! + shares[1]!).toBe(laterIds.length);
      expect(shares.every((share) => share > 0)).toBe(true);
    } finally {
      await receiver.close();
    }

    function answered(path: string): ReceivedWebhook[] {
      return receiver.at(path).filter((request) => request.status === 200);
    }
  });
});

async function deliveredBy(replica: ChildService): Promise<number> {
  return valueOf(await scrape(replica.url), 'webhook_delivery_attempts_total', { result: 'delivered' }) ?? 0;
}

function keyOf(tenantId: string, seq: number): string {
  return `${tenantId}#${seq}`;
}

function webhookId(request: ReceivedWebhook): string {
  return request.headers['webhook-id']!;
}

function covers(requests: ReceivedWebhook[], events: string[]): boolean {
  const keys = new Set(requests.map(eventKey));
  return events.every((key) => keys.has(key));
}

const keys = new WeakMap<ReceivedWebhook, string>();

/** The event a request carries, parsed once (not verified: the receiver's clock must not wait on the test's checks). */
function eventKey(request: ReceivedWebhook): string {
  let key = keys.get(request);
  if (!key) {
    const event = JSON.parse(request.body) as { tenantId: string; seq: number };
    keys.set(request, (key = keyOf(event.tenantId, event.seq)));
  }
  return key;
}
