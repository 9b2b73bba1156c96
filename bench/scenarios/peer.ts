import type { BenchContext, Row } from '../lib/context.js';
import { latency, ratio } from '../lib/format.js';
import { createDatabase, reportOf } from '../lib/processes.js';
import type { CpuSplit } from '../peer/cpu.js';
import { summarize, round } from '../lib/stats.js';

/** Longest either side may take for all its runs, in milliseconds. */
const SIDE_TIMEOUT_MS = 300_000;
/** Steps in a run, jobs in a chain. */
const STEPS = 11;

interface SideReport {
  durations: number[];
  cpu: CpuSplit;
}

/** Runs one side (a script under bench/peer) in its own process; it reports its timed durations and CPU over IPC. */
async function sideOf(context: BenchContext, name: string, script: string, databaseUrl: string): Promise<SideReport> {
  return reportOf<SideReport>(context, name, script, SIDE_TIMEOUT_MS, {
    DATABASE_URL: databaseUrl,
    RUNS: String(context.sizes.sequentialRuns),
    WARMUP_RUNS: String(context.sizes.warmupRuns),
  });
}

/** A side's CPU per run, its own and its database backends', in milliseconds. */
function cpuPerRun(side: SideReport): { process: number; database: number } {
  return { process: round(side.cpu.processMs / side.durations.length, 2), database: round(side.cpu.databaseMs / side.durations.length, 2) };
}

/**
 * Like for like: 11 steps that do nothing, one run at a time, each side as a library in its own
 * process on its own database of the same cluster, timed the same way (from the start request to
 * the last step's completion, on that process's clock). Ours: the orchestrator with FULL_POS's
 * steps emptied, through its whole path (bench/peer/ours.ts). The peer: graphile-worker, 11
 * chained jobs (bench/peer/worker.ts).
 */
export async function peerScenario(context: BenchContext): Promise<Row> {
  const adminUrl = context.databaseUrl.replace(/\/[^/]*$/, '/postgres');
  const ours = await sideOf(context, 'peer-ours', 'bench/peer/ours.js', await createDatabase(adminUrl, 'noop_plan'));
  const peer = await sideOf(context, 'peer-graphile-worker', 'bench/peer/worker.js', context.peerDatabaseUrl);
  const oursSummary = summarize(ours.durations);
  const peerSummary = summarize(peer.durations);
  const oursCpu = cpuPerRun(ours);
  const peerCpu = cpuPerRun(peer);
  const ratioP50 = oursSummary.p50 / peerSummary.p50;
  const ratioP99 = oursSummary.p99 / peerSummary.p99;
  return {
    figure: 'peer, like for like: 11 no-op steps through our orchestrator vs 11 chained graphile-worker jobs',
    target: 'ours/peer <= 1.0',
    measured: `ours ${latency(oursSummary)}; peer ${latency(peerSummary)}`,
    pass: ratioP50 <= 1,
    anchor: `ours/peer ${ratio(ratioP50)} at p50, ${ratio(ratioP99)} at p99; per step ${round(oursSummary.p50 / STEPS, 2)} ms vs ${round(peerSummary.p50 / STEPS, 2)} ms per job; ` +
      `CPU per run (process + its PostgreSQL backends): ours ${oursCpu.process} + ${oursCpu.database} ms, peer ${peerCpu.process} + ${peerCpu.database} ms`,
    details: { ours: oursSummary, peer: peerSummary, oursOverPeerP50: ratioP50, oursOverPeerP99: ratioP99, cpuPerRunMs: { ours: oursCpu, peer: peerCpu } },
  };
}
