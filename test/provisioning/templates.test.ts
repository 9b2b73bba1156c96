import { describe, expect, it } from '@jest/globals';
import { createTenant } from '../support/api.js';
import { graphqlOk } from '../support/graphql.js';
import { followUntilRunEnds, provisioningOf, sandbox } from '../support/provisioning.js';
import { serviceForSuite } from '../support/service.js';

type EngineState = Record<string, Array<Record<string, unknown>>>;

/** The warehouses ERPNext makes with every company (setup's install fixtures), not the template's. */
const COMPANY_DEFAULT_WAREHOUSES = new Set(['Stores', 'Work In Progress', 'Finished Goods', 'Goods In Transit']);

interface TemplateItem {
  key: string;
  steps: Array<{ key: string; dependsOn: string[] }>;
}

/** Everything the engine holds for one company, found by the company the way an auditor would. */
function ownedBy(state: EngineState, companyName: string) {
  const byCompany = (doctype: string) => (state[doctype] ?? []).filter((doc) => doc.company === companyName);
  const profiles = byCompany('POS Profile');
  return {
    warehouses: byCompany('Warehouse')
      .filter((doc) => !Number(doc.is_group))
      .map((doc) => doc.warehouse_name as string)
      .filter((name) => !COMPANY_DEFAULT_WAREHOUSES.has(name))
      .sort(),
    posProfiles: profiles,
    openEntries: (state['POS Opening Entry'] ?? []).filter((doc) => profiles.some((profile) => profile.name === doc.pos_profile) && doc.status === 'Open'),
    customers: (state.Customer ?? []).filter((doc) => (doc.customer_name as string).startsWith('Walk-In Customer')),
  };
}

