import { describe, expect, it } from '@jest/globals';
import { createTenant } from '../support/api.js';
import { graphqlOk } from '../support/graphql.js';
import { engineResourcesOf, eventLog, followUntilRunEnds, provisioningOf, sandbox, START, type ProvisioningItem } from '../support/provisioning.js';
import { serviceForSuite } from '../support/service.js';
import { companyAbbrCandidates } from '../../src/provisioning/plan/naming.js';

const STEPS = [
  'ENGINE_CHECK', 'ENGINE_USER', 'COMPANY', 'CHART_OF_ACCOUNTS', 'WAREHOUSES', 'SETTINGS',
  'DEMO_ITEMS', 'CUSTOMER', 'POS_PROFILE', 'POS_SESSION', 'FINALIZE',
];

describe('a provisioning run from start to ready-to-sell', () => {
  const suite = serviceForSuite();

  it('returns at once even when every engine call takes 2 s, then streams every step in order to PROVISIONED', async () => {
    const tenant = await createTenant(suite.service.graphqlUrl, suite.token, { name: 'Slow Engine Stores' });
    await sandbox.faults(suite.service.sandbox!, { latencyMs: 2000 });

    const started = await graphqlOk<{ startProvisioning: ProvisioningItem }>(suite.service.graphqlUrl, START, { tenantId: tenant.id }, suite.token);
    expect(started.startProvisioning).toMatchObject({ status: 'IN_PROGRESS', progress: 0, currentStep: 'ENGINE_CHECK', totalSteps: 11, stepsCompleted: 0 });
    // The mutation did not wait for the engine: its first call (2 s) has not even answered yet.
    const meanwhile = await provisioningOf(suite.service.graphqlUrl, suite.token, tenant.id);
    expect(meanwhile.status).toBe('IN_PROGRESS');
    expect(['PENDING', 'RUNNING']).toContain(meanwhile.steps[0]!.status);

    await sandbox.faults(suite.service.sandbox!, { latencyMs: 0 });
    const events = await followUntilRunEnds(suite.service.wsUrl, suite.token, tenant.id, 0);

    expect(events.map((event) => event.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events[0]!.type).toBe('RUN_STARTED');
    expect(events.at(-1)!.type).toBe('RUN_COMPLETED');
    const stepEvents = events.filter((event) => event.type.startsWith('STEP_')).map((event) => `${event.type} ${event.step}`);
    const expected = STEPS.flatMap((step) => (step === 'DEMO_ITEMS' ? [`STEP_SKIPPED ${step}`] : [`STEP_STARTED ${step}`, `STEP_COMPLETED ${step}`]));
    expect([...stepEvents].sort()).toEqual([...expected].sort());
    // Steps run side by side, but none starts before every step it depends on has finished.
    const { provisioningPlan } = await graphqlOk<{ provisioningPlan: { key: string; dependsOn: string[] }[] }>(
      suite.service.graphqlUrl, `{ provisioningPlan { key dependsOn } }`, {}, suite.token,
    );
    const position = (type: string, step: string) => stepEvents.indexOf(`${type} ${step}`);
    const finished = (step: string) => Math.max(position('STEP_COMPLETED', step), position('STEP_SKIPPED', step));
    for (const { key, dependsOn } of provisioningPlan) {
      const began = Math.max(position('STEP_STARTED', key), position('STEP_SKIPPED', key));
      for (const dependency of dependsOn) expect({ key, dependency, after: began > finished(dependency) }).toEqual({ key, dependency, after: true });
    }
    expect(events.at(-1)!.provisioning).toMatchObject({ status: 'COMPLETED', progress: 100 });

    const { tenant: after } = await graphqlOk<{ tenant: { provisioningStatus: string; provisionedAt: string | null; provisioning: { status: string } } }>(
      suite.service.graphqlUrl,
      `query ($id: ID!) { tenant(id: $id) { provisioningStatus provisionedAt provisioning { status } } }`,
      { id: tenant.id },
      suite.token,
    );
    expect(after).toMatchObject({ provisioningStatus: 'PROVISIONED', provisioning: { status: 'COMPLETED' } });
    expect(after.provisionedAt).not.toBeNull();

    const owned = engineResourcesOf(await sandbox.state(suite.service.sandbox!), 'Slow Engine Stores');
    expect(owned.companies).toHaveLength(1);
    expect(owned.customers).toHaveLength(1);
    expect(owned.posProfiles).toHaveLength(1);
    expect(owned.openEntries).toHaveLength(1);
    expect(owned.warehouses).toHaveLength(2);
    expect(owned.users.filter((user) => user.name === tenant.input.adminEmail)).toHaveLength(1);

    const final = await provisioningOf(suite.service.graphqlUrl, suite.token, tenant.id);
    expect(final.steps.map((step) => [step.key, step.status])).toEqual(STEPS.map((step) => [step, step === 'DEMO_ITEMS' ? 'SKIPPED' : 'COMPLETED']));
    expect(final.resources).toMatchObject({ company: 'Slow Engine Stores', posProfile: 'Slow Engine Stores POS' });
    expect(await eventLog(suite.service.graphqlUrl, suite.token, tenant.id)).toEqual(events);
  });

  it('creates demo items when asked, and the run is the same otherwise', async () => {
    const tenant = await createTenant(suite.service.graphqlUrl, suite.token, { name: 'Demo Data Duka' });
    await graphqlOk(suite.service.graphqlUrl, START, { tenantId: tenant.id, input: { includeDemoData: true } }, suite.token);
    const events = await followUntilRunEnds(suite.service.wsUrl, suite.token, tenant.id, 0);
    expect(events.at(-1)!.type).toBe('RUN_COMPLETED');
    expect(events.filter((event) => event.step === 'DEMO_ITEMS').map((event) => event.type)).toEqual(['STEP_STARTED', 'STEP_COMPLETED']);
    const final = await provisioningOf(suite.service.graphqlUrl, suite.token, tenant.id);
    const items = (final.resources.items as string[]) ?? [];
    expect(items).toHaveLength(3);
    const state = await sandbox.state(suite.service.sandbox!);
    for (const code of items) expect(state.Item!.filter((item) => item.name === code)).toHaveLength(1);
  });

  it('starts with createTenant(autoStart: true) and reports PROVISIONING right away', async () => {
    const { createTenant: created } = await graphqlOk<{ createTenant: { id: string; provisioningStatus: string } }>(
      suite.service.graphqlUrl,
      `mutation ($input: CreateTenantInput!) { createTenant(input: $input) { id provisioningStatus } }`,
      {
        input: {
          name: 'Auto Start Mart',
          adminEmail: `auto-${Date.now()}@tenant.test`,
          adminName: 'Auto Admin',
          adminPassword: 'tenant-admin-password',
          countryCode: 'UG',
          autoStart: true,
          provisioning: { type: 'BASIC', posStoreEnabled: false },
        },
      },
      suite.token,
    );
    expect(created.provisioningStatus).toBe('PROVISIONING');
    const events = await followUntilRunEnds(suite.service.wsUrl, suite.token, created.id, 0);
    expect(events.at(-1)!.type).toBe('RUN_COMPLETED');
    const state = await sandbox.state(suite.service.sandbox!);
    const company = state.Company!.find((doc) => doc.company_name === 'Auto Start Mart')!;
    expect(company.default_currency).toBe('UGX');
    // posStoreEnabled: false: no separate POS store.
    expect(state.Warehouse!.filter((doc) => doc.company === 'Auto Start Mart' && doc.warehouse_name === 'POS Store')).toHaveLength(0);
  });

  it('takes the next abbreviation when another company in the engine already uses the first', async () => {
    const tenant = await createTenant(suite.service.graphqlUrl, suite.token, { name: 'Abbreviation Clash Co' });
    const [first, second] = companyAbbrCandidates({ id: tenant.id, name: tenant.name });
    const sandboxApi = suite.service.sandbox!;
    const squatter = await fetch(`${sandboxApi.url}/api/resource/Company`, {
      method: 'POST',
      headers: { authorization: `token ${sandboxApi.apiKey}:${sandboxApi.apiSecret}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ company_name: 'Someone Else Ltd', abbr: first, default_currency: 'KES', country: 'Kenya' }),
    });
    expect(squatter.status).toBe(200);

    await graphqlOk(suite.service.graphqlUrl, START, { tenantId: tenant.id }, suite.token);
    const events = await followUntilRunEnds(suite.service.wsUrl, suite.token, tenant.id, 0);
    expect(events.at(-1)!.type).toBe('RUN_COMPLETED');
    const owned = engineResourcesOf(await sandbox.state(sandboxApi), tenant.name);
    expect(owned.companies.map((company) => company.abbr)).toEqual([second]);
    expect(owned.customers).toHaveLength(1);
  });

  it('describes the plan and the engine', async () => {
    const data = await graphqlOk<{ provisioningPlan: Array<{ key: string; index: number; criticality: string; skippable: boolean }>; engineHealth: { online: boolean; message: string } }>(
      suite.service.graphqlUrl,
      `{ provisioningPlan { key index title criticality skippable timeoutMs } engineHealth { online latencyMs checkedAt message } }`,
      {},
      suite.token,
    );
    expect(data.provisioningPlan.map((step) => step.key)).toEqual(STEPS);
    expect(data.provisioningPlan.filter((step) => step.skippable).map((step) => step.key)).toEqual(['SETTINGS', 'DEMO_ITEMS', 'POS_SESSION']);
    expect(data.engineHealth.online).toBe(true);
  });
});
