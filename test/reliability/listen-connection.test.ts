import { describe, expect, it } from '@jest/globals';
import { createTenant } from '../support/api.js';
import { graphqlOk } from '../support/graphql.js';
import { withDatabase } from '../support/postgres-admin.js';
import { eventLog, followUntilRunEnds, START } from '../support/provisioning.js';
import { serviceForSuite } from '../support/service.js';
import { LISTEN_APPLICATION_NAME } from '../../src/provisioning/events/listen-connection.js';

/**
 * The LISTEN connection can die without closing: a half-open TCP connection, a server process
 * that hangs. Here its PostgreSQL backend is frozen (SIGSTOP): the connection stays open and
 * delivers nothing. The service finds out by its probe, connects again, and every subscriber
 * catches up from the event table.
 */
describe('a LISTEN connection that stops delivering without closing', () => {
  const suite = serviceForSuite();

  it('is detected by its probe and replaced, and a subscriber still receives every event of a run', async () => {
    const { graphqlUrl, wsUrl, database } = suite.service;
    const backend = async () =>
      withDatabase(database.url, async (client) => {
        const { rows } = await client.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`,
          [LISTEN_APPLICATION_NAME],
        );
        return rows.map((row) => row.pid);
      });
    const [frozen] = await backend();
    expect(frozen).toEqual(expect.any(Number));

    const tenant = await createTenant(graphqlUrl, suite.token);
    process.kill(frozen!, 'SIGSTOP');
    try {
      const following = followUntilRunEnds(wsUrl, suite.token, tenant.id, 0);
      await graphqlOk(graphqlUrl, START, { tenantId: tenant.id }, suite.token);
      const events = await following;
      expect(events.map((event) => event.seq)).toEqual((await eventLog(graphqlUrl, suite.token, tenant.id)).map((event) => event.seq));
      expect(events.at(-1)!.type).toBe('RUN_COMPLETED');
      expect(suite.service.logLines.some((line) => String(line.msg).startsWith('LISTEN connection does not deliver'))).toBe(true);
      // A new connection took over (the frozen backend lingers until it is terminated below).
      expect((await backend()).filter((pid) => pid !== frozen)).toHaveLength(1);
    } finally {
      process.kill(frozen!, 'SIGCONT');
      await withDatabase(database.url, (client) => client.query('SELECT pg_terminate_backend($1)', [frozen]));
    }
  });
});
