import { beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { loginAs } from '../support/api.js';
import type { ChildService } from '../support/child-service.js';
import { collect, graphqlOk, wsClient } from '../support/graphql.js';
import { withDatabase } from '../support/postgres-admin.js';
import { START } from '../support/provisioning.js';
import { replicaClusterForSuite, wsUrlOf } from '../support/reliability.js';

const RUNS = 200;
/** The shipped ENGINE_MAX_ACTIVE_RUNS. */
const ENGINE_MAX_ACTIVE_RUNS = 20;
const RUN_ENDS = new Set(['RUN_COMPLETED', 'RUN_PARTIAL', 'RUN_FAILED', 'RUN_CANCELLED']);

/**
 * The engine sees at most ENGINE_MAX_ACTIVE_RUNS runs at once, whichever replica took them:
 * 200 starts arrive at once at three replicas, and the event log shows how many executed at any
 * moment (each run from its RUN_STARTED or RUN_RESUMED to its end, on PostgreSQL's clock).
 */
describe('admission across replicas', () => {
  const cluster = replicaClusterForSuite(0);

  beforeAll(async () => {
    // Side by side: the database is a copy of the migrated template, so none has to wait for another.
    await Promise.all([0, 1, 2].map(() => cluster.spawn({ LEASE_MS: '10000' })));
  });

  it(`keeps at most ${ENGINE_MAX_ACTIVE_RUNS} of ${RUNS} runs started at once executing, and completes them all`, async () => {
    const replicas = cluster.replicas as ChildService[];
    const token = await loginAs(`${replicas[0]!.url}/graphql`);
    // The tenants exist beforehand (inserted, as an import would): the starts are what is measured.
    const tenantIds = Array.from({ length: RUNS }, () => randomUUID());
    await withDatabase(cluster.database.url, (client) =>
      client.query(
        `INSERT INTO tenant (id, name, slug, country_code, admin_email, admin_name)
         SELECT id, 'Queue shop ' || n, 'queue-shop-' || n, 'KE', 'owner-' || n || '@queue.test', 'Owner'
           FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
        [tenantIds],
      ),
    );
    const activity = wsClient(wsUrlOf(replicas[0]!), token);
    let ended = 0;
    const allEnded = collect<{ type: string }>(
      activity,
      'subscription { provisioningActivity { type } }',
      {},
      (event) => RUN_ENDS.has(event.type) && ++ended === RUNS,
      'provisioningActivity',
    ).finally(() => activity.dispose());

    // The shortest plan: what is measured is admission, not the steps.
    await Promise.all(tenantIds.map((tenantId, index) => graphqlOk(`${replicas[index % 3]!.url}/graphql`, START, { tenantId, input: { template: 'BASIC' } }, token)));
    const endings = (await allEnded).filter((event) => RUN_ENDS.has(event.type));
    expect(new Set(endings.map((event) => event.type))).toEqual(new Set(['RUN_COMPLETED']));

    const { rows } = await withDatabase(cluster.database.url, (client) =>
      client.query<{ tenant_id: string; type: string }>(
        `SELECT tenant_id, type FROM provisioning_event
          WHERE type IN ('RUN_QUEUED', 'RUN_STARTED', 'RUN_RESUMED', 'RUN_COMPLETED', 'RUN_PARTIAL', 'RUN_FAILED', 'RUN_CANCELLED')
          ORDER BY at, tenant_id, seq`,
      ),
    );
    // Walk the log in time order: a run executes from its RUN_STARTED to its end (a RUN_RESUMED
    // by another replica continues the same execution).
    const executing = new Set<string>();
    let most = 0;
    const queued = new Set<string>();
    for (const row of rows) {
      if (row.type === 'RUN_QUEUED') queued.add(row.tenant_id);
      else if (row.type === 'RUN_STARTED' || row.type === 'RUN_RESUMED') most = Math.max(most, executing.add(row.tenant_id).size);
      else executing.delete(row.tenant_id);
    }
    expect(executing.size).toBe(0);
    expect(most).toBeLessThanOrEqual(ENGINE_MAX_ACTIVE_RUNS);
    // The limit was reached, and the rest waited in the queue.
    expect(most).toBe(ENGINE_MAX_ACTIVE_RUNS);
    expect(queued.size).toBeGreaterThanOrEqual(RUNS - ENGINE_MAX_ACTIVE_RUNS);
  }, 120_000);
});
