import path from 'node:path';
import { createTenants, login, socket } from '../lib/client.js';
import type { BenchContext, Row } from '../lib/context.js';
import { latency, ratio } from '../lib/format.js';
import { createDatabase, startService } from '../lib/processes.js';
import { timedRun } from '../lib/runs.js';
import { summarize } from '../lib/stats.js';

/** A real ERPNext answers in a few hundred milliseconds: each sandbox call is held this long. */
const ENGINE_LATENCY_MS = 300;

/**
 * FULL_POS runs, one at a time, against a sandbox answering every call in 300 ms: on the
 * service as shipped (independent steps side by side), and on a second service, its own
 * database, with MAX_PARALLEL_STEPS=1 (the plan strictly in order). Runs alternate between
 * the two, so both see the same machine.
 */
export async function parallelStepsScenario(context: BenchContext): Promise<Row> {
  const { sizes, sandbox, service, token, logDir, workDir, databaseUrl } = context;
  const sequentialDatabase = await createDatabase(databaseUrl.replace(/\/[^/]*$/, '/postgres'), 'sequential_plan');
  const sequential = await startService({
    databaseUrl: sequentialDatabase,
    sandbox,
    dataDir: path.join(workDir, 'service-sequential'),
    logDir,
    name: 'service-sequential',
    env: { MAX_PARALLEL_STEPS: '1' },
  });
  try {
    const sequentialToken = await login(sequential.graphqlUrl);
    const [parallelTenants, sequentialTenants] = await Promise.all([
      createTenants(service.graphqlUrl, token, sizes.planRuns),
      createTenants(sequential.graphqlUrl, sequentialToken, sizes.planRuns),
    ]);
    await sandbox.faults({ latencyMs: ENGINE_LATENCY_MS }, true);
    const [sideClient, inOrderClient] = [socket(service.wsUrl, token), socket(sequential.wsUrl, sequentialToken)];
    const side: number[] = [];
    const inOrder: number[] = [];
    try {
      for (let i = 0; i < sizes.planRuns; i++) {
        side.push((await timedRun(service, token, sideClient, parallelTenants[i]!)).wallMs);
        inOrder.push((await timedRun(sequential, sequentialToken, inOrderClient, sequentialTenants[i]!)).wallMs);
      }
    } finally {
      await Promise.all([sideClient.dispose(), inOrderClient.dispose()]);
    }
    const parallel = summarize(side);
    const strict = summarize(inOrder);
    const fraction = parallel.p50 / strict.p50;
    return {
      figure: `FULL_POS run, engine at ${ENGINE_LATENCY_MS} ms per call: steps side by side vs one at a time`,
      target: 'wall time at least 30% lower than the sequential plan (ratio <= 0.70)',
      measured: `side by side ${latency(parallel)}; one at a time ${latency(strict)}`,
      pass: fraction <= 0.7,
      anchor: `median ratio ${ratio(fraction)} (p99 ratio ${ratio(parallel.p99 / strict.p99)})`,
      details: { parallel, sequential: strict, medianRatio: fraction, runsEach: sizes.planRuns, engineLatencyMs: ENGINE_LATENCY_MS },
    };
  } finally {
    await sandbox.faults({ latencyMs: 0 }, true);
    await sequential.child.stop();
  }
}
