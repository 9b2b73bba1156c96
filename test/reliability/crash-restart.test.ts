import { describe, expect, it } from '@jest/globals';
import { loginAs } from '../support/api.js';
import { EventFollower } from '../support/event-follower.js';
import {
  claimedBy,
  eventLog,
  expectGapFree,
  expectOneOfEachResource,
  holdStepsSideBySide,
  expectOrderlyExecution,
  ownerOf,
  replicaClusterForSuite,
  runningAtEnd,
  startRuns,
  waitForStatus,
  wsUrlOf,
} from '../support/reliability.js';
import { waitUntil } from '../support/poll.js';

const RUNS = 20;
/** Engine latency per call: the runs' steps are in the middle of their engine calls at the strike. */
const CRASH_LATENCY_MS = 150;

/** A process lost mid-run (kill -9) loses no run; the next one resumes them all. */
describe('a service killed with SIGKILL in the middle of runs', () => {
  const cluster = replicaClusterForSuite(CRASH_LATENCY_MS);

  it('finishes all 20 runs after a restart (RUN_RESUMED), steps that were running side by side included, with one of each resource in the engine and every event delivered once', async () => {
    const first = await cluster.spawn();
    const token = await loginAs(`${first.url}/graphql`);
    const held = await holdStepsSideBySide(cluster.sandbox.control);
    const tenants = await startRuns(RUNS, token, () => first.url);
    const followers = tenants.map((tenant) => new EventFollower(tenant.id, token));
    const followingFirst = followers.map((follower) => follower.follow(wsUrlOf(first)));

    // Strike once every run executes (admitted: a step started) and one has steps in flight side
    // by side: held there, no run can finish.
    await waitUntil(
      'every run to execute and one to have steps in flight side by side',
      async () =>
        followers.every((follower) => follower.received.some((event) => event.type === 'STEP_STARTED')) &&
        followers.some((follower) => runningAtEnd(follower.received).length >= 2),
    );
    expect(followers.filter((follower) => follower.finished)).toEqual([]);
    expect(await first.kill('SIGKILL')).toBeNull();
    await Promise.all(followingFirst);
    await held.release();

    const second = await cluster.spawn();
    const followingSecond = followers.map((follower) => follower.follow(wsUrlOf(second)));
    await waitForStatus(`${second.url}/graphql`, token, tenants, 'COMPLETED');
    await Promise.all(followingSecond);

    const resumedBy = `Resumed by ${ownerOf(second)}`;
    const runIds = new Set<string>();
    const inFlightAtTheStrike: number[] = [];
    for (const follower of followers) {
      const log = await eventLog(`${second.url}/graphql`, token, follower.tenantId);
      expectGapFree(log);
      expectOrderlyExecution(log);
      expect(log.at(-1)!.type).toBe('RUN_COMPLETED');
      expect(log.filter((event) => event.type === 'RUN_RESUMED').map((event) => event.message)).toEqual([resumedBy]);
      inFlightAtTheStrike.push(
        runningAtEnd(
          log.slice(
            0,
            log.findIndex((event) => event.type === 'RUN_RESUMED'),
          ),
        ).length,
      );
      // The client that reconnected with its last seq got every event exactly once, in order.
      expect(follower.received.map((event) => event.seq)).toEqual(log.map((event) => event.seq));
      runIds.add(log[0]!.runId!);
    }
    expect(new Set(claimedBy(second))).toEqual(runIds);
    // The process died with several of a run's steps in flight, and that run resumed them all.
    expect(Math.max(...inFlightAtTheStrike)).toBeGreaterThanOrEqual(2);
    await expectOneOfEachResource(cluster.sandbox.control, tenants);
  });
});
