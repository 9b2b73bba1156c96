import { randomUUID } from 'node:crypto';
import { ErpNextClient } from '../../src/engine/erpnext/index.js';
import { resolveRunConfig } from '../../src/provisioning/commands/start-run.js';
import { fullPos } from '../../src/provisioning/plan/templates/full-pos.js';
import type { Resources, StepKey } from '../../src/provisioning/model.js';
import { DEFAULT_TUNING } from '../../src/provisioning/tuning.js';
import { createTenants, socket, wallNow } from '../lib/client.js';
import type { BenchContext, Row } from '../lib/context.js';
import { latency, ms } from '../lib/format.js';
import { RUN_TIMEOUT_MS, timedRun } from '../lib/runs.js';
import { summarize } from '../lib/stats.js';

/**
 * The plan's engine work alone: the same eleven step functions against the same sandbox, in
 * this process, with no database, no events and no GraphQL, scheduled as the service does
 * (each step once its dependencies are done, up to 4 at once). What a run costs beyond this
 * is the orchestration.
 */
async function engineOnlyRun(engine: ErpNextClient, n: number): Promise<number> {
  const unique = `${process.pid}-${n}`;
  const tenant = { id: randomUUID(), name: `Baseline ${unique}`, slug: `baseline-${unique}`, countryCode: 'KE', adminEmail: `base-${unique}@bench.test`, adminName: 'Base Owner' };
  const { config } = resolveRunConfig('KE', {});
  const resources: Resources = {};
  const done = new Set<StepKey>();
  const running = new Map<StepKey, Promise<void>>();
  const started = wallNow();
  while (done.size < fullPos.steps.length) {
    const ready = fullPos.steps.filter(({ step }) => !done.has(step.key) && !running.has(step.key) && step.dependsOn.every((key) => done.has(key) || !STEP_KEYS.has(key)));
    for (const { step, input } of ready.slice(0, DEFAULT_TUNING.maxParallelSteps - running.size)) {
      const execute = async () => {
        if (step.skipReason?.(config, resources)) return;
        const result = await step.run({ engine, tenant, config, input, resources, signal: AbortSignal.timeout(RUN_TIMEOUT_MS) });
        Object.assign(resources, result.resources ?? {});
      };
      // Settled in a later microtask, so always after it is recorded as running.
      running.set(
        step.key,
        execute().then(() => {
          running.delete(step.key);
          done.add(step.key);
        }),
      );
    }
    await Promise.race(running.values());
  }
  return wallNow() - started;
}

const STEP_KEYS = new Set(fullPos.steps.map(({ step }) => step.key));

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
      const run = await timedRun(service, token, client, tenantIds[i]!);
      if (i < sizes.warmupRuns) continue;
      engineOnly.push(base);
      walls.push(run.wallMs);
      dbSpans.push(run.dbMs);
    }
  } finally {
    await client.dispose();
  }
  const engineMedian = summarize(engineOnly).p50;
  const perStep = summarize(walls.map((wall) => (wall - engineMedian) / fullPos.steps.length));
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
