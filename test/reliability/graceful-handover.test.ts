import { beforeAll, describe, expect, it } from '@jest/globals';
import { loginAs } from '../support/api.js';
import type { ChildService } from '../support/child-service.js';
import { EventFollower } from '../support/event-follower.js';
import {
  claimedBy,
  eventLog,
  expectGapFree,
  expectOneOfEachResource,
  holdRunsShortOfTheirEnd,
  expectOrderlyExecution,
  logLines,
  ownerOf,
  replicaClusterForSuite,
  startRuns,
  waitForStatus,
  waitUntilEveryRunHasItsEngineUser,
  wsUrlOf,
} from '../support/reliability.js';
import { waitUntil } from '../support/poll.js';
import { withDatabase } from '../support/postgres-admin.js';
import { bearer, initSocket } from '../security/sockets.js';

const RUNS = 8;
const SHUTDOWN_GRACE_MS = 2000;
/**
 * Far longer than the test may take: neither an expired lease nor the periodic sweep can explain
 * the takeover, only leases released at shutdown and the NOTIFY that makes the other replica
 * sweep at once.
 */
const NEVER_MS = '600000';

/** Graceful shutdown: SIGTERM hands the runs over instead of leaving them to expire. */
describe('a replica stopped with SIGTERM in the middle of runs', () => {
  const cluster = replicaClusterForSuite();
  const { replicas } = cluster;

  beforeAll(async () => {
    const env = { LEASE_MS: NEVER_MS, SWEEP_INTERVAL_MS: NEVER_MS, SHUTDOWN_GRACE_MS: String(SHUTDOWN_GRACE_MS) };
    for (let index = 0; index < 2; index++) await cluster.spawn(env);
  });

  it('exits within its grace period, releasing its leases, and the other replica resumes every run at once', async () => {
    const [stopping, other] = replicas as [ChildService, ChildService];
    const token = await loginAs(`${stopping.url}/graphql`);
    const held = await holdRunsShortOfTheirEnd(cluster.sandbox.control);
    const tenants = await startRuns(RUNS, token, () => stopping.url);
    const followers = tenants.map((tenant) => new EventFollower(tenant.id, token));
    const following = followers.map((follower) => follower.follow(wsUrlOf(stopping)));
    await waitUntilEveryRunHasItsEngineUser(followers);
    const watcher = await initSocket(wsUrlOf(stopping), bearer(token));
    watcher.send({ id: 'watch', type: 'subscribe', payload: { query: `subscription ($id: ID!) { provisioningEvents(tenantId: $id) { seq } }`, variables: { id: tenants[0]!.id } } });
    await watcher.next(); // its SNAPSHOT: subscribed

    stopping.process.kill('SIGTERM');
    // Running steps get SHUTDOWN_GRACE_MS; the rest of the shutdown is quick (margin for load).
    const exitCode = await waitUntil('the replica to exit', async () => stopping.process.exitCode ?? false, { timeoutMs: SHUTDOWN_GRACE_MS + 5_000, intervalMs: 50 }).catch(
      (error: Error) => Promise.reject(new Error(`${error.message}\n${stopping.output()}`)),
    );
    expect(exitCode).toBe(0);
    expect(logLines(stopping, 'orchestrator stopped; leases released')).toEqual([expect.objectContaining({ released: RUNS })]);
    // Nothing is left leased to the stopped replica, not even a run launched while it drained.
    const stillLeased = await withDatabase(cluster.database.url, (client) =>
      client.query(`SELECT id FROM provisioning_run WHERE lease_owner = $1 AND status IN ('PENDING', 'IN_PROGRESS')`, [ownerOf(stopping)]),
    );
    expect(stillLeased.rows).toEqual([]);
    // Subscriptions were closed last, with 1001 (going away: try another replica)...
    expect((await watcher.closed).code).toBe(1001);
    await Promise.all(following);
    // ...so each follower heard, on the stopping replica, every event that replica wrote.
    const heardBeforeHandover = new Map(followers.map((follower) => [follower.tenantId, follower.received.map((event) => event.seq)]));

    await held.release();
    const followingOther = followers.map((follower) => follower.follow(wsUrlOf(other)));
    await waitForStatus(`${other.url}/graphql`, token, tenants, 'COMPLETED');
    await Promise.all(followingOther);

    const runIds = new Set<string>();
    for (const follower of followers) {
      const log = await eventLog(`${other.url}/graphql`, token, follower.tenantId);
      expectGapFree(log);
      expectOrderlyExecution(log);
      expect(log.at(-1)!.type).toBe('RUN_COMPLETED');
      const resumed = log.filter((event) => event.type === 'RUN_RESUMED');
      expect(resumed.map((event) => event.message)).toEqual([`Resumed by ${ownerOf(other)}`]);
      expect(heardBeforeHandover.get(follower.tenantId)).toEqual(log.filter((event) => event.seq < resumed[0]!.seq).map((event) => event.seq));
      expect(follower.received.map((event) => event.seq)).toEqual(log.map((event) => event.seq));
      runIds.add(log[0]!.runId!);
    }
    expect(new Set(claimedBy(other))).toEqual(runIds);
    await expectOneOfEachResource(cluster.sandbox.control, tenants);
  });
});
