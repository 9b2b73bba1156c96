import { createTenants, graphql, wallNow } from '../lib/client.js';
import type { BenchContext, Row } from '../lib/context.js';
import { latency, ratio } from '../lib/format.js';
import { runPool } from '../lib/pool.js';
import { round, summarize } from '../lib/stats.js';

const VIEW = `id status progress currentStep stepsCompleted lastEventSeq`;
const MUTATIONS = {
  start: `mutation($t: ID!) { startProvisioning(tenantId: $t) { ${VIEW} } }`,
  retry: `mutation($t: ID!) { retryProvisioning(tenantId: $t) { ${VIEW} } }`,
  continue: `mutation($t: ID!) { continueProvisioning(tenantId: $t) { ${VIEW} } }`,
};
/** Anchor: the original plan's round-trip target, in milliseconds. */
const ORIGINAL_TARGET_MS = 500;

/** Times one mutation per tenant with `clients` in flight; every call must succeed. */
async function timed(context: BenchContext, kind: keyof typeof MUTATIONS, tenantIds: string[]): Promise<number[]> {
  const { graphqlUrl } = context.service;
  return runPool(tenantIds, context.sizes.clients, async (tenantId) => {
    context.activity.finished.delete(tenantId);
    const started = wallNow();
    const result = await graphql(graphqlUrl, MUTATIONS[kind], { t: tenantId }, context.token);
    const elapsed = wallNow() - started;
    if (result.errors?.length) throw new Error(`${kind} on ${tenantId}: ${JSON.stringify(result.errors)}`);
    return elapsed;
  });
}

/**
 * startProvisioning / retryProvisioning / continueProvisioning from 50 concurrent clients, while
 * the runs they start execute in the same service (that is the load a real burst brings).
 * retry and continue need failed runs: the sandbox refuses the Company creation once per tenant
 * (HTTP 417, a permanent validation error), which fails those runs at COMPANY.
 */
export async function mutationsScenario(context: BenchContext): Promise<Row> {
  const { sizes, sandbox, service, token, activity } = context;
  await sandbox.faults({}, true);
  const fresh = await createTenants(service.graphqlUrl, token, sizes.starts);
  const toResume = await createTenants(service.graphqlUrl, token, sizes.resumes * 2);

  await sandbox.faults({ failNext: { doctype: 'Company', method: 'POST', status: 417, count: toResume.length } });
  await runPool(toResume, sizes.clients, async (tenantId) => {
    activity.finished.delete(tenantId);
    const result = await graphql(service.graphqlUrl, MUTATIONS.start, { t: tenantId }, token);
    if (result.errors?.length) throw new Error(`setup start: ${JSON.stringify(result.errors)}`);
  });
  await activity.waitFinished(toResume, sizes.runsTimeoutMs);
  const notFailed = toResume.filter((id) => activity.finished.get(id) !== 'RUN_FAILED');
  if (notFailed.length) throw new Error(`${notFailed.length} setup runs did not fail as arranged (first: ${activity.finished.get(notFailed[0]!)})`);
  await sandbox.faults({ failNext: null });

  const began = wallNow();
  const startMs = await timed(context, 'start', fresh);
  const retryMs = await timed(context, 'retry', toResume.slice(0, sizes.resumes));
  const continueMs = await timed(context, 'continue', toResume.slice(sizes.resumes));
  const all = [...startMs, ...retryMs, ...continueMs];
  const callsPerSecond = all.length / ((wallNow() - began) / 1000);

  const everyTenant = [...fresh, ...toResume];
  await activity.waitFinished(everyTenant, sizes.runsTimeoutMs);
  context.provisionedTenants.push(...everyTenant.filter((id) => activity.finished.get(id) === 'RUN_COMPLETED'));

  const overall = summarize(all);
  return {
    figure: `startProvisioning / retry / continue round trip, ${sizes.clients} concurrent clients`,
    target: 'p50 <= 10 ms, p99 <= 50 ms',
    measured: `${latency(overall)} (n=${overall.count})`,
    pass: overall.p50 <= 10 && overall.p99 <= 50,
    anchor:
      `${Math.round(callsPerSecond)} calls/s: with ${sizes.clients} clients in a closed loop a call waits ${sizes.clients} / that = ` +
      `${Math.round((sizes.clients / callsPerSecond) * 1000)} ms on average (Little's law); original target 500 ms: p99 / that target = ${ratio(overall.p99 / ORIGINAL_TARGET_MS)}`,
    details: {
      all: overall,
      start: summarize(startMs),
      retry: summarize(retryMs),
      continue: summarize(continueMs),
      clients: sizes.clients,
      callsPerSecond,
      completedRuns: context.provisionedTenants.length,
      note: 'runs started by these calls execute in the same service while the calls are timed',
      p99OverOriginalTarget: round(overall.p99 / ORIGINAL_TARGET_MS, 2),
    },
  };
}
