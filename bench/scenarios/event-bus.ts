import path from 'node:path';
import { login, watchActivity } from '../lib/client.js';
import type { BenchContext, Row } from '../lib/context.js';
import { fanout } from '../lib/fanout.js';
import { latency, ms, ratio } from '../lib/format.js';
import { createDatabase, reportOf, startService } from '../lib/processes.js';
import { round } from '../lib/stats.js';
import type { CpuSplit } from '../peer/cpu.js';

/** The Redis the bus rows use (this machine's by default). */
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Longest either harness may take, in milliseconds. */
const HARNESS_TIMEOUT_MS = 300_000;

/**
 * Past one database's NOTIFY: PostgreSQL serialises the commits of transactions that NOTIFY.
 * The same no-op runs (bench/peer/ours.ts, all at once) commit their transitions with NOTIFY,
 * then through the outbox, the relay and Redis, each on a fresh database of the cluster; then
 * commit -> send on a service whose events go through Redis, as the NOTIFY row measures it.
 */
export async function eventBusScenario(context: BenchContext): Promise<Row> {
  const { sizes } = context;
  const adminUrl = context.databaseUrl.replace(/\/[^/]*$/, '/postgres');
  const throughput = async (name: string, env: Record<string, string>) => {
    const report = await reportOf<{ transitionsPerSecond: number; transitions: number; cpu: CpuSplit }>(context, name, 'bench/peer/ours.js', HARNESS_TIMEOUT_MS, {
      DATABASE_URL: await createDatabase(adminUrl, name.replace(/-/g, '_')),
      RUNS: String(sizes.busRuns),
      WARMUP_RUNS: String(sizes.warmupRuns),
      AT_ONCE: '1',
      ...env,
    });
    const perTransition = (ms: number) => round((ms * 1000) / report.transitions, 0);
    return { perSecond: report.transitionsPerSecond, cpuMicros: { process: perTransition(report.cpu.processMs), database: perTransition(report.cpu.databaseMs) } };
  };
  const notifyRun = await throughput('bus-notify', {});
  const redisRun = await throughput('bus-redis', { EVENT_BUS_URL: REDIS_URL });
  const [notify, redis] = [notifyRun.perSecond, redisRun.perSecond];

  const databaseUrl = await createDatabase(adminUrl, 'service_redis');
  const service = await startService({
    databaseUrl,
    sandbox: context.sandbox,
    dataDir: path.join(context.workDir, 'service-redis'),
    logDir: context.logDir,
    name: 'service-redis',
    env: { EVENT_BUS_URL: REDIS_URL },
  });
  try {
    const token = await login(service.graphqlUrl);
    const activity = await watchActivity(service.wsUrl, token);
    const result = await fanout({ ...context, service, token, activity, databaseUrl }, sizes.latencySubscribers, sizes.latencyTenants).finally(() =>
      activity.close(),
    );
    const complete = result.delivered === result.expected && result.outOfOrder === 0;
    return {
      figure: `events past NOTIFY: transitions/s of ${sizes.busRuns} no-op runs at once, NOTIFY vs Redis; commit -> send through Redis, ${sizes.latencySubscribers} subscribers`,
      target: 'Redis >= NOTIFY in transitions/s; server p99 <= 20 ms through Redis',
      measured:
        `NOTIFY ${Math.round(notify)}/s, Redis ${Math.round(redis)}/s; through Redis server p50 ${ms(result.server.p50)}, p99 ${ms(result.server.p99)}, ` +
        `client ${latency(result.latency)} (${result.delivered}/${result.expected} deliveries${complete ? '' : ', INCOMPLETE'})`,
      pass: complete && redis >= notify && result.server.p99 <= 20,
      anchor:
        `Redis / NOTIFY = ${ratio(redis / notify)} in transitions/s (commit -> send by NOTIFY: the row above); CPU per transition ` +
        `(process + its PostgreSQL backends): NOTIFY ${notifyRun.cpuMicros.process} + ${notifyRun.cpuMicros.database} µs, ` +
        `Redis ${redisRun.cpuMicros.process} + ${redisRun.cpuMicros.database} µs`,
      details: { notifyTransitionsPerSecond: notify, redisTransitionsPerSecond: redis, cpuPerTransitionMicros: { notify: notifyRun.cpuMicros, redis: redisRun.cpuMicros }, redisFanout: result, runs: sizes.busRuns },
    };
  } finally {
    await service.child.stop();
  }
}
