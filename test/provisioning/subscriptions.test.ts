import { describe, expect, it } from '@jest/globals';
import type { Client } from 'graphql-ws';
import { createTenant, EVENT_FIELDS, loginAs } from '../support/api.js';
import { collect, graphqlOk, wsClient } from '../support/graphql.js';
import { EVENTS_SUBSCRIPTION, eventLog, followUntilRunEnds, RUN_END_TYPES, sandbox, START, type EventItem } from '../support/provisioning.js';
import { serviceForSuite } from '../support/service.js';

describe('provisioning subscriptions', () => {
  const suite = serviceForSuite();

  it('a subscriber that drops mid-run and comes back with `after` gets every later event exactly once', async () => {
    const tenant = await createTenant(suite.service.graphqlUrl, suite.token);
    // Slow enough that the run is still going while the subscriber drops and returns.
    await sandbox.faults(suite.service.sandbox!, { latencyMs: 15 });
    await graphqlOk(suite.service.graphqlUrl, START, { tenantId: tenant.id }, suite.token);

    const received: EventItem[] = [];
    let after = 0;
    // Three short connections, each cut after a few events, then one to the end of the run.
    for (let connection = 0; connection < 3; connection++) {
      const client = wsClient(suite.service.wsUrl, suite.token);
      const batch = await collect<EventItem>(client, EVENTS_SUBSCRIPTION, { tenantId: tenant.id, after }, (_, all) => all.length === 4, 'provisioningEvents');
      await client.dispose();
      received.push(...batch);
      after = batch.at(-1)!.seq;
    }
    received.push(...(await followUntilRunEnds(suite.service.wsUrl, suite.token, tenant.id, after)));
    await sandbox.faults(suite.service.sandbox!, { latencyMs: null });

    const seqs = received.map((event) => event.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(received.at(-1)!.type).toBe('RUN_COMPLETED');
    expect(received).toEqual(await eventLog(suite.service.graphqlUrl, suite.token, tenant.id));
  });

  it('without `after` starts with a SNAPSHOT carrying the current seq, then live events', async () => {
    const tenant = await createTenant(suite.service.graphqlUrl, suite.token);
    const client = wsClient(suite.service.wsUrl, suite.token);
    const events = new Promise<EventItem[]>((resolve, reject) => {
      const items: EventItem[] = [];
      const dispose = client.subscribe<{ provisioningEvents: EventItem }>(
        { query: `subscription ($tenantId: ID!) { provisioningEvents(tenantId: $tenantId) { ${EVENT_FIELDS} } }`, variables: { tenantId: tenant.id } },
        {
          next: ({ data }) => {
            const event = data!.provisioningEvents;
            items.push(event);
            // The snapshot is the signal that the subscription is live: start the run now.
            if (event.type === 'SNAPSHOT') void graphqlOk(suite.service.graphqlUrl, START, { tenantId: tenant.id }, suite.token).catch(reject);
            if (RUN_END_TYPES.has(event.type)) {
              dispose();
              resolve(items);
            }
          },
          error: reject,
          complete: () => resolve(items),
        },
      );
    });
    const received = await events;
    await client.dispose();
    expect(received[0]).toMatchObject({ type: 'SNAPSHOT', seq: 0, provisioning: null });
    expect(received.slice(1).map((event) => event.seq)).toEqual(received.slice(1).map((_, i) => i + 1));
    expect(received.at(-1)!.type).toBe('RUN_COMPLETED');

    const late = wsClient(suite.service.wsUrl, suite.token);
    const [snapshot] = await collect<EventItem>(
      late,
      `subscription ($tenantId: ID!) { provisioningEvents(tenantId: $tenantId) { ${EVENT_FIELDS} } }`,
      { tenantId: tenant.id },
      () => true,
      'provisioningEvents',
    );
    await late.dispose();
    expect(snapshot).toMatchObject({ type: 'SNAPSHOT', seq: received.at(-1)!.seq, provisioning: { status: 'COMPLETED', progress: 100 } });
  });

  it('refuses a subscription to an unknown tenant with NOT_FOUND', async () => {
    const client = wsClient(suite.service.wsUrl, suite.token);
    const outcome = collect<EventItem>(client, EVENTS_SUBSCRIPTION, { tenantId: '3f2b8c1e-9a4d-4e7f-8b1a-2c3d4e5f6a7b', after: 0 }, () => true, 'provisioningEvents');
    await expect(outcome).rejects.toMatchObject({ errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'NOT_FOUND' }) })] });
    await client.dispose();
  });

  it('provisioningActivity streams the events of every tenant to a platform admin', async () => {
    const first = await createTenant(suite.service.graphqlUrl, suite.token);
    const second = await createTenant(suite.service.graphqlUrl, suite.token);
    const client = wsClient(suite.service.wsUrl, suite.token);
    const ended = new Set<string>();
    const activity = new Promise<EventItem[]>((resolve, reject) => {
      const items: EventItem[] = [];
      let started = false;
      const dispose = client.subscribe<{ provisioningActivity: EventItem }>(
        { query: `subscription { provisioningActivity { ${EVENT_FIELDS} } }` },
        {
          next: ({ data }) => {
            const event = data!.provisioningActivity;
            items.push(event);
            if (RUN_END_TYPES.has(event.type)) ended.add(event.tenantId);
            if (ended.has(first.id) && ended.has(second.id)) {
              dispose();
              resolve(items);
            }
          },
          error: reject,
          complete: () => resolve(items),
        },
      );
      // Live only: events committed before the server registered this subscription are not
      // replayed, so the runs start once the socket is up, and the test asserts what the feed
      // promises: each tenant's events arrive in order, without gap or duplicate, to its end.
      client.on('connected', () => {
        if (started) return;
        started = true;
        void Promise.all([first.id, second.id].map((tenantId) => graphqlOk(suite.service.graphqlUrl, START, { tenantId }, suite.token))).catch(reject);
      });
    });
    const items = await activity;
    await client.dispose();
    for (const tenantId of [first.id, second.id]) {
      const own = items.filter((event) => event.tenantId === tenantId);
      const firstSeq = own[0]!.seq;
      expect(own.map((event) => event.seq)).toEqual(own.map((_, i) => firstSeq + i));
      expect(own.at(-1)!.type).toBe('RUN_COMPLETED');
    }
  });
  it('subscribers of one document share each live event; another document, other variables below the field or another role get their own', async () => {
    const tenant = await createTenant(suite.service.graphqlUrl, suite.token);
    const tenantAdmin = await loginAs(suite.service.graphqlUrl, tenant.input.adminEmail, tenant.input.adminPassword);
    const full = `subscription ($tenantId: ID!) { provisioningEvents(tenantId: $tenantId) { seq type message provisioning { status runningSteps } } }`;
    const chosen = `subscription ($tenantId: ID!, $withMessage: Boolean!) { provisioningEvents(tenantId: $tenantId) { seq type message @include(if: $withMessage) } }`;
    const subscribers = [
      { token: suite.token, query: full, variables: {} },
      { token: suite.token, query: full, variables: {} },
      { token: tenantAdmin, query: full, variables: {} },
      { token: suite.token, query: chosen, variables: { withMessage: false } },
      { token: suite.token, query: chosen, variables: { withMessage: true } },
    ].map(({ token, query, variables }) => untilRunEnds(wsClient(suite.service.wsUrl, token), query, { tenantId: tenant.id, ...variables }));
    await Promise.all(subscribers.map((subscriber) => subscriber.live));
    await graphqlOk(suite.service.graphqlUrl, START, { tenantId: tenant.id }, suite.token);
    const [first, second, asTenantAdmin, withoutMessage, withMessage] = await Promise.all(subscribers.map((subscriber) => subscriber.events));

    expect(first!.at(-1)).toMatchObject({ type: 'RUN_COMPLETED', provisioning: { status: 'COMPLETED' } });
    expect(second).toEqual(first);
    expect(asTenantAdmin).toEqual(first);
    expect(withoutMessage).toEqual(first!.map(({ seq, type }) => ({ seq, type })));
    expect(withMessage).toEqual(first!.map(({ seq, type, message }) => ({ seq, type, message })));
  });

  /** Live events from the SNAPSHOT on (`live` once it came) until the run ends; the client is disposed then. */
  function untilRunEnds(client: Client, query: string, variables: Record<string, unknown>) {
    let markLive!: () => void;
    const live = new Promise<void>((resolve) => (markLive = resolve));
    const events = new Promise<Array<Record<string, unknown>>>((resolve, reject) => {
      const items: Array<Record<string, unknown>> = [];
      const dispose = client.subscribe<{ provisioningEvents: Record<string, unknown> }>(
        { query, variables },
        {
          next: ({ data, errors }) => {
            if (errors?.length) return reject(new Error(errors[0]!.message));
            const event = data!.provisioningEvents;
            if (event.type === 'SNAPSHOT') return markLive();
            items.push(event);
            if (RUN_END_TYPES.has(event.type as string)) {
              dispose();
              resolve(items);
            }
          },
          error: reject,
          complete: () => resolve(items),
        },
      );
    }).finally(() => client.dispose());
    return { live, events };
  }
});
