import { describe, expect, it } from '@jest/globals';
import { createTenant } from '../support/api.js';
import { graphqlOk } from '../support/graphql.js';
import { eventLog, followUntilRunEnds, START } from '../support/provisioning.js';
import { waitUntil } from '../support/poll.js';
import { serviceForSuite } from '../support/service.js';
import { bearer, initSocket } from '../security/sockets.js';

const BUFFER_EVENTS = 20;
const RUNS = 10;
/** Each event as a large message (~40 KB): the socket's buffers (~4 MB here) fill within the test. */
const HEAVY = Array.from({ length: 10 }, (_, i) => `p${i}: provisioning { steps { key title status attempts startedAt completedAt durationMs message error errorCode } resources }`).join(' ');

/**
 * A subscriber that stops reading cannot make the server hold events for it without limit: past
 * SUBSCRIPTION_BUFFER_EVENTS unread live events its subscription ends with an `error` message
 * coded SUBSCRIBER_TOO_SLOW, and subscribing again from its last seq loses nothing.
 */
describe('a subscriber too slow to keep up', () => {
  const suite = serviceForSuite({ SUBSCRIPTION_BUFFER_EVENTS: String(BUFFER_EVENTS) });

  it('is ended with SUBSCRIBER_TOO_SLOW, and resubscribing with `after` delivers every event it had not read', async () => {
    const { graphqlUrl, wsUrl } = suite.service;
    const socket = await initSocket(wsUrl, bearer(suite.token));
    expect(socket.acked).toBe(true);
    socket.send({ id: 'activity', type: 'subscribe', payload: { query: `subscription { provisioningActivity { seq tenantId type ${HEAVY} } }` } });
    socket.pause();

    const tenants = await Promise.all(Array.from({ length: RUNS }, () => createTenant(graphqlUrl, suite.token)));
    await Promise.all(tenants.map((tenant) => graphqlOk(graphqlUrl, START, { tenantId: tenant.id }, suite.token)));
    // Read again as soon as the server has cut the subscription: a client that stays silent for
    // graphql-ws's keep-alive (12 s) would be dropped for that instead. The cut comes once the
    // socket's buffers and then the bound are full, about half-way through the ten runs: on a
    // loaded 2-core machine that has taken 20 s, so the wait allows 60.
    await waitUntil(
      'the subscription to be ended as too slow',
      async () => suite.service.logLines.some((line) => line.msg === 'subscription ended: the subscriber fell too far behind (SUBSCRIBER_TOO_SLOW)'),
      { timeoutMs: 60_000 },
    );
    socket.resume();
    for (const tenant of tenants) expect((await followUntilRunEnds(wsUrl, suite.token, tenant.id, 0)).at(-1)!.type).toBe('RUN_COMPLETED');

    const lastSeen = new Map<string, number>();
    for (;;) {
      const message = await socket.next();
      if (message.type === 'next') {
        const event = (message.payload as { data: { provisioningActivity: { seq: number; tenantId: string } } }).data.provisioningActivity;
        lastSeen.set(event.tenantId, event.seq);
        continue;
      }
      expect(message).toMatchObject({ id: 'activity', type: 'error', payload: [{ extensions: { code: 'SUBSCRIBER_TOO_SLOW' } }] });
      expect((message.payload as Array<{ message: string }>)[0]!.message).toContain('`after`');
      break;
    }
    socket.close();

    // What a client does next (the SDK does it for you): each tenant again from its last seq.
    let caughtUp = 0;
    for (const tenant of tenants) {
      const after = lastSeen.get(tenant.id) ?? 0;
      const log = await eventLog(graphqlUrl, suite.token, tenant.id);
      if (after === log.at(-1)!.seq) continue; // this one was read to its end before the cut
      const rest = await followUntilRunEnds(wsUrl, suite.token, tenant.id, after);
      expect(rest.map((event) => event.seq)).toEqual(log.filter((event) => event.seq > after).map((event) => event.seq));
      caughtUp += 1;
    }
    // The cut came while events were still owed: some tenants had to be caught up.
    expect(caughtUp).toBeGreaterThan(0);
  }, 120_000);
});
