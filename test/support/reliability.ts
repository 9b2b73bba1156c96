import { afterAll, beforeAll, expect } from '@jest/globals';
import { GiveUp, waitUntil } from './poll.js';
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTenant } from './api.js';
import type { EventFollower } from './event-follower.js';
import { spawnService, type ChildService } from './child-service.js';
import { createTestDatabase, type TestDatabase } from './postgres-admin.js';
import { spawnSandbox, type SandboxProcess } from './sandbox-process.js';
import type { SandboxControl } from './engine-sandbox.js';
import { graphqlOk } from './graphql.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, FAST_TUNING_ENV } from './service.js';
import { planOf, type Plan } from '../../src/provisioning/plan/template.js';
import { fullPos } from '../../src/provisioning/plan/templates/full-pos.js';

/**
 * What the reliability suites share: service processes wired to one database and one sandbox,
 * bounded waits on observable conditions, and the checks that nothing was lost or duplicated.
 */

/** One secret for every replica, so a token from one is honoured by all (clients move between them). */
const JWT_SECRET = 'reliability-suite-jwt-secret-0123456789abcdef';

export const TERMINAL_EVENTS = new Set(['RUN_COMPLETED', 'RUN_PARTIAL', 'RUN_FAILED', 'RUN_CANCELLED']);

export interface LoggedEvent {
  seq: number;
  runId: string | null;
  type: string;
  step: string | null;
  message: string;
}

export const LOGGED_EVENT_FIELDS = 'seq runId type step message';

export interface StartedTenant {
  id: string;
  name: string;
  adminEmail: string;
}

export const wsUrlOf = (service: ChildService) => `${service.url.replace(/^http/, 'ws')}/graphql`;

export interface ReplicaCluster {
  sandbox: SandboxProcess;
  database: TestDatabase;
  /** Every replica spawned so far, in order. */
  replicas: ChildService[];
  spawn(env?: Record<string, string>): Promise<ChildService>;
}

/**
 * For one test file: a sandbox process (slowed by `latencyMs`, so runs are in flight when a test
 * strikes), a fresh database, and the replicas the tests spawn on them; after the last test,
 * every replica still running is killed and the sandbox and database go.
 */
export function replicaClusterForSuite(latencyMs = 40): ReplicaCluster {
  const cluster = { replicas: [] as ChildService[] } as ReplicaCluster;
  cluster.spawn = async (env = {}) => {
    const replica = await spawnReplica(cluster.database.url, cluster.sandbox.serviceEnv, env);
    cluster.replicas.push(replica);
    return replica;
  };
  beforeAll(async () => {
    [cluster.sandbox, cluster.database] = await Promise.all([spawnSandbox(), createTestDatabase()]);
    await cluster.sandbox.control.setFaults({ latencyMs });
  });
  afterAll(async () => {
    for (const replica of cluster.replicas) if (replica.process.exitCode === null && replica.process.signalCode === null) await replica.kill('SIGKILL');
    await cluster.sandbox?.stop();
    await cluster.database?.drop();
  });
  return cluster;
}

/** The request no run can finish without: held by the sandbox while a test strikes. */
const POS_PROFILE_INSERT = { doctype: 'POS Profile', method: 'POST' };

/**
 * Holds every run short of its end (the engine leaves its POS profile insert unanswered, so the
 * step retries at its deadline), however slow the machine: a test strikes with every run in
 * flight, then lets them finish.
 */
export async function holdRunsShortOfTheirEnd(sandbox: SandboxControl): Promise<{ release: () => Promise<void> }> {
  await sandbox.setFaults({ hold: POS_PROFILE_INSERT });
  return { release: () => sandbox.setFaults({ hold: null }) };
}

/**
 * Holds every run with two steps in flight side by side (its warehouses and its walk-in customer
 * wait on their engine inserts and retry at their deadlines) until the test lets them go.
 */
export async function holdStepsSideBySide(sandbox: SandboxControl): Promise<{ release: () => Promise<void> }> {
  await sandbox.setFaults({ hold: [{ doctype: 'Warehouse', method: 'POST' }, { doctype: 'Customer', method: 'POST' }] });
  return { release: () => sandbox.setFaults({ hold: null }) };
}

/**
 * Waits until every followed run has its engine user, the first thing it writes to the engine,
 * and none has finished yet: the moment a test strikes (kill, SIGTERM) with all runs in flight.
 */
