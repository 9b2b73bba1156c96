import { describe, expect, it } from '@jest/globals';
import { createTenant, loginAs } from '../support/api.js';
import { SandboxControl, type SandboxDoc } from '../support/engine-sandbox.js';
import { postDoc, saleGlEntry } from '../support/engine-transactions.js';
import { collect, errorCode, graphql, graphqlOk, wsClient } from '../support/graphql.js';
import { CANCEL, CONTINUE, EVENTS_SUBSCRIPTION, followUntilRunEnds, START, type EventItem } from '../support/provisioning.js';
import { serviceForSuite } from '../support/service.js';

const RUN_FIELDS = `id kind deprovisionMode template status totalSteps stepsCompleted resources steps { key status attempts message }`;
const DEPROVISION = `mutation Deprovision($tenantId: ID!, $mode: DeprovisionMode!) { deprovisionTenant(tenantId: $tenantId, mode: $mode) { ${RUN_FIELDS} } }`;
const TENANT = `query ($id: ID!) { tenant(id: $id) { provisioningStatus provisioningError provisioning { ${RUN_FIELDS} } } }`;

interface Run {
  id: string;
  kind: string;
  deprovisionMode: string | null;
  template: string;
  status: string;
  totalSteps: number;
  stepsCompleted: number;
  resources: Record<string, unknown>;
  steps: Array<{ key: string; status: string; attempts: number; message: string | null }>;
}

const DISABLE_STEPS = ['ENGINE_CHECK', 'CLOSE_POS_SESSIONS', 'DISABLE_POS_PROFILE', 'DISABLE_ENGINE_USER'];
const REMOVE_STEPS = [
  ...DISABLE_STEPS,
  'REMOVE_POS_SESSIONS',
  'REMOVE_POS_PROFILE',
  'REMOVE_CUSTOMER',
  'REMOVE_ITEMS',
  'REMOVE_WAREHOUSES',
  'REMOVE_COMPANY',
  'REMOVE_ENGINE_USER',
];

