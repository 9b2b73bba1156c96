import { graphql, wallNow } from '../lib/client.js';
import type { BenchContext, Row } from '../lib/context.js';
import { latency, ratio } from '../lib/format.js';
import { runPool } from '../lib/pool.js';
import { summarize } from '../lib/stats.js';

/** What a dashboard asks for: the run, its eleven steps and its errors. */
const QUERY = `query($t: ID!) { provisioning(tenantId: $t) {
  id tenantId status progress currentStep stepsCompleted totalSteps lastEventSeq resources startedAt completedAt
  steps { key index title status attempts startedAt completedAt durationMs message error }
  errors { step code message at }
} }`;
/** Anchor: the original plan's status-query target, in milliseconds. */
const ORIGINAL_TARGET_MS = 200;

/** provisioning(tenantId) on finished runs, round-robin over the tenants, 50 clients in flight. */
export async function statusQueryScenario(context: BenchContext): Promise<Row> {
  const { sizes, service, token } = context;
  const tenants = context.provisionedTenants;
  if (tenants.length === 0) throw new Error('no provisioned tenant to query (the mutations scenario provides them)');
  const requests = Array.from({ length: sizes.statusQueries }, (_, i) => tenants[i % tenants.length]!);
  const began = wallNow();
  const samples = await runPool(requests, sizes.clients, async (tenantId) => {
    const started = wallNow();
    const result = await graphql<{ provisioning: { status: string } | null }>(service.graphqlUrl, QUERY, { t: tenantId }, token);
    const elapsed = wallNow() - started;
    if (result.errors?.length || !result.data?.provisioning) throw new Error(`provisioning(${tenantId}): ${JSON.stringify(result.errors)}`);
    return elapsed;
  });
  const wallS = (wallNow() - began) / 1000;
  const summary = summarize(samples);
  return {
    figure: 'provisioning(tenantId) status query',
    target: 'p50 <= 5 ms, p99 <= 20 ms',
    measured: `${latency(summary)} (n=${summary.count}, ${Math.round(samples.length / wallS)} req/s)`,
    pass: summary.p50 <= 5 && summary.p99 <= 20,
    anchor: `original target 200 ms: p99 / that target = ${ratio(summary.p99 / ORIGINAL_TARGET_MS)}`,
    details: { ...summary, clients: sizes.clients, tenants: tenants.length, requestsPerSecond: samples.length / wallS },
  };
}
