import { describe, expect, it } from '@jest/globals';
import { createTenant } from '../support/api.js';
import { errorCode, graphql } from '../support/graphql.js';
import { engineResourcesOf, eventLog, provisioningOf, sandbox, START } from '../support/provisioning.js';
import { serviceForSuite } from '../support/service.js';
import { waitForRunEnds } from '../support/run-ends.js';

describe('many starts at once', () => {
  const suite = serviceForSuite();

  it('50 concurrent starts of one tenant: exactly one wins, 49 get CONFLICT', async () => {
    const tenant = await createTenant(suite.service.graphqlUrl, suite.token);
    const finished = waitForRunEnds(suite.service.wsUrl, suite.token, new Set([tenant.id]));
    const results = await Promise.all(Array.from({ length: 50 }, () => graphql(suite.service.graphqlUrl, START, { tenantId: tenant.id }, suite.token)));
    const codes = results.map((result) => errorCode(result) ?? 'OK');
    expect(codes.filter((code) => code === 'OK')).toHaveLength(1);
    expect(codes.filter((code) => code === 'CONFLICT')).toHaveLength(49);
    await finished;
    const log = await eventLog(suite.service.graphqlUrl, suite.token, tenant.id);
    expect(log.filter((event) => event.type === 'RUN_STARTED')).toHaveLength(1);
  });

  it('50 tenants started at once all complete, each with its own gap-free log and one of each resource', async () => {
    const tenants = await Promise.all(Array.from({ length: 50 }, (_, i) => createTenant(suite.service.graphqlUrl, suite.token, { name: `Concurrent Shop ${i}` })));
    const finished = waitForRunEnds(suite.service.wsUrl, suite.token, new Set(tenants.map((tenant) => tenant.id)));
    const results = await Promise.all(tenants.map((tenant) => graphql(suite.service.graphqlUrl, START, { tenantId: tenant.id }, suite.token)));
    expect(results.map((result) => errorCode(result) ?? 'OK')).toEqual(tenants.map(() => 'OK'));
    const ends = await finished;
    expect([...ends.values()]).toEqual(tenants.map(() => 'RUN_COMPLETED'));

    const state = await sandbox.state(suite.service.sandbox!);
    for (const tenant of tenants) {
      const provisioning = await provisioningOf(suite.service.graphqlUrl, suite.token, tenant.id);
      expect(provisioning.status).toBe('COMPLETED');
      const log = await eventLog(suite.service.graphqlUrl, suite.token, tenant.id);
      expect(log.map((event) => event.seq)).toEqual(log.map((_, i) => i + 1));
      const owned = engineResourcesOf(state, tenant.name);
      expect([owned.companies.length, owned.customers.length, owned.posProfiles.length, owned.openEntries.length]).toEqual([1, 1, 1, 1]);
    }
  });
});
