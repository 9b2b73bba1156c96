import { beforeAll, describe, expect, it } from '@jest/globals';
import { loginAs } from './api.js';
import type { ChildService } from './child-service.js';
import { EventFollower } from './event-follower.js';
import {
  claimedBy,
  eventLog,
  expectGapFree,
  expectOneOfEachResource,
  holdRunsShortOfTheirEnd,
  expectOrderlyExecution,
  ownerOf,
  replicaClusterForSuite,
  startRuns,
  waitForStatus,
  waitUntilEveryRunHasItsEngineUser,
  wsUrlOf,
} from './reliability.js';
import { waitUntil } from './poll.js';
import { withDatabase } from './postgres-admin.js';

const RUNS = 12;
const LEASE_MS = 4000;
const graphqlOf = (service: ChildService) => `${service.url}/graphql`;

/**
 * Scale-out: three replicas on one database and no balancer, their events on `bus` (PostgreSQL
 * NOTIFY when `busEnv` is empty, else the external bus it names); clients talk to whichever they
 * like. Run i is started on replica i % 3 (it executes wherever admission puts it) and watched
 * from replica (i + 1) % 3; then the replica executing the most runs dies with SIGKILL.
 */
export function replicasSuite(bus: string, busEnv: Record<string, string>): void {
  describe(`three replicas on one database, events by ${bus}`, () => {
    const cluster = replicaClusterForSuite();
    const { replicas } = cluster;

    beforeAll(async () => {
      // Side by side: the database is a copy of the migrated template, so none has to wait for another.
      await Promise.all([0, 1, 2].map(() => cluster.spawn({ LEASE_MS: String(LEASE_MS), ...busEnv })));
    });

    it('share the runs, stream events across replicas, and resume the runs of a killed replica within the lease time', async () => {
      const token = await loginAs(graphqlOf(replicas[0]!));
      const held = await holdRunsShortOfTheirEnd(cluster.sandbox.control);
      const tenants = await startRuns(RUNS, token, (index) => replicas[index % 3]!.url);
      const followers = tenants.map((tenant) => new EventFollower(tenant.id, token));
      const following = followers.map((follower, index) => follower.follow(wsUrlOf(replicas[(index + 1) % 3]!)));

      await waitUntilEveryRunHasItsEngineUser(followers);
      // Held short of their end, every run stays with the replica executing it until the strike.
      const executor = await executorsOf(tenants.map((tenant) => tenant.id));
      const executing = replicas.map((replica) => [...executor.values()].filter((owner) => owner === ownerOf(replica)).length);
      expect(executing.reduce((sum, count) => sum + count, 0)).toBe(RUNS);
      const victim = replicas[executing.indexOf(Math.max(...executing))]!;
      const [first, second] = replicas.filter((replica) => replica !== victim) as [ChildService, ChildService];
      const survivors = [first, second];
      await victim.kill('SIGKILL');
      await held.release();

      // The survivors sweep every 200 ms and the victim's leases end LEASE_MS after their last
      // renewal: every orphaned run is resumed well within two lease periods (margin for load).
      const isOrphan = (tenantId: string) => executor.get(tenantId) === ownerOf(victim);
      const orphans = followers.filter((follower) => isOrphan(follower.tenantId));
      expect(orphans.length).toBeGreaterThan(0);
      await waitUntil(
        'the survivors to resume every run of the killed replica',
        async () =>
          (await Promise.all(orphans.map((follower) => eventLog(graphqlOf(first), token, follower.tenantId)))).every((log) =>
            log.some((event) => event.type === 'RUN_RESUMED'),
          ),
        { timeoutMs: 2 * LEASE_MS + 5_000 },
      );
      await waitForStatus(graphqlOf(first), token, tenants, 'COMPLETED');
      // Subscribers that were connected to the victim come back on another replica from their last seq.
      await Promise.all(following);
      await Promise.all(followers.filter((follower) => !follower.finished).map((follower) => follower.follow(wsUrlOf(second))));

      // Every resume was made by a replica that claimed the run (its log says so), never more
      // often than it claimed it, and an orphan's last resume is a survivor's. On a loaded machine
      // a lease may lapse before the strike and another replica take the run over (a legal
      // takeover, checked the same way); that no run executed twice at once is expectOrderlyExecution's.
      const resumedBy = (replica: ChildService) => `Resumed by ${ownerOf(replica)}`;
      const claims = new Map(replicas.map((replica) => [replica, claimedBy(replica)]));
      for (const follower of followers) {
        const log = await eventLog(graphqlOf(second), token, follower.tenantId);
        expectGapFree(log);
        expectOrderlyExecution(log);
        expect(log.at(-1)!.type).toBe('RUN_COMPLETED');
        expect(follower.received.map((event) => event.seq)).toEqual(log.map((event) => event.seq));
        const resumes = log.filter((event) => event.type === 'RUN_RESUMED').map((event) => event.message);
        for (const replica of replicas) {
          const claimed = claims.get(replica)!.filter((runId) => runId === log[0]!.runId).length;
          expect(resumes.filter((message) => message === resumedBy(replica)).length).toBeLessThanOrEqual(claimed);
        }
        if (isOrphan(follower.tenantId)) expect(survivors.map(resumedBy)).toContain(resumes.at(-1));
      }
      await expectOneOfEachResource(cluster.sandbox.control, tenants);
    });

    /** Which replica (its lease owner name) executes each tenant's run. */
    async function executorsOf(tenantIds: string[]): Promise<Map<string, string>> {
      const { rows } = await withDatabase(cluster.database.url, (client) =>
        client.query<{ tenant_id: string; lease_owner: string }>(`SELECT tenant_id, lease_owner FROM provisioning_run WHERE tenant_id = ANY($1)`, [tenantIds]),
      );
      return new Map(rows.map((row) => [row.tenant_id, row.lease_owner]));
    }
  });
}
