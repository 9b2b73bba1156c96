import pg from 'pg';
import { createTenants, graphql, subscribeMany, wallNow } from './client.js';
import type { BenchContext } from './context.js';
import { processCpuMs } from './cpu.js';
import { histogram, quantileMs } from './metrics.js';
import { waitFor } from './pool.js';
import { summarize, type Summary } from './stats.js';

/** After the runs end, how long stragglers may take to reach every subscriber, in milliseconds. */
const DELIVERY_TIMEOUT_MS = 60_000;

export interface FanoutResult {
  /** Commit -> client latency of every delivery, all subscribers together. */
  latency: Summary;
  /** The service's own commit -> socket write, from its histogram (bucket upper bounds). */
  server: { p50: number; p99: number };
  expected: number;
  delivered: number;
  /** Deliveries out of seq order (gap or duplicate) plus subscribers that did not get every event: 0 when all is well. */
  outOfOrder: number;
  /** Events committed by the runs (each one step transition). */
  events: number;
  wallMs: number;
  /** The service's CPU (all its threads) from the starts to the last delivery, as a share of one core: near 1 or above, its event loop had no time to spare. */
  serviceCpuShare: number;
}

async function lastSeqs(databaseUrl: string, tenantIds: readonly string[]): Promise<Map<string, number>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string; seq: number }>('SELECT id, last_event_seq AS seq FROM tenant WHERE id = ANY($1)', [tenantIds]);
    return new Map(rows.map((row) => [row.id, Number(row.seq)]));
  } finally {
    await client.end();
  }
}

/**
 * `subscribers` live subscriptions (one socket each) spread over `tenants` fresh tenants; all
 * their runs start at once; every delivery's latency is client receive time minus the event's
 * `at` (PostgreSQL's now() in the transaction that committed it; same machine clock).
 */
export async function fanout(context: BenchContext, subscribers: number, tenants: number): Promise<FanoutResult> {
  const { service, token, activity, sandbox, databaseUrl, sizes } = context;
  await sandbox.faults({}, true);
  const tenantIds = await createTenants(service.graphqlUrl, token, tenants);
  const samples: number[] = [];
  const lastSeen = new Array<number>(subscribers).fill(-1);
  const received = new Array<number>(subscribers).fill(0);
  let outOfOrder = 0;
  const before = await lastSeqs(databaseUrl, tenantIds);
  const delay = () => histogram(service.graphqlUrl, 'graphql_subscription_event_delay_seconds', 'subscription="provisioningEvents"');
  const delayBefore = await delay();
  const subscription = await subscribeMany(service.wsUrl, token, tenantIds, subscribers, (event, subscriber) => {
    samples.push(event.receivedAt - Date.parse(event.at));
    const expectedSeq = lastSeen[subscriber] === -1 ? before.get(event.tenantId)! + 1 : lastSeen[subscriber]! + 1;
    if (event.seq !== expectedSeq) outOfOrder += 1;
    lastSeen[subscriber] = event.seq;
    received[subscriber]! += 1;
  });
  try {
    const cpuBefore = processCpuMs(service.child.pid);
    const began = wallNow();
    await Promise.all(
      tenantIds.map(async (tenantId) => {
        activity.finished.delete(tenantId);
        const result = await graphql(service.graphqlUrl, `mutation($t: ID!) { startProvisioning(tenantId: $t) { id } }`, { t: tenantId }, token);
        if (result.errors?.length) throw new Error(`start: ${JSON.stringify(result.errors)}`);
      }),
    );
    await activity.waitFinished(tenantIds, sizes.runsTimeoutMs);
    const after = await lastSeqs(databaseUrl, tenantIds);
    // Subscriber i watches tenantIds[i % tenants] (subscribeMany's spread).
    const perSubscriber = received.map((_, i) => after.get(tenantIds[i % tenants]!)! - before.get(tenantIds[i % tenants]!)!);
    const expected = perSubscriber.reduce((sum, n) => sum + n, 0);
    await waitFor('every event at every subscriber', () => samples.length >= expected, DELIVERY_TIMEOUT_MS).catch(() => undefined);
    const wallMs = wallNow() - began;
    const serviceCpuShare = (processCpuMs(service.child.pid) - cpuBefore) / wallMs;
    const short = received.filter((n, i) => n !== perSubscriber[i]).length;
    const events = [...after.keys()].reduce((sum, id) => sum + after.get(id)! - before.get(id)!, 0);
    const delayAfter = await delay();
    const server = { p50: quantileMs(delayBefore, delayAfter, 0.5), p99: quantileMs(delayBefore, delayAfter, 0.99) };
    return { latency: summarize(samples), server, expected, delivered: samples.length, outOfOrder: outOfOrder + short, events, wallMs, serviceCpuShare };
  } finally {
    await subscription.close();
  }
}
