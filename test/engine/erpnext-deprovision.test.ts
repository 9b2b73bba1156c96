import { beforeEach, describe, expect, it } from '@jest/globals';
import { ErpNextClient } from '../../src/engine/erpnext/index.js';
import { EngineError } from '../../src/engine/errors.js';
import type { DeprovisionResult } from '../../src/engine/port.js';
import { credentialsOf, sandboxForSuite } from '../support/engine-sandbox.js';
import { CASHIER, COMPANY, MAIN_STORE, POS_OPENING, POS_PROFILE, POS_STORE, SUGAR, WALK_IN } from '../support/engine-fixtures.js';
import { closingEntryFor, postDoc, receiptStockEntry, saleGlEntry } from '../support/engine-transactions.js';

const engine = sandboxForSuite();
let client: ErpNextClient;
const YEAR = new Date().getFullYear();
const PROFILE = POS_PROFILE.name;

beforeEach(() => {
  client = new ErpNextClient(credentialsOf(engine.sandbox));
});

/** What the provisioning steps create, through the same ensure* operations; returns the open session. */
async function provisionTenant(): Promise<string> {
  await client.ensureUser(CASHIER);
  await client.ensureCompany(COMPANY);
  await client.ensureWarehouse(MAIN_STORE);
  await client.ensureWarehouse(POS_STORE);
  await client.ensureItem(SUGAR);
  await client.ensureCustomer(WALK_IN);
  await client.ensurePosProfile(POS_PROFILE);
  return (await client.ensureOpenPosOpeningEntry(POS_OPENING)).name;
}

async function disableTenant() {
  return {
    sessions: await client.closePosSessions({ posProfile: PROFILE }),
    profile: await client.disablePosProfile(PROFILE),
    user: await client.disableUser(CASHIER.email),
  };
}

async function removeTenant(): Promise<DeprovisionResult[]> {
  return [
    ...(await client.removePosSessions(PROFILE)),
    await client.removePosProfile(PROFILE),
    await client.removeCustomer(WALK_IN.customerName),
    await client.removeItem(SUGAR.itemCode),
    await client.removeWarehouse('POS Store - AL'),
    await client.removeWarehouse('Main Store - AL'),
    await client.removeCompany(COMPANY.companyName),
    await client.removeUser(CASHIER.email),
  ];
}

/** Names of everything of the tenant the engine still holds, by doctype. */
async function tenantInEngine(): Promise<Record<string, string[]>> {
  const state = await engine.control.state();
  const names = (doctype: string, pick: (doc: Record<string, unknown>) => boolean) => (state[doctype] ?? []).filter(pick).map((doc) => doc.name);
  const ofCompany = (doc: Record<string, unknown>) => doc.company === COMPANY.companyName;
  return {
    sessions: [...names('POS Closing Entry', ofCompany), ...names('POS Opening Entry', ofCompany)],
    profile: names('POS Profile', (doc) => doc.name === PROFILE),
    customer: names('Customer', (doc) => doc.customer_name === WALK_IN.customerName),
    item: names('Item', (doc) => doc.name === SUGAR.itemCode),
    company: names('Company', (doc) => doc.name === COMPANY.companyName),
    warehouses: names('Warehouse', ofCompany),
    accounts: names('Account', ofCompany),
    departments: names('Department', ofCompany),
    user: names('User', (doc) => doc.name === CASHIER.email),
  };
}

const NOTHING = { sessions: [], profile: [], customer: [], item: [], company: [], warehouses: [], accounts: [], departments: [], user: [] };