export async function waitUntilEveryRunHasItsEngineUser(followers: EventFollower[]): Promise<void> {
  await waitUntil('every run to have its engine user', async () =>
    followers.every((follower) => follower.received.some((event) => event.type === 'STEP_COMPLETED' && event.step === 'ENGINE_USER')),
  );
  expect(followers.filter((follower) => follower.finished)).toEqual([]);
}

/** A service process on `databaseUrl` using the sandbox process, with fast orchestrator timings. */
export async function spawnReplica(databaseUrl: string, engineEnv: Record<string, string>, env: Record<string, string> = {}): Promise<ChildService> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'provisioning-reliability-'));
  const service = await spawnService({
    ...FAST_TUNING_ENV,
    LEASE_MS: '1500',
    // Step deadlines at a twentieth (0.5 to 6 s): a held engine request ends at its step's.
    STEP_TIMEOUT_SCALE: '0.05',
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    JWT_SECRET,
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    ...engineEnv,
    ...env,
  });
  // Synchronous, so the directory is gone before the test that awaited the exit goes on.
  void service.exited.then(() => rmSync(dataDir, { recursive: true, force: true }));
  return service;
}

/** The replica's log lines with this message, parsed. */
export function logLines(service: ChildService, msg: string): Array<Record<string, unknown>> {
  return service
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes(`"msg":${JSON.stringify(msg)}`))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The replica's lease owner, as it logged it at start. */
export function ownerOf(service: ChildService): string {
  const owner = logLines(service, 'service started')[0]?.owner;
  if (typeof owner !== 'string') throw new Error(`no owner in the start line of:\n${service.output()}`);
  return owner;
}

/** Run ids a replica claimed in its sweeps (its log lines "claimed runs whose lease had expired"). */
export function claimedBy(service: ChildService): string[] {
  return logLines(service, 'claimed runs whose lease had expired').flatMap((line) => line.claimed as string[]);
}

/** Creates `count` tenants with autoStart; `urlFor(i)` spreads them over replicas. */
export async function startRuns(count: number, token: string, urlFor: (index: number) => string): Promise<StartedTenant[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const tenant = await createTenant(`${urlFor(index)}/graphql`, token, { autoStart: true });
      return { id: tenant.id, name: tenant.name, adminEmail: tenant.input.adminEmail as string };
    }),
  );
}

export async function runStatus(graphqlUrl: string, token: string, tenantId: string): Promise<string | null> {
  const data = await graphqlOk<{ provisioning: { status: string } | null }>(
    graphqlUrl,
    `query ($id: ID!) { provisioning(tenantId: $id) { status } }`,
    { id: tenantId },
    token,
  );
  return data.provisioning?.status ?? null;
}

const RUN_ENDS = new Set(['COMPLETED', 'PARTIAL', 'FAILED', 'CANCELLED']);

/**
 * Waits until every tenant's latest run has the given status (polled: runs emit no "all done");
 * fails at once when a run ended otherwise, naming it.
 */
export async function waitForStatus(graphqlUrl: string, token: string, tenants: StartedTenant[], status: string, timeoutMs = 30_000): Promise<void> {
  let statuses: Array<string | null> = [];
  await waitUntil(
    `${tenants.length} runs to be ${status}`,
    async () => {
      statuses = await Promise.all(tenants.map((tenant) => runStatus(graphqlUrl, token, tenant.id)));
      const wrong = statuses.findIndex((current) => current !== status && current !== null && RUN_ENDS.has(current));
      if (wrong >= 0) {
        const last = (await eventLog(graphqlUrl, token, tenants[wrong]!.id)).at(-1);
        throw new GiveUp(`run of ${tenants[wrong]!.name} ended ${statuses[wrong]}, not ${status}: ${last?.message}`);
      }
      return statuses.every((current) => current === status);
    },
    { timeoutMs, intervalMs: 200 },
  ).catch((error: Error) => {
    throw new Error(`${error.message}; statuses: ${statuses.join(', ')}`);
  });
}

export async function eventLog(graphqlUrl: string, token: string, tenantId: string): Promise<LoggedEvent[]> {
  const data = await graphqlOk<{ provisioningLogs: LoggedEvent[] }>(
    graphqlUrl,
    `query ($id: ID!) { provisioningLogs(tenantId: $id, first: 1000) { ${LOGGED_EVENT_FIELDS} } }`,
    { id: tenantId },
    token,
  );
  return data.provisioningLogs;
}

