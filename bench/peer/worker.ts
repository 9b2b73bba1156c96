/**
 * The peer for the comparison row: graphile-worker 0.18 running the same eleven steps as
 * chained no-op jobs (each job enqueues the next, as a durable engine hands one step to the
 * next), in its own process on its own database of the bench's PostgreSQL cluster.
 * Runs WARMUP_RUNS + RUNS chains one after another and sends the timed durations (ms) over IPC,
 * with the CPU the process and its database's backends used over the timed ones.
 */
import { Logger, run, runMigrations, type JobHelpers } from 'graphile-worker';
import { cpuSplit, type CpuSplit } from './cpu.js';

/** The plan's length: one job per step. */
const STEPS = 11;
/** Longest a chain may take before the peer gives up, in milliseconds. */
const CHAIN_TIMEOUT_MS = 30_000;
/** graphile-worker's fallback poll for jobs it was not notified of, in milliseconds (its default is 2000). */
const POLL_INTERVAL_MS = 2000;

const connectionString = process.env.DATABASE_URL!;
const runs = Number(process.env.RUNS ?? 10);
const warmup = Number(process.env.WARMUP_RUNS ?? 2);
const quiet = new Logger(() => () => undefined);

const waiting = new Map<number, () => void>();

async function step(payload: unknown, helpers: JobHelpers): Promise<void> {
  const { chain, index } = payload as { chain: number; index: number };
  if (index + 1 < STEPS) {
    await helpers.addJob('noop_step', { chain, index: index + 1 });
  } else {
    waiting.get(chain)?.();
  }
}

async function main(): Promise<void> {
  await runMigrations({ connectionString, logger: quiet });
  const runner = await run({ connectionString, concurrency: 1, noHandleSignals: true, pollInterval: POLL_INTERVAL_MS, logger: quiet, taskList: { noop_step: step } });
  const durations: number[] = [];
  let cpu: (() => CpuSplit) | undefined;
  let split: CpuSplit | undefined;
  try {
    for (let chain = 0; chain < warmup + runs; chain++) {
      if (chain === warmup) cpu = await cpuSplit(connectionString);
      const finished = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`chain ${chain} did not finish in ${CHAIN_TIMEOUT_MS} ms`)), CHAIN_TIMEOUT_MS);
        waiting.set(chain, () => {
          clearTimeout(timer);
          resolve();
        });
      });
      const started = performance.now();
      await runner.addJob('noop_step', { chain, index: 0 });
      await finished;
      if (chain >= warmup) durations.push(performance.now() - started);
    }
    split = cpu?.();
  } finally {
    await runner.stop();
  }
  process.send!({ durations, cpu: split });
}

main().catch((error) => {
  process.send!({ error: String(error?.stack ?? error) });
  process.exitCode = 1;
});
