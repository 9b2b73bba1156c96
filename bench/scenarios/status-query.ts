import { graphql, wallNow } from '../lib/client.js';
import type { BenchContext, Row } from '../lib/context.js';
import { latency, ratio } from '../lib/format.js';
import { runPool, waitFor } from '../lib/pool.js';
import { freePort } from '../../src/server/database/embedded-postgres.js';
import { processCpuMs } from '../lib/cpu.js';
import { spawnNode } from '../lib/processes.js';
import { summarize } from '../lib/stats.js';

/** What a dashboard asks for: the run, its eleven steps and its errors. */
const QUERY = `query($t: ID!) { provisioning(tenantId: $t) {
  id tenantId status progress currentStep stepsCompleted totalSteps lastEventSeq resources startedAt completedAt
  steps { key index title status attempts startedAt completedAt durationMs message error }
  errors { step code message at }
} }`;
/** How long the bare server may take to answer, in milliseconds. */
const READY_TIMEOUT_MS = 30_000;
/** Our throughput as a fraction of the bare stack's. */
const CEILING_TARGET = 0.7;

/**
 * provisioning(tenantId) on finished runs, round-robin over the tenants, 50 clients in flight;
 * then the same load of `{ __typename }` on a bare Apollo Server (the stack's ceiling) in its own
 * process: throughput as a fraction of that ceiling.
 */
export async function statusQueryScenario(context: BenchContext): Promise<Row> {
  const { sizes, service, token } = context;
  const tenants = context.provisionedTenants;
  if (tenants.length === 0) throw new Error('no provisioned tenant to query (the mutations scenario provides them)');
  const ours = await load(service.child.pid, sizes.statusQueries, sizes.clients, async (i) => {
    const result = await graphql<{ provisioning: { status: string } | null }>(service.graphqlUrl, QUERY, { t: tenants[i % tenants.length] }, token);
    if (result.errors?.length || !result.data?.provisioning) throw new Error(`provisioning: ${JSON.stringify(result.errors)}`);
  });
  const ceiling = await bareApollo(context, (url, pid) =>
    load(pid, sizes.statusQueries, sizes.clients, async () => {
      const result = await graphql<{ __typename: string }>(url, '{ __typename }', {});
      if (result.data?.__typename !== 'Query') throw new Error(`bare Apollo: ${JSON.stringify(result)}`);
    }),
  );
  const fraction = ours.perSecond / ceiling.perSecond;
  return {
    figure: 'provisioning(tenantId) status query, 50 clients, against the bare stack',
    target: `>= ${CEILING_TARGET * 100}% of bare Apollo's { __typename } throughput`,
    measured: `${Math.round(ours.perSecond)} req/s (${latency(ours.summary)}); bare Apollo ${Math.round(ceiling.perSecond)} req/s (${latency(ceiling.summary)})`,
    pass: fraction >= CEILING_TARGET,
    anchor:
      `ours / ceiling = ${ratio(fraction)} of the throughput; server CPU per request ${Math.round(ours.cpuMicrosPerRequest)} µs ` +
      `against ${Math.round(ceiling.cpuMicrosPerRequest)} µs (${ratio(ours.cpuMicrosPerRequest / ceiling.cpuMicrosPerRequest)})`,
    details: {
      ours,
      ceiling,
      fraction,
      clients: sizes.clients,
      tenants: tenants.length,
    },
  };
}

/** `requests` calls of `call`, `clients` in flight: their latencies, the throughput and the CPU the server (process `pid`) spent on each. */
async function load(pid: number, requests: number, clients: number, call: (index: number) => Promise<void>) {
  const cpuBefore = processCpuMs(pid);
  const began = wallNow();
  const samples = await runPool(
    Array.from({ length: requests }, (_, i) => i),
    clients,
    async (i) => {
      const started = wallNow();
      await call(i);
      return wallNow() - started;
    },
  );
  return {
    summary: summarize(samples),
    perSecond: samples.length / ((wallNow() - began) / 1000),
    cpuMicrosPerRequest: ((processCpuMs(pid) - cpuBefore) * 1000) / samples.length,
  };
}

async function bareApollo<T>(context: BenchContext, use: (graphqlUrl: string, pid: number) => Promise<T>): Promise<T> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/graphql`;
  const child = spawnNode('bare-apollo', 'bench/peer/bare-apollo.js', { PORT: String(port) }, { logDir: context.logDir });
  try {
    await waitFor('the bare Apollo Server', async () => (await graphql(url, '{ __typename }', {}).catch(() => null))?.data !== undefined, READY_TIMEOUT_MS);
    return await use(url, child.pid);
  } finally {
    await child.stop();
  }
}
