import { describe, expect, it } from '@jest/globals';
import { createTenant } from '../support/api.js';
import { collect, graphqlOk, wsClient } from '../support/graphql.js';
import { withDatabase } from '../support/postgres-admin.js';
import { EVENTS_SUBSCRIPTION, followUntilRunEnds, provisioningOf, sandbox, START, type EventItem } from '../support/provisioning.js';
import { expectGapFree } from '../support/reliability.js';
import { serviceForSuite } from '../support/service.js';

/**
 * A run whose execution stops with an error (here: PostgreSQL refuses one of its writes, as a
 * constraint or a trigger would) is given back at once, so the next sweep resumes it; it does
 * not stay leased while the process is busy with other runs.
 */
describe('a run whose execution stops with an error', () => {
  // A lease far longer than the test: only the release explains a quick resume, not an expiry.
  const suite = serviceForSuite({ LEASE_MS: '600000' });

  it('is released at once and resumed by the next sweep, while another run is still executing', async () => {
    const { graphqlUrl, wsUrl, database } = suite.service;
    const [busy, broken] = [await createTenant(graphqlUrl, suite.token), await createTenant(graphqlUrl, suite.token)];
    await withDatabase(database.url, (client) =>
      client.query(`
        CREATE FUNCTION test_refuse_event() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$;
        CREATE TRIGGER test_refuse BEFORE INSERT ON provisioning_event FOR EACH ROW
          WHEN (NEW.tenant_id = '${broken.id}' AND NEW.step = 'COMPANY' AND NEW.type = 'STEP_STARTED') EXECUTE FUNCTION test_refuse_event();`),
    );
    // The busy run waits on its company (the broken run never gets that far) until the end.
    await sandbox.faults(suite.service.sandbox!, { hold: { doctype: 'Company', method: 'POST' } });
    await graphqlOk(graphqlUrl, START, { tenantId: busy.id }, suite.token);
    await graphqlOk(graphqlUrl, START, { tenantId: broken.id }, suite.token);

    const client = wsClient(wsUrl, suite.token);
    await collect<EventItem>(
      client,
      EVENTS_SUBSCRIPTION,
      { tenantId: broken.id, after: 0 },
      (event) => event.type === 'RUN_RESUMED',
      'provisioningEvents',
    ).finally(() => client.dispose());
    expect((await provisioningOf(graphqlUrl, suite.token, busy.id)).status).toBe('IN_PROGRESS');
    expect(suite.service.logLines.some((line) => line.msg === 'run execution stopped with an error; released for the next sweep to resume')).toBe(true);

    await withDatabase(database.url, (client) => client.query(`DROP TRIGGER test_refuse ON provisioning_event`));
    await sandbox.faults(suite.service.sandbox!, { hold: null });
    const events = await followUntilRunEnds(wsUrl, suite.token, broken.id, 0);
    expect(events.at(-1)!.type).toBe('RUN_COMPLETED');
    expectGapFree(events);
    expect((await followUntilRunEnds(wsUrl, suite.token, busy.id, 0)).at(-1)!.type).toBe('RUN_COMPLETED');
  });
});