describe('DISABLE: close the POS sessions, disable the profile and the user', () => {
  it('closes the open session, disables the profile and the user, and a second run changes nothing', async () => {
    const session = await provisionTenant();
    expect(await disableTenant()).toEqual({
      sessions: [{ name: session, outcome: 'closed' }],
      profile: { name: PROFILE, outcome: 'disabled' },
      user: { name: CASHIER.email, outcome: 'disabled' },
    });
    expect(await engine.control.docs('POS Opening Entry', { name: session })).toEqual([expect.objectContaining({ docstatus: 2, status: 'Cancelled' })]);
    expect(await engine.control.docs('POS Profile', { name: PROFILE })).toEqual([expect.objectContaining({ disabled: 1 })]);
    expect(await engine.control.docs('User', { name: CASHIER.email })).toEqual([expect.objectContaining({ enabled: 0 })]);

    expect(await disableTenant()).toEqual({
      sessions: [],
      profile: { name: PROFILE, outcome: 'disabled', reason: 'already disabled' },
      user: { name: CASHIER.email, outcome: 'disabled', reason: 'already disabled' },
    });
    const reopening = await client.ensureOpenPosOpeningEntry(POS_OPENING).catch((error: unknown) => error);
    expect(reopening).toBeInstanceOf(EngineError);
    expect((reopening as EngineError).engineMessage).toBe(`POS Profile ${PROFILE} is disabled.`);
  });

  it('is undone by provisioning again: ensureUser and ensurePosProfile enable what it disabled, and a session opens', async () => {
    const closed = await provisionTenant();
    await disableTenant();
    expect(await client.ensureUser(CASHIER)).toMatchObject({ name: CASHIER.email, created: false, doc: { enabled: 1 } });
    expect(await client.ensurePosProfile(POS_PROFILE)).toMatchObject({ name: PROFILE, created: false, doc: { disabled: 0 } });
    const reopened = await client.ensureOpenPosOpeningEntry(POS_OPENING);
    expect(reopened).toMatchObject({ created: true, doc: { status: 'Open' } });
    expect(reopened.name).not.toBe(closed);
  });

  it("closes only the given cashier's sessions", async () => {
    const session = await provisionTenant();
    expect(await client.closePosSessions({ posProfile: PROFILE, user: 'someone-else@acme.test' })).toEqual([]);
    expect(await engine.control.docs('POS Opening Entry', { name: session })).toEqual([expect.objectContaining({ status: 'Open' })]);
    expect(await client.closePosSessions({ posProfile: PROFILE, user: CASHIER.email })).toEqual([{ name: session, outcome: 'closed' }]);
    expect(await engine.control.docs('POS Opening Entry', { status: 'Open' })).toEqual([]);
  });

  it('keeps the profile enabled while a session is open, with ERPNext\'s reason', async () => {
    await provisionTenant();
    expect(await client.disablePosProfile(PROFILE)).toEqual({
      name: PROFILE,
      outcome: 'kept',
      reason: `POS Profile ${PROFILE} cannot be disabled as there are ongoing POS sessions.`,
    });
    expect(await engine.control.docs('POS Profile', { name: PROFILE })).toEqual([expect.objectContaining({ disabled: 0 })]);
  });

  it('reports a session ERPNext refuses to cancel (417) as kept, still open', async () => {
    const session = await provisionTenant();
    await engine.control.setFaults({ failNext: { doctype: 'POS Opening Entry', method: 'POST', status: 417 } });
    expect(await client.closePosSessions({ posProfile: PROFILE })).toEqual([
      { name: session, outcome: 'kept', reason: 'Sandbox fault: injected HTTP 417' },
    ]);
    expect(await engine.control.docs('POS Opening Entry', { name: session })).toEqual([expect.objectContaining({ status: 'Open' })]);
  });

  it('never disables or deletes the user of its own API key; ERPNext itself keeps Guest', async () => {
    const ownUser = { name: 'administrator', outcome: 'kept', reason: "it is the user of this service's own API key" };
    expect(await client.disableUser('Administrator')).toEqual(ownUser);
    expect(await client.removeUser('Administrator')).toEqual(ownUser);
    expect(await client.disableUser('Guest')).toEqual({ name: 'Guest', outcome: 'kept', reason: 'User Guest cannot be disabled' });
    expect(await engine.control.docs('User', { name: 'Administrator' })).toEqual([expect.objectContaining({ enabled: 1 })]);
    expect(await engine.control.docs('User', { name: 'Guest' })).toEqual([expect.objectContaining({ enabled: 1 })]);
  });
});

