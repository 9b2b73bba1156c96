import { randomUUID } from 'node:crypto';
import { ErpNextClient } from '../../src/engine/erpnext/index.js';
import { resolveRunConfig } from '../../src/provisioning/commands/start-run.js';
import { PLAN } from '../../src/provisioning/plan/index.js';
import type { Resources } from '../../src/provisioning/model.js';
import { createTenants, graphqlOk, socket, wallNow } from '../lib/client.js';
import type { BenchContext, Row } from '../lib/context.js';
import { latency, ms } from '../lib/format.js';
import { summarize } from '../lib/stats.js';

/** Longest a single sequential run may take before the bench gives up, in milliseconds. */
const RUN_TIMEOUT_MS = 30_000;

/**
 * The plan's engine work alone: the same eleven step functions against the same sandbox, in
 * this process, with no database, no events and no GraphQL. What a run costs beyond this is
 * the orchestration.
 */
async function engineOnlyRun(engine: ErpNextClient, n: number): Promise<number> {
  const unique = `${process.pid}-${n}`;
  const tenant = { id: randomUUID(), name: `Baseline ${unique}`, slug: `baseline-${unique}`, countryCode: 'KE', adminEmail: `base-${unique}@bench.test`, adminName: 'Base Owner' };
  const { config } = resolveRunConfig('KE', {});
  const resources: Resources = {};
  const started = wallNow();
  for (const step of PLAN) {
    if (step.skipReason?.(config)) continue;
    const result = await step.run({ engine, tenant, config, resources, signal: AbortSignal.timeout(RUN_TIMEOUT_MS) });
    Object.assign(resources, result.resources ?? {});
  }
  return wallNow() - started;
}

/** One run through the service, as a client sees it: startProvisioning sent -> RUN_COMPLETED received. */
async function serviceRun(context: BenchContext, client: ReturnType<typeof socket>, tenantId: string): Promise<{ wallMs: number; dbMs: number }> {
  let sentAt = 0;
  let startedAt = Number.NaN;
  let snapshot!: () => void;
  const live = new Promise<void>((resolve) => (snapshot = resolve));
  const done = new Promise<{ wallMs: number; dbMs: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`run of ${tenantId} did not complete in ${RUN_TIMEOUT_MS} ms`)), RUN_TIMEOUT_MS);
    const dispose = client.subscribe<{ provisioningEvents: { type: string; at: string } }>(
      { query: `subscription($t: ID!) { provisioningEvents(tenantId: $t) { seq type at } }`, variables: { t: tenantId } },
      {
        next: ({ data }) => {
          const event = data?.provisioningEvents;
          if (!event) return;
          if (event.type === 'SNAPSHOT') return snapshot();
          if (event.type === 'RUN_STARTED') startedAt = Date.parse(event.at);
          if (event.type.startsWith('RUN_') && event.type !== 'RUN_STARTED') {
            clearTimeout(timer);
            dispose();
            if (event.type !== 'RUN_COMPLETED') return reject(new Error(`run ended ${event.type}`));
            resolve({ wallMs: wallNow() - sentAt, dbMs: Date.parse(event.at) - startedAt });
          }
        },
        error: reject,
        complete: () => undefined,
      },
    );
  });
  await live;
  sentAt = wallNow();
  await graphqlOk(context.service.graphqlUrl, `mutation($t: ID!) { startProvisioning(tenantId: $t) { id } }`, { t: tenantId }, context.token);
  return done;
}

/**
 * Runs one after another on an idle service with a zero-latency sandbox, interleaved with
 * engine-only runs of the same plan: overhead per step = (run as the client sees it - median
 * engine-only run) / 11.
 */
export async function overheadScenario(context: BenchContext): Promise<Row> {
  const { sizes, sandbox, service, token } = context;
  await sandbox.faults({ latencyMs: 0 }, true);
  const engine = new ErpNextClient({ url: sandbox.url, apiKey: sandbox.apiKey, apiSecret: sandbox.apiSecret });
  const total = sizes.warmupRuns + sizes.sequentialRuns;
  const tenantIds = await createTenants(service.graphqlUrl, token, total);
  const client = socket(service.wsUrl, token);
  const walls: number[] = [];
  const dbSpans: number[] = [];
  const engineOnly: number[] = [];
  try {
    for (let i = 0; i < total; i++) {
      const base = await engineOnlyRun(engine, i);
      const run = await serviceRun(context, client, tenantIds[i]!);
      if (i < sizes.warmupRuns) continue;
      engineOnly.push(base);
      walls.push(run.wallMs);
      dbSpans.push(run.dbMs);
    }
  } finally {
    await client.dispose();
  }
  context.oursRunMs = walls;
  const engineMedian = summarize(engineOnly).p50;
  const perStep = summarize(walls.map((wall) => (wall - engineMedian) / PLAN.length));
  const run = summarize(walls);
  return {
    figure: 'orchestration overhead per step (sandbox with zero latency)',
    target: 'p50 <= 5 ms per step; a whole 11-step run <= 100 ms',
    measured: `per step ${latency(perStep)}; whole run ${latency(run)} (engine alone ${ms(engineMedian)})`,
    pass: perStep.p50 <= 5 && run.p50 <= 100,
    anchor: `durable engines publish ~100 ms per workflow or 100-500 ms per step: ours ${ms(perStep.p50)} per step`,
    details: { perStep, run, runInDatabase: summarize(dbSpans), engineOnly: summarize(engineOnly), runs: walls.length, warmupRuns: sizes.warmupRuns },
  };
}
