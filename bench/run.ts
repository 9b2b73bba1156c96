/**
 * `npm run bench` (full mode: the figures for the README) or `npm run bench -- --quick` (CI:
 * every row at small sizes, well under 2 minutes). Starts its own embedded PostgreSQL in a temp
 * directory, the ERPNext sandbox and the built service as child processes, then drives them from
 * this process (the load generator). Prints one table and writes it as JSON to bench/results/.
 * Exit code: 0 whatever the figures; 1 only when a scenario could not run (a broken harness).
 * Options: --quick, --only=<name,...> (scenario names below), --profile (service runs with
 * --cpu-prof; the profile is kept in the printed directory), --keep (keep the temp directory).
 */
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../src/lib/logger.js';
import { startEmbeddedPostgres } from '../src/server/database/embedded-postgres.js';
import { login, watchActivity } from './lib/client.js';
import type { BenchContext, Row, Scenario } from './lib/context.js';
import { createDatabase, startSandbox, startService } from './lib/processes.js';
import { machine, markdownTable, writeResults } from './lib/report.js';
import { FULL, QUICK } from './lib/sizes.js';
import { eventBusScenario } from './scenarios/event-bus.js';
import { eventLatencyScenario } from './scenarios/event-latency.js';
import { massProvisioningScenario } from './scenarios/mass-provisioning.js';
import { mutationsScenario } from './scenarios/mutations.js';
import { overheadScenario } from './scenarios/overhead.js';
import { parallelStepsScenario } from './scenarios/parallel-steps.js';
import { peerScenario } from './scenarios/peer.js';
import { statusQueryScenario } from './scenarios/status-query.js';
import { subscriptionBurstScenario } from './scenarios/subscription-burst.js';

/** Run order (idle-service measurements first; the peer right after ours); `row` is the table order. */
const SCENARIOS: Array<{ name: string; row: number; run: Scenario }> = [
  { name: 'overhead', row: 3, run: overheadScenario },
  { name: 'peer', row: 6, run: peerScenario },
  { name: 'mutations', row: 0, run: mutationsScenario },
  { name: 'status', row: 1, run: statusQueryScenario },
  { name: 'latency', row: 2, run: eventLatencyScenario },
  { name: 'mass', row: 4, run: massProvisioningScenario },
  { name: 'burst', row: 5, run: subscriptionBurstScenario },
  { name: 'parallel', row: 7, run: parallelStepsScenario },
  { name: 'bus', row: 8, run: eventBusScenario },
];
/** Scenarios that need another's output run with it even when not named in --only. */
const NEEDS: Record<string, string[]> = { status: ['mutations'] };

const RESULTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bench/results');

function parseArgs(argv: string[]) {
  const flag = (name: string) => argv.includes(`--${name}`);
  const only = argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length).split(',');
  const selected = new Set(only ?? SCENARIOS.map((s) => s.name));
  for (const name of [...selected]) for (const need of NEEDS[name] ?? []) selected.add(need);
  return { quick: flag('quick'), profile: flag('profile'), keep: flag('keep') || flag('profile'), selected, partial: only !== undefined };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const mode = args.quick ? 'quick' : 'full';
  const startedAt = new Date();
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-'));
  // Run as root, PostgreSQL runs as `postgres` and must pass through this directory (mkdtemp makes it 0700).
  await chmod(dir, 0o711);
  const logDir = path.join(dir, 'logs');
  await mkdir(logDir, { recursive: true });
  const log = createLogger({ level: 'warn', destination: process.stderr });
  const stack: Array<() => Promise<unknown>> = [];
  const cleanup = async () => {
    for (const step of stack.reverse()) await step().catch((error) => console.error('cleanup:', error));
    if (!args.keep) await rm(dir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));

  const rows: Array<{ index: number; row: Row }> = [];
  let broken = false;
  try {
    console.log(`bench (${mode}): working directory ${dir}`);
    const database = await startEmbeddedPostgres(path.join(dir, 'db'), log);
    stack.push(() => database.stop());
    const peerDatabaseUrl = await createDatabase(database.url.replace(/\/[^/]*$/, '/postgres'), 'graphile_peer');
    const sandbox = await startSandbox(logDir);
    stack.push(() => sandbox.child.stop());
    const profileArgs = args.profile ? (name: string) => ['--cpu-prof', `--cpu-prof-dir=${path.join(dir, 'profiles')}`, `--cpu-prof-name=${name}.cpuprofile`] : undefined;
    const nodeArgs = profileArgs?.('service') ?? [];
    const service = await startService({ databaseUrl: database.url, sandbox, dataDir: path.join(dir, 'service'), logDir, nodeArgs });
    stack.push(() => service.child.stop());
    const token = await login(service.graphqlUrl);
    const activity = await watchActivity(service.wsUrl, token);
    stack.push(() => activity.close());
    const context: BenchContext = {
      service, sandbox, databaseUrl: database.url, workDir: dir, peerDatabaseUrl, logDir, profileArgs, token, activity,
      sizes: args.quick ? QUICK : FULL, quick: args.quick, provisionedTenants: [],
    };

    for (const scenario of SCENARIOS) {
      if (!args.selected.has(scenario.name)) continue;
      const began = Date.now();
      process.stdout.write(`- ${scenario.name} ... `);
      try {
        const row = await scenario.run(context);
        rows.push({ index: scenario.row, row });
        console.log(`${row.pass === null ? 'n/a' : row.pass ? 'pass' : 'MISS'} (${((Date.now() - began) / 1000).toFixed(1)} s): ${row.measured}`);
      } catch (error) {
        broken = true;
        console.log(`ERROR: ${(error as Error).stack ?? error}`);
        rows.push({ index: scenario.row, row: { figure: scenario.name, target: '', measured: `error: ${(error as Error).message.split('\n')[0]}`, pass: null, anchor: '', details: {} } });
      }
    }
  } catch (error) {
    broken = true;
    console.error('bench setup failed:', error);
  } finally {
    await cleanup();
  }

  const ordered = rows.sort((a, b) => a.index - b.index).map((entry) => entry.row);
  const host = machine();
  console.log(`\n${mode} mode, ${host.nproc} CPUs (${host.cpuModel}), ${host.ramGiB} GiB RAM, Node ${host.node}\n`);
  console.log(markdownTable(ordered));
  if (args.profile) console.log(`\nCPU profiles of the service and the bench's own processes: ${path.join(dir, 'profiles')}`);
  if (ordered.length) {
    // Partial runs (--only) never overwrite the full-mode figures the README quotes.
    const name = args.quick ? 'latest.quick.json' : args.partial ? 'partial.quick.json' : 'latest.json';
    const file = path.join(RESULTS_DIR, name);
    await writeResults(file, { mode, machine: host, startedAt: startedAt.toISOString(), durationS: (Date.now() - startedAt.getTime()) / 1000, rows: ordered });
    console.log(`\nresults: ${path.relative(process.cwd(), file)}`);
  }
  return broken ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
