import pg from 'pg';
import { createTenants, graphql, wallNow } from '../lib/client.js';
import type { BenchContext, Row } from '../lib/context.js';
import { latency } from '../lib/format.js';
import { HeapMeter, heapOfPeak } from '../lib/heap.js';
import { RssMeter } from '../lib/rss.js';
import { summarize, round } from '../lib/stats.js';

async function committedEvents(databaseUrl: string, tenantIds: readonly string[]): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM provisioning_event WHERE tenant_id = ANY($1)', [tenantIds]);
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

/**
 * N tenants' startProvisioning sent at once (all in flight together) to one service process;
 * throughput = step transitions committed (events in the log: each transition writes one)
 * divided by the time from the first request to the last run's end, seen by an activity subscriber.
 */
export async function massProvisioningScenario(context: BenchContext): Promise<Row> {
  const { sizes, sandbox, service, token, activity, databaseUrl } = context;
  await sandbox.faults({}, true);
  const tenantIds = await createTenants(service.graphqlUrl, token, sizes.massTenants);
  for (const id of tenantIds) activity.finished.delete(id);
  const rss = new RssMeter(service.child.pid);
  const heap = new HeapMeter(service.graphqlUrl.replace(/\/graphql$/, '/metrics'));
  const began = wallNow();
  const requestMs = await Promise.all(
    tenantIds.map(async (tenantId) => {
      const started = wallNow();
      const result = await graphql(service.graphqlUrl, `mutation($t: ID!) { startProvisioning(tenantId: $t) { id status } }`, { t: tenantId }, token);
      if (result.errors?.length) throw new Error(`start ${tenantId}: ${JSON.stringify(result.errors)}`);
      return wallNow() - started;
    }),
  );
  await activity.waitFinished(tenantIds, sizes.runsTimeoutMs);
  const endedAt = Math.max(...tenantIds.map((id) => activity.finishedAt.get(id) ?? Number.NaN));
  const peakRssMb = rss.stop();
  const heapPeaks = await heap.stop();
  const wallS = (endedAt - began) / 1000;
  const completed = tenantIds.filter((id) => activity.finished.get(id) === 'RUN_COMPLETED').length;
  // How the others ended (RUN_PARTIAL: a non-critical step failed, e.g. an engine timeout under load).
  const outcomes: Record<string, number> = {};
  for (const id of tenantIds) outcomes[activity.finished.get(id)!] = (outcomes[activity.finished.get(id)!] ?? 0) + 1;
  const transitions = await committedEvents(databaseUrl, tenantIds);
  const perSecond = transitions / wallS;
  context.provisionedTenants.push(...tenantIds.filter((id) => activity.finished.get(id) === 'RUN_COMPLETED'));
  return {
    figure: `${sizes.massTenants} tenants provisioned at once in one process`,
    target: `all complete; >= 500 step transitions/s; peak RSS <= 400 MB`,
    measured: `${completed}/${tenantIds.length} completed${completed === tenantIds.length ? '' : ` (${JSON.stringify(outcomes)})`} in ${round(wallS, 1)} s, ${Math.round(perSecond)} transitions/s, peak RSS ${Math.round(peakRssMb)} MB`,
    pass: completed === tenantIds.length && perSecond >= 500 && peakRssMb <= 400,
    anchor: `${heapOfPeak(heapPeaks)}; startProvisioning under this load: ${latency(summarize(requestMs))}`,
    details: { tenants: tenantIds.length, completed, outcomes, transitions, wallSeconds: wallS, transitionsPerSecond: perSecond, peakRssMb, heapPeaks, startRequest: summarize(requestMs) },
  };
}
