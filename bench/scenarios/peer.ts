import type { BenchContext, Row } from '../lib/context.js';
import { latency, ratio } from '../lib/format.js';
import { spawnNode } from '../lib/processes.js';
import { summarize, round } from '../lib/stats.js';

/** Longest the peer process may take for all its chains, in milliseconds. */
const PEER_TIMEOUT_MS = 300_000;

function peerDurations(context: BenchContext): Promise<number[]> {
  const child = spawnNode('peer-graphile-worker', 'bench/peer/worker.js', {
    DATABASE_URL: context.peerDatabaseUrl,
    RUNS: String(context.sizes.sequentialRuns),
    WARMUP_RUNS: String(context.sizes.warmupRuns),
  }, { logDir: context.logDir, ipc: true });
  return new Promise<number[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the peer did not report within ${PEER_TIMEOUT_MS} ms; see ${child.logFile}`)), PEER_TIMEOUT_MS);
    child.process.once('message', (message: { durations?: number[]; error?: string }) => {
      clearTimeout(timer);
      if (message.durations) resolve(message.durations);
      else reject(new Error(`peer failed: ${message.error}`));
    });
    child.process.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`peer exited with code ${code} before reporting; see ${child.logFile}`));
    });
  }).finally(() => child.stop());
}

/**
 * Ours: the overhead row's sequential runs (11 real steps against the zero-latency sandbox,
 * timed from the client's startProvisioning to its receipt of RUN_COMPLETED). The peer: 11
 * chained no-op jobs, timed inside the worker process from addJob to the last job's handler.
 * Both on the same PostgreSQL cluster, in the same bench run.
 */
export async function peerScenario(context: BenchContext): Promise<Row> {
  const ours = context.oursRunMs;
  if (!ours?.length) throw new Error('the overhead scenario must run first: it measures our runs');
  const peer = await peerDurations(context);
  const oursSummary = summarize(ours);
  const peerSummary = summarize(peer);
  const ratioP50 = oursSummary.p50 / peerSummary.p50;
  const ratioP99 = oursSummary.p99 / peerSummary.p99;
  return {
    figure: 'peer: 11 no-op steps as chained graphile-worker jobs, same database, same run',
    target: 'ours faster per run (ours/peer < 1)',
    measured: `ours ${latency(oursSummary)}; peer ${latency(peerSummary)}; ours/peer ${ratio(ratioP50)} at p50, ${ratio(ratioP99)} at p99`,
    pass: ratioP50 < 1,
    anchor: `graphile-worker's own figure: ~4 ms job pickup; here ${round(peerSummary.p50 / 11, 2)} ms per chained job`,
    details: { ours: oursSummary, peer: peerSummary, oursOverPeerP50: ratioP50, oursOverPeerP99: ratioP99, note: 'ours does real engine calls (zero-latency sandbox); the peer jobs do nothing' },
  };
}
