/**
 * Our side of the peer row, built like the peer (bench/peer/worker.ts): the orchestrator as a
 * library in its own process, on its own database of the bench's PostgreSQL cluster, running
 * FULL_POS with every step's engine work replaced by nothing. Everything else is the service's
 * own path: the run and its first event in the start's transaction, admission, the lease, each
 * transition's statement with its event and NOTIFY, the executor's retries and dependencies.
 * Runs WARMUP_RUNS + RUNS one after another, each timed from startProvisioning to the commit of
 * RUN_COMPLETED (as the peer times addJob to its last handler), and sends the timed durations
 * (ms) over IPC, with the CPU the process and its database's backends used over them. With
 * AT_ONCE=1 the RUNS start together instead (after the warm-up runs) and it sends the
 * transitions committed per second and the CPU over them; with EVENT_BUS_URL the events go
 * through the outbox, the relay and that bus instead of NOTIFY, as in the service.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ErpEngine } from '../../src/engine/port.js';
import { createLogger } from '../../src/lib/logger.js';
import { EventType, ProvisioningTemplate } from '../../src/provisioning/model.js';
import { EventRelay } from '../../src/provisioning/events/event-relay.js';
import { eventBusChannel, RedisEventBus } from '../../src/provisioning/events/external-bus.js';
import { Orchestrator } from '../../src/provisioning/orchestrator.js';
import type { StepCatalogue } from '../../src/provisioning/plan/index.js';
import type { AnyStepDefinition } from '../../src/provisioning/plan/step-definition.js';
import { fullPos } from '../../src/provisioning/plan/templates/full-pos.js';
import { TransitionWriter } from '../../src/provisioning/transitions/transition-writer.js';
import { DEFAULT_TUNING } from '../../src/provisioning/tuning.js';
import { openDatabase } from '../../src/server/database/index.js';
import { MINUTE, SECOND } from '../../src/lib/time.js';
import { cpuSplit } from './cpu.js';

const runs = Number(process.env.RUNS ?? 10);
const warmup = Number(process.env.WARMUP_RUNS ?? 2);
const atOnce = process.env.AT_ONCE === '1';
/**
 * Longest a run may take before this process gives up, in milliseconds. All at once, the last
 * runs end with the whole batch: 500 runs through Redis took 26 s on a slow day, and once more than 30.
 */
const RUN_TIMEOUT_MS = atOnce ? 5 * MINUTE : 30 * SECOND;
const busUrl = process.env.EVENT_BUS_URL;

/** The plan's steps with their keys, order, dependencies and policies, doing no work. */
const NO_OP_STEPS = new Map<string, AnyStepDefinition>(
  fullPos.steps.map(({ step }) => [step.key, { ...step, skipReason: undefined, run: async () => ({ message: 'done' }) }]),
);
const noOpSteps: StepCatalogue = (key) => NO_OP_STEPS.get(key);

/** No step calls the engine here; a call would be a mistake in this harness. */
const noEngine = new Proxy({} as ErpEngine, {
  get: (_target, name) => () => Promise.reject(new Error(`the no-op plan called the engine (${String(name)})`)),
});

async function main(): Promise<void> {
  const log = createLogger({ level: 'warn', destination: process.stderr });
  const dataDir = await mkdtemp(path.join(tmpdir(), 'bench-ours-'));
  const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL!, dataDir, log });
  const completed = new Map<string, () => void>();
  const bus = busUrl ? new RedisEventBus(busUrl, await eventBusChannel(database.orm.em), log) : undefined;
  const relay = bus && new EventRelay({ em: database.orm.em, bus, log });
  relay?.start();
  let transitions = 0;
  const writer = new TransitionWriter(
    database.orm.em,
    log,
    ({ event }) => {
      transitions += 1;
      relay?.poke();
      if (event.type === EventType.RUN_COMPLETED) completed.get(event.tenantId)?.();
    },
    relay ? 'outbox' : 'notify',
  );
  const orchestrator = new Orchestrator({
    em: database.orm.em,
    writer,
    engine: noEngine,
    availability: { peek: () => null, markUnreachable: () => undefined },
    log,
    tuning: DEFAULT_TUNING,
    steps: noOpSteps,
  });
  orchestrator.start();
  const run = async (tenantId: string) => {
    const finished = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`a run did not complete in ${RUN_TIMEOUT_MS} ms`)), RUN_TIMEOUT_MS);
      completed.set(tenantId, () => {
        clearTimeout(timer);
        resolve();
      });
    });
    const started = performance.now();
    await orchestrator.startProvisioning(tenantId, { template: ProvisioningTemplate.FULL_POS }, 'bench');
    await finished;
    return performance.now() - started;
  };
  try {
    const tenantIds = await insertTenants(database.orm.em.getConnection(), warmup + runs);
    for (const tenantId of tenantIds.slice(0, warmup)) await run(tenantId);
    if (atOnce) {
      const before = transitions;
      const cpu = await cpuSplit(process.env.DATABASE_URL!);
      const began = performance.now();
      await Promise.all(tenantIds.slice(warmup).map(run));
      process.send!({ transitionsPerSecond: (transitions - before) / ((performance.now() - began) / 1000), transitions: transitions - before, cpu: cpu() });
    } else {
      const durations: number[] = [];
      const cpu = await cpuSplit(process.env.DATABASE_URL!);
      for (const tenantId of tenantIds.slice(warmup)) durations.push(await run(tenantId));
      process.send!({ durations, cpu: cpu() });
    }
  } finally {
    await orchestrator.shutdown();
    await relay?.stop();
    await bus?.close();
    await database.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Tenants straight into the table (creating them is not what is timed). */
async function insertTenants(connection: { execute(sql: string, params: unknown[]): Promise<unknown> }, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  for (const id of ids) {
    await connection.execute(`INSERT INTO tenant (id, name, slug, country_code, admin_email, admin_name) VALUES (?, ?, ?, 'KE', ?, 'Bench Owner')`, [
      id,
      `No-op ${id}`,
      `no-op-${id}`,
      `owner-${id}@bench.test`,
    ]);
  }
  return ids;
}

main().catch((error) => {
  process.send!({ error: String(error?.stack ?? error) });
  process.exitCode = 1;
});