/** seq is 1..N with no gap and no repeat. */
export function expectGapFree(log: LoggedEvent[]): void {
  expect(log.map((event) => event.seq)).toEqual(Array.from({ length: log.length }, (_, index) => index + 1));
}

/**
 * The log of a run of `plan` (FULL_POS unless given) executed by processes that may have died
 * or handed over: between a RUN_STARTED/RUN_RESUMED and the next, a step starts only when it is
 * not running and every step it depends on has finished; only running steps retry, complete or
 * fail; no step is finished twice; and every step of the plan finished (FULL_POS's DEMO_ITEMS
 * as skipped: not requested).
 */
export function expectOrderlyExecution(log: LoggedEvent[], plan: Plan = fullPos): void {
  const dependsOn = new Map(planOf(plan).map((step) => [step.key as string, step.dependsOn as string[]]));
  const finished = new Set<string>();
  let running = new Set<string>();
  for (const event of log) {
    const where = `seq ${event.seq} ${event.type} ${event.step ?? ''}`;
    const step = event.step!;
    if (event.type === 'RUN_RESUMED' || event.type === 'RUN_STARTED') running = new Set();
    if (event.type === 'STEP_STARTED') {
      const waiting = dependsOn.get(step)!.filter((dependency) => !finished.has(dependency));
      expect({ where, alreadyRunning: running.has(step), waiting }).toEqual({ where, alreadyRunning: false, waiting: [] });
      running.add(step);
    }
    if (['STEP_RETRYING', 'STEP_COMPLETED', 'STEP_FAILED'].includes(event.type)) expect({ where, running: running.has(step) }).toEqual({ where, running: true });
    if (event.type === 'STEP_COMPLETED' || event.type === 'STEP_FAILED') running.delete(step);
    if (event.type === 'STEP_COMPLETED' || event.type === 'STEP_SKIPPED') {
      expect({ where, again: finished.has(step) }).toEqual({ where, again: false });
      finished.add(step);
    }
  }
  expect(finished.size).toBe(plan.steps.length);
}

/** The steps a log shows running after its last event: started (since the run last began) and not yet ended. */
export function runningAtEnd(log: LoggedEvent[]): string[] {
  const running = new Set<string>();
  for (const event of log) {
    if (event.type === 'RUN_RESUMED' || event.type === 'RUN_STARTED') running.clear();
    if (event.type === 'STEP_STARTED') running.add(event.step!);
    if (event.type === 'STEP_COMPLETED' || event.type === 'STEP_FAILED') running.delete(event.step!);
  }
  return [...running];
}

/** What the engine holds for one tenant: exactly one of each resource the plan creates. */
export async function expectOneOfEachResource(control: SandboxControl, tenants: StartedTenant[]): Promise<void> {
  const state = await control.state();
  const docs = (doctype: string, predicate: (doc: Record<string, unknown>) => boolean) => (state[doctype] ?? []).filter(predicate);
  for (const tenant of tenants) {
    const companies = docs('Company', (doc) => doc.company_name === tenant.name);
    expect({ tenant: tenant.name, companies: companies.length }).toEqual({ tenant: tenant.name, companies: 1 });
    const abbr = companies[0]!.abbr as string;
    const profile = `${tenant.name} POS`;
    const counts = {
      tenant: tenant.name,
      users: docs('User', (doc) => doc.name === tenant.adminEmail.toLowerCase()).length,
      customers: docs('Customer', (doc) => doc.customer_name === `Walk-In Customer - ${abbr}`).length,
      posProfiles: docs('POS Profile', (doc) => doc.name === profile).length,
      openSessions: docs('POS Opening Entry', (doc) => doc.pos_profile === profile && doc.status === 'Open').length,
      mainStores: docs('Warehouse', (doc) => doc.name === `Main Store - ${abbr}`).length,
      posStores: docs('Warehouse', (doc) => doc.name === `POS Store - ${abbr}`).length,
    };
    expect(counts).toEqual({ tenant: tenant.name, users: 1, customers: 1, posProfiles: 1, openSessions: 1, mainStores: 1, posStores: 1 });
  }
}
