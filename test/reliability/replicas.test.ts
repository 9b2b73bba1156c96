import { beforeAll, describe, expect, it } from '@jest/globals';
import { loginAs } from '../support/api.js';
import type { ChildService } from '../support/child-service.js';
import { EventFollower } from '../support/event-follower.js';
import {
  claimedBy,
  eventLog,
  expectGapFree,
  expectOneOfEachResource,
  expectSerialExecution,
  ownerOf,
  replicaClusterForSuite,
  startRuns,
  waitForStatus,
  waitUntilEveryRunHasItsEngineUser,
  wsUrlOf,
} from '../support/reliability.js';
import { waitUntil } from '../support/poll.js';

const RUNS = 12;
const LEASE_MS = 2000;
const graphqlOf = (service: ChildService) => `${service.url}/graphql`;

/**
 * DESIGN.md §5 scale-out: three replicas on one database and no balancer; clients talk to
 * whichever they like. Run i is started on (so executed by) replica i % 3 and watched from
 * replica (i + 1) % 3; then replica 2 dies with SIGKILL.
 */
describe('three replicas on one database', () => {
  const cluster = replicaClusterForSuite();
  const { replicas } = cluster;

  beforeAll(async () => {
    // One at a time: each migrates under the advisory lock anyway, and the machine is small.
    for (let index = 0; index < 3; index++) await cluster.spawn({ LEASE_MS: String(LEASE_MS) });
  });

  it('share the runs, stream events across replicas, and resume the runs of a killed replica within the lease time', async () => {
    const [first, second, victim] = replicas as [ChildService, ChildService, ChildService];
    const token = await loginAs(graphqlOf(first));
    const tenants = await startRuns(RUNS, token, (index) => replicas[index % 3]!.url);
    const followers = tenants.map((tenant) => new EventFollower(tenant.id, token));
    const following = followers.map((follower, index) => follower.follow(wsUrlOf(replicas[(index + 1) % 3]!)));

    await waitUntilEveryRunHasItsEngineUser(followers);
    await victim.kill('SIGKILL');

    // The survivors sweep every 200 ms and the victim's leases end LEASE_MS after their last
    // renewal: every orphaned run is resumed well within two lease periods (margin for load).
    const orphans = followers.filter((_, index) => index % 3 === 2);
    await waitUntil(
      "the survivors to resume every run of the killed replica",
      async () => (await Promise.all(orphans.map((follower) => eventLog(graphqlOf(first), token, follower.tenantId)))).every((log) => log.some((event) => event.type === 'RUN_RESUMED')),
      { timeoutMs: 2 * LEASE_MS + 5_000 },
    );
    await waitForStatus(graphqlOf(first), token, tenants, 'COMPLETED');
    // Subscribers that were connected to the victim come back on another replica from their last seq.
    await Promise.all(following);
    await Promise.all(followers.filter((follower) => !follower.finished).map((follower) => follower.follow(wsUrlOf(second))));

    const survivors = [ownerOf(first), ownerOf(second)].map((owner) => `Resumed by ${owner}`);
    // Which survivor (0: first, 1: second) claimed each run in its sweeps.
    const claimants = new Map<string, Set<number>>();
    [first, second].forEach((replica, survivor) => {
      for (const runId of claimedBy(replica)) claimants.set(runId, (claimants.get(runId) ?? new Set()).add(survivor));
    });
    for (const [index, follower] of followers.entries()) {
      const log = await eventLog(graphqlOf(second), token, follower.tenantId);
      expectGapFree(log);
      expectSerialExecution(log);
      expect(log.at(-1)!.type).toBe('RUN_COMPLETED');
      expect(follower.received.map((event) => event.seq)).toEqual(log.map((event) => event.seq));
      const resumed = log.filter((event) => event.type === 'RUN_RESUMED').map((event) => event.message);
      const claimedByWhom = [...(claimants.get(log[0]!.runId!) ?? [])];
      if (index % 3 === 2) {
        expect(resumed).toHaveLength(1);
        expect(survivors).toContain(resumed[0]);
        // Claimed by one survivor only, the one that resumed it.
        expect(claimedByWhom.map((survivor) => survivors[survivor])).toEqual(resumed);
      } else {
        // A run whose replica stayed alive was never taken from it: at most its own replica
        // re-claimed it (a renewal late on a loaded machine), which changes nothing.
        expect(resumed).toEqual([]);
        expect(claimedByWhom.every((survivor) => survivor === index % 3)).toBe(true);
      }
    }
    await expectOneOfEachResource(cluster.sandbox.control, tenants);
  });
});