describe('templates: which steps a run has and what they make', () => {
  const suite = serviceForSuite();

  async function provision(name: string, template: string) {
    const tenant = await createTenant(suite.service.graphqlUrl, suite.token, { name });
    const { startProvisioning } = await graphqlOk<{ startProvisioning: { template: string; totalSteps: number } }>(
      suite.service.graphqlUrl,
      `mutation ($tenantId: ID!, $input: StartProvisioningInput) { startProvisioning(tenantId: $tenantId, input: $input) { template totalSteps } }`,
      { tenantId: tenant.id, input: { template, includeDemoData: true } },
      suite.token,
    );
    expect(startProvisioning.template).toBe(template);
    const events = await followUntilRunEnds(suite.service.wsUrl, suite.token, tenant.id, 0);
    expect(events.at(-1)!.type).toBe('RUN_COMPLETED');
    const provisioning = await provisioningOf(suite.service.graphqlUrl, suite.token, tenant.id);
    const state = await sandbox.state(suite.service.sandbox!);
    return { tenant, events, provisioning, state, owned: ownedBy(state, name) };
  }

  it('lists every template with its steps, FULL_POS first and the same as provisioningPlan', async () => {
    const data = await graphqlOk<{ provisioningTemplates: TemplateItem[]; provisioningPlan: Array<{ key: string; dependsOn: string[] }> }>(
      suite.service.graphqlUrl,
      `{ provisioningTemplates { key steps { key dependsOn } } provisioningPlan { key dependsOn } }`,
      {},
      suite.token,
    );
    expect(data.provisioningTemplates.map((template) => template.key)).toEqual(['FULL_POS', 'BASIC', 'RETAIL', 'SERVICES']);
    expect(data.provisioningTemplates[0]!.steps).toEqual(data.provisioningPlan);
    const basic = data.provisioningTemplates.find((template) => template.key === 'BASIC')!;
    expect(basic.steps.map((step) => step.key)).toEqual(['ENGINE_CHECK', 'ENGINE_USER', 'COMPANY', 'CHART_OF_ACCOUNTS', 'WAREHOUSES', 'SETTINGS', 'FINALIZE']);
    // A dependency on a step the template leaves out is not shown (nor waited for).
    for (const step of basic.steps) for (const dependency of step.dependsOn) expect(basic.steps.map((s) => s.key)).toContain(dependency);
  });

  it('BASIC makes the books and a main warehouse, and no point of sale', async () => {
    const { provisioning, owned, state, events } = await provision('Basic Books Ltd', 'BASIC');
    expect(provisioning.steps.map((step) => step.key)).toEqual(['ENGINE_CHECK', 'ENGINE_USER', 'COMPANY', 'CHART_OF_ACCOUNTS', 'WAREHOUSES', 'SETTINGS', 'FINALIZE']);
    expect(provisioning.totalSteps).toBe(7);
    expect(events.filter((event) => event.type === 'STEP_STARTED')).toHaveLength(7);
    expect(state.Company!.filter((doc) => doc.company_name === 'Basic Books Ltd')).toHaveLength(1);
    expect(owned.warehouses).toEqual(['Main Store']);
    expect(owned.posProfiles).toHaveLength(0);
    expect(owned.openEntries).toHaveLength(0);
    expect(provisioning.resources).not.toHaveProperty('customer');
    expect(provisioning.resources).not.toHaveProperty('posProfile');
  });

  it('RETAIL adds a back store, a retail catalogue of stock items and no negative stock', async () => {
    const { provisioning, owned, state } = await provision('Retail Rack Ltd', 'RETAIL');
    expect(owned.warehouses).toEqual(['Back Store', 'Main Store', 'POS Store']);
    expect(owned.posProfiles).toHaveLength(1);
    expect(owned.openEntries).toHaveLength(1);
    const items = (state.Item ?? []).filter((item) => (provisioning.resources.items as string[]).includes(item.name as string));
    expect(items.map((item) => [item.item_name, Number(item.is_stock_item)])).toEqual([
      ['Cotton T-Shirt', 1],
      ['Denim Jeans', 1],
      ['Canvas Sneakers', 1],
    ]);
    expect(state['Stock Settings']![0]).toMatchObject({ allow_negative_stock: 0, valuation_method: 'FIFO' });
  });

  it('SERVICES sells services that hold no stock, from one warehouse, with no POS session opened', async () => {
    const { provisioning, owned, state } = await provision('Service Salon Ltd', 'SERVICES');
    expect(provisioning.steps.map((step) => step.key)).not.toContain('POS_SESSION');
    expect(owned.warehouses).toEqual(['Main Store']);
    expect(owned.posProfiles).toHaveLength(1);
    expect(owned.posProfiles[0]!.warehouse).toBe(provisioning.resources.warehouses && (provisioning.resources.warehouses as { main: string }).main);
    expect(owned.openEntries).toHaveLength(0);
    const items = (state.Item ?? []).filter((item) => (provisioning.resources.items as string[]).includes(item.name as string));
    expect(items.map((item) => [item.item_group, Number(item.is_stock_item)])).toEqual([
      ['Services', 0],
      ['Services', 0],
      ['Services', 0],
    ]);
    expect(state['Selling Settings']![0]).toMatchObject({ so_required: 'No', dn_required: 'No' });
  });

  it('keeps `type` as an alias: BASIC picks the BASIC template, and both at once must agree', async () => {
    const tenant = await createTenant(suite.service.graphqlUrl, suite.token, { name: 'Alias Accounts Ltd' });
    const mutation = `mutation ($tenantId: ID!, $input: StartProvisioningInput) { startProvisioning(tenantId: $tenantId, input: $input) { template totalSteps } }`;
    const conflict = await fetch(suite.service.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${suite.token}` },
      body: JSON.stringify({ query: mutation, variables: { tenantId: tenant.id, input: { type: 'BASIC', template: 'RETAIL' } } }),
    }).then((response) => response.json() as Promise<{ errors?: Array<{ message: string; extensions: { code: string } }> }>);
    expect(conflict.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(conflict.errors?.[0]!.message).toMatch(/template/);

    const { startProvisioning } = await graphqlOk<{ startProvisioning: { template: string; totalSteps: number } }>(
      suite.service.graphqlUrl,
      mutation,
      { tenantId: tenant.id, input: { type: 'BASIC' } },
      suite.token,
    );
    expect(startProvisioning).toEqual({ template: 'BASIC', totalSteps: 7 });
    await followUntilRunEnds(suite.service.wsUrl, suite.token, tenant.id, 0);
  });
});