describe('deprovisioning a tenant', () => {
  // Step deadlines at a twentieth (1.5 s for most): a step held by the sandbox is cut soon.
  const suite = serviceForSuite({ STEP_TIMEOUT_SCALE: '0.05' });
  const url = () => suite.service.graphqlUrl;
  const control = () => new SandboxControl(suite.service.sandbox!);

  /** A tenant provisioned to COMPLETED; `seq` is its last event. */
  async function provisioned(input: Record<string, unknown> = {}) {
    const tenant = await createTenant(url(), suite.token);
    await graphqlOk(url(), START, { tenantId: tenant.id, input }, suite.token);
    const events = await followUntilRunEnds(suite.service.wsUrl, suite.token, tenant.id, 0);
    expect(events.at(-1)!.type).toBe('RUN_COMPLETED');
    return { id: tenant.id, name: tenant.name, adminEmail: (tenant.input.adminEmail as string).toLowerCase(), seq: events.at(-1)!.seq };
  }

  /** Starts a run with `mutation` and follows it to its end: what the mutation answered, the run's events, and the tenant after. */
  async function runToEnd(mutation: string, variables: Record<string, unknown>, after: number) {
    const accepted = await graphqlOk<Record<string, Run>>(url(), mutation, variables, suite.token);
    const events = await followUntilRunEnds(suite.service.wsUrl, suite.token, variables.tenantId as string, after);
    const { tenant } = await graphqlOk<{ tenant: { provisioningStatus: string; provisioningError: string | null; provisioning: Run } }>(
      url(),
      TENANT,
      { id: variables.tenantId },
      suite.token,
    );
    return { accepted: Object.values(accepted)[0]!, events, tenant, run: tenant.provisioning, seq: events.at(-1)!.seq };
  }

  const deprovision = (tenantId: string, mode: string, after: number) => runToEnd(DEPROVISION, { tenantId, mode }, after);
  const message = (run: Run, key: string) => run.steps.find((step) => step.key === key)!.message;

  /** What the engine holds of a tenant, found the way an auditor would. */
  async function inEngine(tenant: { name: string; adminEmail: string }) {
    const state = await control().state();
    const docs = (doctype: string, pick: (doc: SandboxDoc) => boolean) => (state[doctype] ?? []).filter(pick);
    const company = docs('Company', (doc) => doc.company_name === tenant.name)[0];
    const abbr = company?.abbr as string | undefined;
    const profile = `${tenant.name} POS`;
    return {
      company,
      profile: docs('POS Profile', (doc) => doc.name === profile)[0],
      sessions: docs('POS Opening Entry', (doc) => doc.pos_profile === profile),
      user: docs('User', (doc) => doc.name === tenant.adminEmail)[0],
      customers: docs('Customer', (doc) => doc.customer_name === `Walk-In Customer - ${abbr}`),
      warehouses: docs('Warehouse', (doc) => doc.name === `Main Store - ${abbr}` || doc.name === `POS Store - ${abbr}`).map((doc) => doc.name),
      items: docs('Item', (doc) => doc.name.startsWith(`${abbr}-DEMO-`)).map((doc) => doc.name),
    };
  }

  it('DISABLE closes the POS session and disables the profile and the user, keeps the books, streams its run, and provisioning again enables them', async () => {
    const tenant = await provisioned();
    // A transient failure on the way is retried inside its step, as in any run.
    await control().setFaults({ failNext: { doctype: 'User', method: 'PUT', status: 503 } });

    const { accepted, events, tenant: after, run, seq } = await deprovision(tenant.id, 'DISABLE', tenant.seq);
    expect(accepted).toMatchObject({ kind: 'DEPROVISION', deprovisionMode: 'DISABLE', template: 'FULL_POS', status: 'IN_PROGRESS', totalSteps: 4 });
    expect(accepted.resources).toMatchObject({ company: tenant.name, posProfile: `${tenant.name} POS`, engineUser: tenant.adminEmail });

    expect(events.map((event) => event.seq)).toEqual(events.map((_, i) => tenant.seq + i + 1));
    expect(events[0]).toMatchObject({ type: 'RUN_STARTED', message: `Deprovisioning (DISABLE): started by admin@platform.test` });
    expect(events.at(-1)).toMatchObject({ type: 'RUN_COMPLETED', message: expect.stringMatching(/^Deprovisioning \(DISABLE\) completed: /) });
    const stepEvents = events.filter((event) => event.step).map((event) => `${event.type} ${event.step}`);
    expect(stepEvents).toEqual(expect.arrayContaining(DISABLE_STEPS.flatMap((step) => [`STEP_STARTED ${step}`, `STEP_COMPLETED ${step}`])));
    expect(stepEvents).toContain('STEP_RETRYING DISABLE_ENGINE_USER');
    expect(events.every((event) => event.runId === accepted.id)).toBe(true);

    expect(after).toMatchObject({ provisioningStatus: 'DEPROVISIONED', provisioningError: null });
    expect(run.steps.map((step) => [step.key, step.status])).toEqual(DISABLE_STEPS.map((step) => [step, 'COMPLETED']));
    expect(message(run, 'CLOSE_POS_SESSIONS')).toMatch(/^Closed POS session \S+$/);
    expect(message(run, 'DISABLE_POS_PROFILE')).toBe(`Disabled POS profile ${tenant.name} POS`);
    expect(message(run, 'DISABLE_ENGINE_USER')).toBe(`Disabled engine user ${tenant.adminEmail}`);

    const disabled = await inEngine(tenant);
    expect(disabled.sessions.map((session) => [session.status, session.docstatus])).toEqual([['Cancelled', 2]]);
    expect(disabled.profile).toMatchObject({ disabled: 1 });
    expect(disabled.user).toMatchObject({ enabled: 0 });
    expect(disabled.company).toBeDefined();
    expect(disabled.customers).toHaveLength(1);
    expect(disabled.warehouses).toHaveLength(2);

    const again = await graphql(url(), DEPROVISION, { tenantId: tenant.id, mode: 'DISABLE' }, suite.token);
    expect(errorCode(again)).toBe('INVALID_STATE');
    expect(again.errors![0]!.message).toMatch(/already deprovisioned \(DISABLE\)\. Call deprovisionTenant with mode REMOVE/);

    const reprovisioned = await runToEnd(START, { tenantId: tenant.id }, seq);
    expect(reprovisioned.run).toMatchObject({ kind: 'PROVISION', deprovisionMode: null, status: 'COMPLETED' });
    expect(reprovisioned.tenant.provisioningStatus).toBe('PROVISIONED');
    const enabled = await inEngine(tenant);
    expect(enabled.user).toMatchObject({ enabled: 1 });
    expect(enabled.profile).toMatchObject({ disabled: 0 });
    expect(enabled.sessions.map((session) => session.status).sort()).toEqual(['Cancelled', 'Open']);
  });

  it('REMOVE deletes what provisioning created in reverse order, keeps a company with transactions saying why, and the tenant provisions again', async () => {
    const tenant = await provisioned({ includeDemoData: true });
    const disabled = await deprovision(tenant.id, 'DISABLE', tenant.seq);
    const company = await inEngine(tenant).then((held) => held.company!);
    const sale = await postDoc(suite.service.sandbox!, 'GL Entry', saleGlEntry(company.name, company.abbr as string));

    const { accepted, events, tenant: after, run, seq } = await deprovision(tenant.id, 'REMOVE', disabled.seq);
    expect(accepted).toMatchObject({ kind: 'DEPROVISION', deprovisionMode: 'REMOVE', totalSteps: 11 });
    expect(events.at(-1)).toMatchObject({ type: 'RUN_COMPLETED', message: expect.stringMatching(/^Deprovisioning \(REMOVE\) completed: /) });
    expect(after.provisioningStatus).toBe('DEPROVISIONED');
    expect(run.steps.map((step) => [step.key, step.status])).toEqual(REMOVE_STEPS.map((step) => [step, 'COMPLETED']));

    // What DISABLE did is found done; what provisioning created is deleted, the company kept with ERPNext's reason.
    expect(message(run, 'CLOSE_POS_SESSIONS')).toBe('No POS session was open');
    expect(message(run, 'DISABLE_POS_PROFILE')).toBe(`POS profile ${tenant.name} POS: already disabled`);
    expect(message(run, 'REMOVE_POS_SESSIONS')).toMatch(/^Deleted POS entry \S+$/);
    expect(message(run, 'REMOVE_ITEMS')).toBe([1, 2, 3].map((n) => `Deleted item ${company.abbr}-DEMO-00${n}`).join('; '));
    expect(message(run, 'REMOVE_WAREHOUSES')).toBe(`Deleted warehouse POS Store - ${company.abbr}; Deleted warehouse Main Store - ${company.abbr}`);
    expect(message(run, 'REMOVE_COMPANY')).toBe(`Kept company ${tenant.name}: it has transactions: GL Entry ${sale.name} refers to it`);
    expect(message(run, 'REMOVE_ENGINE_USER')).toBe(`Deleted engine user ${tenant.adminEmail}`);
    // Every step started once the steps it waits for were done: nothing was deleted before what names it.
    const order = events.filter((event) => event.step).map((event) => `${event.type} ${event.step}`);
    const at = (type: string, step: string) => order.indexOf(`${type} ${step}`);
    for (const [later, earlier] of [
      ['REMOVE_POS_SESSIONS', 'DISABLE_POS_PROFILE'],
      ['REMOVE_POS_PROFILE', 'REMOVE_POS_SESSIONS'],
      ['REMOVE_WAREHOUSES', 'REMOVE_POS_PROFILE'],
      ['REMOVE_COMPANY', 'REMOVE_WAREHOUSES'],
      ['REMOVE_COMPANY', 'REMOVE_CUSTOMER'],
      ['REMOVE_ENGINE_USER', 'REMOVE_POS_PROFILE'],
    ]) {
      expect({ later, earlier, after: at('STEP_STARTED', later!) > at('STEP_COMPLETED', earlier!) }).toEqual({ later, earlier, after: true });
    }

    expect(await inEngine(tenant)).toMatchObject({ profile: undefined, sessions: [], user: undefined, customers: [], warehouses: [], items: [] });
    expect((await inEngine(tenant)).company).toMatchObject({ name: tenant.name });
    for (const mode of ['REMOVE', 'DISABLE']) {
      const refused = await graphql(url(), DEPROVISION, { tenantId: tenant.id, mode }, suite.token);
      expect(errorCode(refused)).toBe('INVALID_STATE');
      expect(refused.errors![0]!.message).toMatch(/already deprovisioned \(REMOVE\)\. Call startProvisioning to provision it again\./);
    }

    const reprovisioned = await runToEnd(START, { tenantId: tenant.id }, seq);
    expect(reprovisioned.run.status).toBe('COMPLETED');
    expect(reprovisioned.tenant.provisioningStatus).toBe('PROVISIONED');
    const again = await inEngine(tenant);
    expect(again.company).toMatchObject({ abbr: company.abbr });
    expect(again).toMatchObject({ user: { enabled: 1 }, profile: { disabled: 0 }, customers: [expect.anything()], sessions: [{ status: 'Open' }] });
    expect(again.warehouses.sort()).toEqual([`Main Store - ${company.abbr}`, `POS Store - ${company.abbr}`]);
  });

  it('is for platform admins only, and refuses what it cannot do with a code and what to do instead', async () => {
    const tenant = await createTenant(url(), suite.token);
    const tenantAdmin = await loginAs(url(), tenant.input.adminEmail as string, tenant.input.adminPassword as string);
    const own = await graphql(url(), DEPROVISION, { tenantId: tenant.id, mode: 'REMOVE' }, tenantAdmin);
    expect(errorCode(own)).toBe('FORBIDDEN');
    expect(own.errors![0]!.message).toBe('Only a platform admin may do this.');

    const refusal = async (variables: Record<string, unknown>) => {
      const result = await graphql(url(), DEPROVISION, variables, suite.token);
      return { code: errorCode(result), message: result.errors?.[0]?.message };
    };
    expect(await refusal({ tenantId: 'not-a-tenant', mode: 'DISABLE' })).toEqual({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/^tenantId: "not-a-tenant" is not a valid id/) });
    expect(await refusal({ tenantId: tenant.id, mode: 'DESTROY' })).toEqual({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/DESTROY.*DeprovisionMode/) });
    expect(await refusal({ tenantId: '3f2b8c1e-9a4d-4e7f-8b1a-2c3d4e5f6a7b', mode: 'DISABLE' })).toEqual({ code: 'NOT_FOUND', message: expect.stringMatching(/does not exist/) });
    expect(await refusal({ tenantId: tenant.id, mode: 'DISABLE' })).toEqual({ code: 'INVALID_STATE', message: `Tenant ${tenant.id} has never been provisioned: there is nothing to deprovision.` });
  });

  it('is cancelled like any run, refuses a second run meanwhile, and continues where it stopped', async () => {
    const tenant = await provisioned();
    // The POS profile's disable goes unanswered: the run is held in flight until the test lets it go.
    await control().setFaults({ hold: { doctype: 'POS Profile', method: 'PUT' } });
    const accepted = await graphqlOk<{ deprovisionTenant: Run }>(url(), DEPROVISION, { tenantId: tenant.id, mode: 'REMOVE' }, suite.token);
    const client = wsClient(suite.service.wsUrl, suite.token);
    const inFlight = await collect<EventItem>(
      client,
      EVENTS_SUBSCRIPTION,
      { tenantId: tenant.id, after: tenant.seq },
      (event) => event.type === 'STEP_STARTED' && event.step === 'DISABLE_POS_PROFILE',
      'provisioningEvents',
    ).finally(() => client.dispose());

    for (const [mutation, variables] of [
      [DEPROVISION, { tenantId: tenant.id, mode: 'DISABLE' }],
      [START, { tenantId: tenant.id }],
    ] as const) {
      const second = await graphql(url(), mutation, variables, suite.token);
      expect(errorCode(second)).toBe('CONFLICT');
      expect(second.errors![0]!.message).toContain(`A run (${accepted.deprovisionTenant.id}) is already in progress for this tenant`);
    }
    const { tenant: meanwhile } = await graphqlOk<{ tenant: { provisioningStatus: string } }>(url(), TENANT, { id: tenant.id }, suite.token);
    expect(meanwhile.provisioningStatus).toBe('DEPROVISIONING');

    const cancelling = await graphqlOk<{ cancelProvisioning: { status: string } }>(url(), CANCEL, { tenantId: tenant.id }, suite.token);
    expect(cancelling.cancelProvisioning.status).toBe('IN_PROGRESS');
    await control().setFaults({ hold: null });
    const stopped = await followUntilRunEnds(suite.service.wsUrl, suite.token, tenant.id, inFlight.at(-1)!.seq);
    expect(stopped.at(-1)).toMatchObject({
      type: 'RUN_CANCELLED',
      runId: accepted.deprovisionTenant.id,
      message: 'Deprovisioning (REMOVE) cancelled; continue or retry it to resume where it stopped.',
    });
    const { tenant: cancelled } = await graphqlOk<{ tenant: { provisioningStatus: string; provisioning: Run } }>(url(), TENANT, { id: tenant.id }, suite.token);
    expect(cancelled.provisioningStatus).toBe('NOT_PROVISIONED');
    expect(cancelled.provisioning.status).toBe('CANCELLED');
    // Nothing after the steps that were running started: the engine still holds what REMOVE deletes.
    expect(cancelled.provisioning.steps.filter((step) => step.key.startsWith('REMOVE_')).map((step) => step.status)).toEqual(Array(7).fill('PENDING'));
    expect((await inEngine(tenant)).company).toBeDefined();

    const continued = await runToEnd(CONTINUE, { tenantId: tenant.id }, stopped.at(-1)!.seq);
    expect(continued.accepted).toMatchObject({ id: accepted.deprovisionTenant.id, status: 'IN_PROGRESS' });
    expect(continued.run.kind).toBe('DEPROVISION');
    expect(continued.events[0]!.message).toBe('Deprovisioning (REMOVE): continue requested by admin@platform.test');
    expect(continued.events.at(-1)!.type).toBe('RUN_COMPLETED');
    expect(continued.tenant.provisioningStatus).toBe('DEPROVISIONED');
    expect(await inEngine(tenant)).toMatchObject({ company: undefined, profile: undefined, user: undefined, sessions: [] });
  });
});
