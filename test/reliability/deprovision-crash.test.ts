import { describe, expect, it } from '@jest/globals';
import { remove } from '../../src/provisioning/plan/templates/remove.js';
import { loginAs } from '../support/api.js';
import { EventFollower } from '../support/event-follower.js';
import { graphqlOk } from '../support/graphql.js';
import { waitUntil } from '../support/poll.js';
import {
  claimedBy,
  eventLog,
  expectGapFree,
  expectOrderlyExecution,
  ownerOf,
  replicaClusterForSuite,
  runningAtEnd,
  startRuns,
  TERMINAL_EVENTS,
  waitForStatus,
  type LoggedEvent,
  wsUrlOf,
} from '../support/reliability.js';

const TENANTS = 3;
/** Steps that run side by side; the sandbox leaves their deletes unanswered until the strike. */
const HELD_STEPS = ['REMOVE_CUSTOMER', 'REMOVE_WAREHOUSES'];
const DEPROVISION = `mutation ($id: ID!) { deprovisionTenant(tenantId: $id, mode: REMOVE) { id } }`;

/** A process lost mid-deprovisioning (kill -9) loses no run: the next one resumes and finishes it. */
describe('a service killed with SIGKILL in the middle of deprovisioning', () => {
  const cluster = replicaClusterForSuite();

  it('resumes every deprovisioning in a new process (RUN_RESUMED), the steps in flight side by side included, and leaves nothing of the tenants in the engine', async () => {
    const first = await cluster.spawn();
    const token = await loginAs(`${first.url}/graphql`);
    const tenants = await startRuns(TENANTS, token, () => first.url);
    await waitForStatus(`${first.url}/graphql`, token, tenants, 'COMPLETED');
    const provisioned = await cluster.sandbox.control.state();
    const abbrOf = new Map(tenants.map((tenant) => [tenant.id, provisioned.Company!.find((doc) => doc.company_name === tenant.name)!.abbr as string]));

    // The customer's and the warehouses' deletes, which run side by side, go unanswered: every
    // deprovisioning is in flight there when the test strikes, however slow the machine.
    await cluster.sandbox.control.setFaults({ hold: [{ doctype: 'Customer', method: 'DELETE' }, { doctype: 'Warehouse', method: 'DELETE' }] });
    const runIds = await Promise.all(
      tenants.map(async (tenant) => (await graphqlOk<{ deprovisionTenant: { id: string } }>(`${first.url}/graphql`, DEPROVISION, { id: tenant.id }, token)).deprovisionTenant.id),
    );
    const followers = tenants.map((tenant, i) => new EventFollower(tenant.id, token, (event) => TERMINAL_EVENTS.has(event.type) && event.runId === runIds[i]));
    const followingFirst = followers.map((follower) => follower.follow(wsUrlOf(first)));
    // Every run, not just one: a run still queued at the strike would be started, not resumed, by the next process.
    const heldInFlight = (log: LoggedEvent[]) => HELD_STEPS.every((step) => runningAtEnd(log).includes(step));
    await waitUntil('every deprovisioning to have its held steps in flight side by side', async () => followers.every((follower) => heldInFlight(follower.received)));
    expect(followers.filter((follower) => follower.finished)).toEqual([]);
    expect(await first.kill('SIGKILL')).toBeNull();
    await Promise.all(followingFirst);
    await cluster.sandbox.control.setFaults({ hold: null });

    const second = await cluster.spawn();
    const graphqlUrl = `${second.url}/graphql`;
    const followingSecond = followers.map((follower) => follower.follow(wsUrlOf(second)));
    await waitForStatus(graphqlUrl, token, tenants, 'COMPLETED');
    await Promise.all(followingSecond);

    for (const [i, follower] of followers.entries()) {
      const log = await eventLog(graphqlUrl, token, follower.tenantId);
      expectGapFree(log);
      // The client that reconnected with its last seq got every event exactly once, in order.
      expect(follower.received.map((event) => event.seq)).toEqual(log.map((event) => event.seq));
      const deprovisioning = log.filter((event) => event.runId === runIds[i]);
      expectOrderlyExecution(deprovisioning, remove);
      expect(deprovisioning.filter((event) => event.type === 'RUN_RESUMED').map((event) => event.message)).toEqual([`Deprovisioning (REMOVE): resumed by ${ownerOf(second)}`]);
      expect(deprovisioning.at(-1)).toMatchObject({ type: 'RUN_COMPLETED', message: expect.stringMatching(/^Deprovisioning \(REMOVE\) completed: /) });
      expect(heldInFlight(deprovisioning.slice(0, deprovisioning.findIndex((event) => event.type === 'RUN_RESUMED')))).toBe(true);
    }
    expect(new Set(claimedBy(second))).toEqual(new Set(runIds));

    const { tenants: after } = await graphqlOk<{ tenants: { edges: Array<{ node: { id: string; provisioningStatus: string } }> } }>(
      graphqlUrl,
      `{ tenants { edges { node { id provisioningStatus } } } }`,
      {},
      token,
    );
    expect(after.edges.map(({ node }) => node.provisioningStatus)).toEqual(Array(TENANTS).fill('DEPROVISIONED'));
    const state = await cluster.sandbox.control.state();
    for (const tenant of tenants) {
      const left = {
        tenant: tenant.name,
        companies: state.Company!.filter((doc) => doc.company_name === tenant.name).length,
        warehouses: state.Warehouse!.filter((doc) => doc.company === tenant.name).length,
        users: state.User!.filter((doc) => doc.name === tenant.adminEmail.toLowerCase()).length,
        customers: state.Customer!.filter((doc) => doc.customer_name === `Walk-In Customer - ${abbrOf.get(tenant.id)}`).length,
        posProfiles: (state['POS Profile'] ?? []).filter((doc) => doc.name === `${tenant.name} POS`).length,
        posEntries: (state['POS Opening Entry'] ?? []).filter((doc) => doc.pos_profile === `${tenant.name} POS`).length,
      };
      expect(left).toEqual({ tenant: tenant.name, companies: 0, warehouses: 0, users: 0, customers: 0, posProfiles: 0, posEntries: 0 });
    }
  });
});