describe('REMOVE: delete what provisioning created, in reverse order', () => {
  it('after DISABLE deletes everything the tenant had, and a second run finds it all gone', async () => {
    const session = await provisionTenant();
    await disableTenant();
    expect(await removeTenant()).toEqual([
      { name: session, outcome: 'deleted' },
      { name: PROFILE, outcome: 'deleted' },
      { name: WALK_IN.customerName, outcome: 'deleted' },
      { name: SUGAR.itemCode, outcome: 'deleted' },
      { name: 'POS Store - AL', outcome: 'deleted' },
      { name: 'Main Store - AL', outcome: 'deleted' },
      { name: COMPANY.companyName, outcome: 'deleted' },
      { name: CASHIER.email, outcome: 'deleted' },
    ]);
    expect(await tenantInEngine()).toEqual(NOTHING);
    expect((await engine.control.docs('Mode of Payment', { name: 'Cash' }))[0]).not.toHaveProperty('accounts.0');

    expect(await removeTenant()).toEqual([
      { name: PROFILE, outcome: 'already-gone' },
      { name: WALK_IN.customerName, outcome: 'already-gone' },
      { name: SUGAR.itemCode, outcome: 'already-gone' },
      { name: 'POS Store - AL', outcome: 'already-gone' },
      { name: 'Main Store - AL', outcome: 'already-gone' },
      { name: COMPANY.companyName, outcome: 'already-gone' },
      { name: CASHIER.email, outcome: 'already-gone' },
    ]);
  });

  it('without DISABLE cancels the open session itself before deleting it', async () => {
    const session = await provisionTenant();
    expect(await client.removePosSessions(PROFILE)).toEqual([{ name: session, outcome: 'deleted' }]);
    expect((await tenantInEngine()).sessions).toEqual([]);
  });

  it('cancels and deletes a session a cashier closed, around a session opened after it', async () => {
    const closed = await provisionTenant();
    const [opening] = await engine.control.docs('POS Opening Entry', { name: closed });
    const closing = await postDoc(engine.sandbox, 'POS Closing Entry', closingEntryFor(opening!));
    const reopened = (await client.ensureOpenPosOpeningEntry(POS_OPENING)).name;
    expect(reopened).not.toBe(closed);

    expect(await client.removePosSessions(PROFILE)).toEqual([
      { name: closing.name, outcome: 'deleted' },
      { name: closed, outcome: 'deleted' },
      { name: reopened, outcome: 'deleted' },
    ]);
    expect((await tenantInEngine()).sessions).toEqual([]);
    expect(await client.removePosSessions(PROFILE)).toEqual([]);
  });

  it('keeps a company with transactions, and what its ledgers name, each with the reason', async () => {
    const session = await provisionTenant();
    await disableTenant();
    const sale = await postDoc(engine.sandbox, 'GL Entry', saleGlEntry(COMPANY.companyName, 'AL'));
    const receipt = await postDoc(engine.sandbox, 'Stock Ledger Entry', receiptStockEntry(COMPANY.companyName, 'Main Store - AL', SUGAR.itemCode));

    expect(await removeTenant()).toEqual([
      { name: session, outcome: 'deleted' },
      { name: PROFILE, outcome: 'deleted' },
      { name: WALK_IN.customerName, outcome: 'deleted' },
      {
        name: SUGAR.itemCode,
        outcome: 'kept',
        reason: `Cannot delete or cancel because Item ${SUGAR.itemCode} is linked with Stock Ledger Entry ${receipt.name}`,
      },
      { name: 'POS Store - AL', outcome: 'deleted' },
      { name: 'Main Store - AL', outcome: 'kept', reason: 'Warehouse can not be deleted as stock ledger entry exists for this warehouse.' },
      { name: COMPANY.companyName, outcome: 'kept', reason: `it has transactions: GL Entry ${sale.name} refers to it` },
      { name: CASHIER.email, outcome: 'deleted' },
    ]);
    expect(sale.name).toBe(`ACC-GLE-${YEAR}-00001`);
    const left = await tenantInEngine();
    expect(left).toMatchObject({ item: [SUGAR.itemCode], company: [COMPANY.companyName], sessions: [], profile: [], user: [] });
    expect(left.warehouses).toContain('Main Store - AL');
    expect(left.warehouses).not.toContain('POS Store - AL');
    expect(left.accounts).toContain('Cash - AL');
  });

  it("keeps a company something still names, with ERPNext's LinkExistsError message", async () => {
    await provisionTenant();
    expect(await client.removeCompany(COMPANY.companyName)).toEqual({
      name: COMPANY.companyName,
      outcome: 'kept',
      reason: `Cannot delete or cancel because Company ${COMPANY.companyName} is linked with POS Profile ${PROFILE}`,
    });
    const left = await tenantInEngine();
    expect(left.company).toEqual([COMPANY.companyName]);
    expect(left.warehouses).toHaveLength(7);
    expect(left.departments).toHaveLength(13);
  });

  it('finds the customer deleted when the answer to its delete was lost', async () => {
    await provisionTenant();
    await client.removePosSessions(PROFILE);
    await client.removePosProfile(PROFILE);
    await engine.control.setFaults({ dropAfterCommit: { doctype: 'Customer', method: 'DELETE' } });
    const lost = await client.removeCustomer(WALK_IN.customerName).catch((error: unknown) => error);
    expect(lost).toBeInstanceOf(EngineError);
    expect(lost).toMatchObject({ code: 'ENGINE_NETWORK', retryable: true });
    expect((await tenantInEngine()).customer).toEqual([]);
    expect(await client.removeCustomer(WALK_IN.customerName)).toEqual({ name: WALK_IN.customerName, outcome: 'already-gone' });
  });

  it("throws transient failures as retryable EngineErrors and the caller's abort as its reason", async () => {
    await client.ensureItem(SUGAR);
    await engine.control.setFaults({ failNext: { doctype: 'Item', method: 'DELETE', status: 503 } });
    const failed = await client.removeItem(SUGAR.itemCode).catch((error: unknown) => error);
    expect(failed).toMatchObject({ code: 'ENGINE_SERVER_ERROR', status: 503, retryable: true });
    const controller = new AbortController();
    const reason = new Error('deprovisioning cancelled');
    controller.abort(reason);
    await expect(client.removeItem(SUGAR.itemCode, { signal: controller.signal })).rejects.toBe(reason);
    expect((await tenantInEngine()).item).toEqual([SUGAR.itemCode]);
    expect(await client.removeItem(SUGAR.itemCode)).toEqual({ name: SUGAR.itemCode, outcome: 'deleted' });
  });
});
