import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startSandbox, type RunningSandbox } from '../../src/engine/sandbox/index.js';
import { closingEntryFor, postDoc, receiptStockEntry, saleGlEntry } from '../support/engine-transactions.js';
import { sandboxClient, serverMessages } from '../support/sandbox-http.js';

const ACME = { company_name: 'Acme Ltd', abbr: 'AL', default_currency: 'KES', country: 'Kenya', chart_of_accounts: 'Standard' };
const YEAR = new Date().getFullYear();

let sandbox: RunningSandbox;
let api: ReturnType<typeof sandboxClient>;

beforeAll(async () => {
  sandbox = await startSandbox();
  api = sandboxClient(sandbox);
});

afterAll(async () => {
  await sandbox.close();
});

beforeEach(async () => {
  await api.reset();
});

async function createAcme(): Promise<Record<string, unknown>> {
  const response = await api.post(api.resource('Company'), ACME);
  expect(response.status).toBe(200);
  return response.body.data as Record<string, unknown>;
}

async function count(doctype: string, filters: unknown): Promise<number> {
  const response = await api.get(
    `/api/method/frappe.client.get_count?doctype=${encodeURIComponent(doctype)}&filters=${encodeURIComponent(JSON.stringify(filters))}`,
  );
  expect(response.status).toBe(200);
  return response.body.message as number;
}

const POS_PROFILE = {
  name: 'Acme Main POS',
  company: 'Acme Ltd',
  currency: 'KES',
  warehouse: 'Stores - AL',
  write_off_account: 'Write Off - AL',
  write_off_cost_center: 'Main - AL',
  cost_center: 'Main - AL',
  payments: [{ mode_of_payment: 'Cash', default: 1 }],
  applicable_for_users: [{ user: 'Administrator', default: 1 }],
};

function openingEntry(profile: string, user = 'Administrator', docstatus = 1) {
  return {
    company: 'Acme Ltd',
    pos_profile: profile,
    user,
    period_start_date: `${YEAR}-02-05 08:00:00`,
    posting_date: `${YEAR}-02-05`,
    balance_details: [{ mode_of_payment: 'Cash', opening_amount: 0 }],
    docstatus,
  };
}

describe('authentication', () => {
  it('answers ping without credentials and with good ones', async () => {
    expect((await api.get('/api/method/ping', { authorization: null })).body).toEqual({ message: 'pong' });
    expect((await api.get('/api/method/ping')).body).toEqual({ message: 'pong' });
    expect((await api.get('/api/v1/method/frappe.ping/')).body).toEqual({ message: 'pong' });
  });

  it('authenticates before routing: ping with a bad token is 401', async () => {
    const response = await api.get('/api/method/ping', { authorization: `token ${sandbox.apiKey}:wrong` });
    expect(response.status).toBe(401);
    expect(response.body.exc_type).toBe('AuthenticationError');
    expect(response.body._server_messages).toBeUndefined();
    expect((await api.get('/api/method/ping', { authorization: 'token nobody:nothing' })).status).toBe(401);
    expect((await api.get('/api/method/ping', { authorization: 'Bearer whatever' })).status).toBe(401);
  });

  it('accepts Basic credentials and rejects undecodable base64 with 400', async () => {
    const basic = `Basic ${Buffer.from(`${sandbox.apiKey}:${sandbox.apiSecret}`).toString('base64')}`;
    const logged = await api.get('/api/method/frappe.auth.get_logged_user', { authorization: basic });
    expect(logged.body).toEqual({ message: 'Administrator' });
    const bad = await api.get('/api/method/frappe.auth.get_logged_user', { authorization: 'Basic abc' });
    expect(bad.status).toBe(400);
    expect(bad.body.exc_type).toBe('InvalidAuthorizationToken');
  });

  it('treats a missing header, or one not in two parts, as Guest: 403 on resources', async () => {
    const guest = await api.get(api.resource('Company'), { authorization: null });
    expect(guest.status).toBe(403);
    expect(guest.body.exc_type).toBe('PermissionError');
    expect(guest.body._error_message).toBe('No permission for Company');
    const threeParts = await api.get(api.resource('Company'), { authorization: `token ${sandbox.apiKey}:${sandbox.apiSecret} x` });
    expect(threeParts.status).toBe(403);
  });

  it('checks roles of non-administrator users created over the API', async () => {
    const created = await api.post(api.resource('User'), {
      email: 'Cashier@Acme.test',
      first_name: 'Cashier',
      api_key: 'cashier-key',
      api_secret: 'cashier-secret',
      roles: [{ role: 'Sales User' }],
    });
    expect(created.status).toBe(200);
    expect(created.body.data).toMatchObject({ name: 'cashier@acme.test', api_secret: '**************' });
    const cashier = { authorization: 'token cashier-key:cashier-secret' };
    expect((await api.get('/api/method/frappe.auth.get_logged_user', cashier)).body.message).toBe('cashier@acme.test');
    const denied = await api.post(api.resource('Company'), ACME, cashier);
    expect(denied.status).toBe(403);
    expect(denied.body._error_message).toContain("You need the 'create' permission on <strong>Company</strong>");
    const updated = await api.put(api.resource('User', 'cashier@acme.test'), {
      roles: [{ role: 'Sales User' }, { role: 'System Manager' }],
    });
    expect((updated.body.data as { roles: unknown[] }).roles).toHaveLength(2);
    expect((await api.post(api.resource('Company'), ACME, cashier)).status).toBe(200);
  });
});

describe('errors and routing', () => {
  it('answers 404 without traceback keys, with the message in _server_messages', async () => {
    const missing = await api.get(api.resource('Company', 'Nope'));
    expect(missing.status).toBe(404);
    expect(missing.body.exc_type).toBe('DoesNotExistError');
    expect(missing.body.exception).toBeUndefined();
    expect(missing.body.exc).toBeUndefined();
    expect(serverMessages(missing.body)[0]).toMatchObject({ message: 'Company Nope not found', indicator: 'red', raise_exception: 1 });
    const unknown = await api.get('/api/resource/Foo');
    expect(unknown.status).toBe(404);
    expect(serverMessages(unknown.body)[0]?.message).toBe('DocType Foo not found');
  });

  it('reports link and mandatory errors as 417 with Frappe messages', async () => {
    const link = await api.post(api.resource('Warehouse'), { warehouse_name: 'Shop', company: 'Nope Ltd' });
    expect(link.status).toBe(417);
    expect(link.body.exc_type).toBe('LinkValidationError');
    expect(link.body.exception).toBe('frappe.exceptions.LinkValidationError: Could not find Company: Nope Ltd');
    const mandatory = await api.post(api.resource('Company'), { company_name: 'No Currency' });
    expect(mandatory.status).toBe(417);
    expect(mandatory.body.exc_type).toBe('MandatoryError');
    expect(serverMessages(mandatory.body).map((message) => message.message)).toEqual([
      'Error: Value missing for Company: Default Currency',
      'Error: Value missing for Company: Country',
    ]);
  });

  it('deletes with 202 {"data":"ok"} and refuses to delete what is still linked', async () => {
    await createAcme();
    const shop = await api.post(api.resource('Warehouse'), { warehouse_name: 'Shop', company: 'Acme Ltd', parent_warehouse: 'All Warehouses - AL' });
    expect((shop.body.data as Record<string, unknown>).name).toBe('Shop - AL');
    const deleted = await api.delete(api.resource('Warehouse', 'Shop - AL'));
    expect(deleted.status).toBe(202);
    expect(deleted.body).toEqual({ data: 'ok' });
    // Warehouse.on_trash refuses a parent before the link check would.
    const parent = await api.delete(api.resource('Warehouse', 'All Warehouses - AL'));
    expect(parent.status).toBe(417);
    expect(parent.body.exc_type).toBe('ValidationError');
    expect(serverMessages(parent.body)[0]?.message).toBe('Child warehouse exists for this warehouse. You can not delete this warehouse.');
    const company = await api.delete(api.resource('Company', 'Acme Ltd'));
    expect(company.status).toBe(202);
    expect(await count('Account', { company: 'Acme Ltd' })).toBe(0);
    expect((await api.get(api.resource('Mode of Payment', 'Cash'))).body.data).not.toHaveProperty('accounts.0');
  });
});

describe('Company', () => {
  it('creates the chart, warehouses, cost centers, taxes, departments and defaults in one insert', async () => {
    const company = await createAcme();
    expect(company).toMatchObject({
      name: 'Acme Ltd',
      doctype: 'Company',
      docstatus: 0,
      owner: 'Administrator',
      default_receivable_account: 'Debtors - AL',
      default_payable_account: 'Creditors - AL',
      cost_center: 'Main - AL',
      round_off_cost_center: 'Main - AL',
      default_cash_account: 'Cash - AL',
      write_off_account: 'Write Off - AL',
      default_income_account: 'Sales - AL',
      default_inventory_account: 'Stock In Hand - AL',
      create_chart_of_accounts_based_on: 'Standard Template',
    });
    expect(company.default_bank_account).toBeUndefined();
    expect(await count('Account', { company: 'Acme Ltd' })).toBe(82);
    const vat = await api.get(api.resource('Account', 'VAT - AL'));
    expect(vat.body.data).toMatchObject({ parent_account: 'Duties and Taxes - AL', tax_rate: 16, account_type: 'Tax', root_type: 'Liability' });

    const warehouses = await api.get(api.list('Warehouse', { filters: [['company', '=', 'Acme Ltd']], fields: ['name', 'parent_warehouse', 'is_group'], order_by: 'creation asc' }));
    expect(warehouses.body.data).toEqual([
      { name: 'All Warehouses - AL', parent_warehouse: null, is_group: 1 },
      { name: 'Stores - AL', parent_warehouse: 'All Warehouses - AL', is_group: 0 },
      { name: 'Work In Progress - AL', parent_warehouse: 'All Warehouses - AL', is_group: 0 },
      { name: 'Finished Goods - AL', parent_warehouse: 'All Warehouses - AL', is_group: 0 },
      { name: 'Goods In Transit - AL', parent_warehouse: 'All Warehouses - AL', is_group: 0 },
    ]);
    expect(await count('Cost Center', { company: 'Acme Ltd' })).toBe(2);
    expect(await count('Department', { company: 'Acme Ltd' })).toBe(13);
    for (const doctype of ['Sales Taxes and Charges Template', 'Purchase Taxes and Charges Template', 'Item Tax Template']) {
      expect((await api.get(api.resource(doctype, 'Kenya Tax - AL'))).status).toBe(200);
    }
    const sales = (await api.get(api.resource('Sales Taxes and Charges Template', 'Kenya Tax - AL'))).body.data as { taxes: unknown[] };
    expect(sales.taxes[0]).toMatchObject({
      account_head: 'VAT - AL',
      rate: 16,
      description: 'VAT @ 16.0',
      parent: 'Kenya Tax - AL',
      parentfield: 'taxes',
      parenttype: 'Sales Taxes and Charges Template',
      idx: 1,
      doctype: 'Sales Taxes and Charges',
    });
    const cash = (await api.get(api.resource('Mode of Payment', 'Cash'))).body.data as { accounts: unknown[] };
    expect(cash.accounts).toEqual([expect.objectContaining({ company: 'Acme Ltd', default_account: 'Cash - AL', doctype: 'Mode of Payment Account' })]);
    expect((await api.get(api.resource('Currency', 'KES'))).body.data).toMatchObject({ enabled: 1 });
  });

  it('adds 18% VAT for Uganda and nothing for countries without tax data', async () => {
    await api.post(api.resource('Company'), { company_name: 'Kampala Co', abbr: 'KC', default_currency: 'UGX', country: 'Uganda' });
    expect((await api.get(api.resource('Account', 'VAT - KC'))).body.data).toMatchObject({ tax_rate: 18 });
    await api.post(api.resource('Company'), { company_name: 'US Co', abbr: 'USC', default_currency: 'USD', country: 'United States' });
    expect(await count('Account', { company: 'US Co' })).toBe(81);
  });

  it('refuses a second company with the same abbreviation and leaves nothing behind', async () => {
    await createAcme();
    const before = await api.state();
    const clash = await api.post(api.resource('Company'), { ...ACME, company_name: 'Acme Two' });
    expect(clash.status).toBe(417);
    expect(clash.body.exc_type).toBe('ValidationError');
    expect(serverMessages(clash.body)[0]?.message).toBe('Abbreviation already used for another company');
    expect(await api.state()).toEqual(before);
  });

  it('answers 409 DuplicateEntryError for an existing company name', async () => {
    await createAcme();
    const duplicate = await api.post(api.resource('Company'), ACME);
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.exc_type).toBe('DuplicateEntryError');
    expect(serverMessages(duplicate.body)[0]).toMatchObject({ message: 'Company <strong>Acme Ltd</strong> already exists', title: 'Duplicate Name' });
  });

  it('rolls the whole request back when an unknown chart makes the tax step fail (Kenya)', async () => {
    const before = await api.state();
    const failed = await api.post(api.resource('Company'), { ...ACME, chart_of_accounts: 'No Such Chart' });
    expect(failed.status).toBe(500);
    expect(failed.body.exc_type).toBe('IndexError');
    expect(await api.state()).toEqual(before);
    const plain = await api.post(api.resource('Company'), {
      company_name: 'Bare Co', abbr: 'BC', default_currency: 'USD', country: 'United States', chart_of_accounts: 'No Such Chart',
    });
    expect(plain.status).toBe(200);
    expect(await count('Account', { company: 'Bare Co' })).toBe(0);
    expect(await count('Warehouse', { company: 'Bare Co' })).toBe(5);
  });

  it('lets a client build a chart account by account', async () => {
    await api.post(api.resource('Company'), { company_name: 'Bare Co', abbr: 'BC', default_currency: 'USD', country: 'United States', chart_of_accounts: 'None' });
    const root = await api.post(api.resource('Account'), { account_name: 'Application of Funds (Assets)', company: 'Bare Co', is_group: 1, root_type: 'Asset' });
    expect(root.body.data).toMatchObject({ name: 'Application of Funds (Assets) - BC', report_type: 'Balance Sheet', account_currency: 'USD' });
    const leaf = await api.post(api.resource('Account'), { account_name: 'Cash', company: 'Bare Co', parent_account: 'Application of Funds (Assets) - BC', account_type: 'Cash' });
    expect(leaf.body.data).toMatchObject({ name: 'Cash - BC', root_type: 'Asset', is_group: 0 });
    const orphan = await api.post(api.resource('Account'), { account_name: 'Bank', company: 'Bare Co', parent_account: 'Missing - BC' });
    expect(orphan.status).toBe(417);
    expect(orphan.body.exc_type).toBe('LinkValidationError');
    const underLeaf = await api.post(api.resource('Account'), { account_name: 'Petty', company: 'Bare Co', parent_account: 'Cash - BC' });
    expect(serverMessages(underLeaf.body)[0]?.message).toBe('Account Petty - BC: Parent account Cash - BC can not be a ledger');
  });
});

describe('lists', () => {
  beforeEach(async () => {
    await createAcme();
  });

  it('pages with limit_start and limit_page_length (default 20, 0 = all)', async () => {
    const filters = [['company', '=', 'Acme Ltd']];
    expect(((await api.get(api.list('Account', { filters }))).body.data as unknown[]).length).toBe(20);
    const all = (await api.get(api.list('Account', { filters, limit_page_length: 0, order_by: 'name asc' }))).body.data as Array<{ name: string }>;
    expect(all).toHaveLength(82);
    expect(Object.keys(all[0] ?? {})).toEqual(['name']);
    const page = (await api.get(api.list('Account', { filters, limit_page_length: 5, limit_start: 5, order_by: 'name asc' }))).body.data;
    expect(page).toEqual(all.slice(5, 10));
  });

  it('filters with dict and list forms and the common operators', async () => {
    const byDict = await api.get(api.list('Account', { filters: { company: 'Acme Ltd', is_group: 0, account_type: ['in', ['Cash', 'Receivable']] }, fields: ['name'], order_by: 'name asc' }));
    expect(byDict.body.data).toEqual([{ name: 'Cash - AL' }, { name: 'Debtors - AL' }]);
    const like = await api.get(api.list('Account', { filters: [['name', 'like', 'Stock%- AL'], ['is_group', '!=', 1]], fields: ['name', 'account_type'], limit_page_length: 0, order_by: 'name asc' }));
    expect(like.body.data).toEqual([
      { name: 'Stock Adjustment - AL', account_type: 'Stock Adjustment' },
      { name: 'Stock In Hand - AL', account_type: 'Stock' },
      { name: 'Stock Received But Not Billed - AL', account_type: 'Stock Received But Not Billed' },
    ]);
    const roots = await api.get(api.list('Account', { filters: [['Account', 'parent_account', 'is', 'not set'], ['company', '=', 'Acme Ltd']], limit_page_length: 0 }));
    expect(roots.body.data).toHaveLength(5);
    const notIn = await api.get(api.list('Mode of Payment', { filters: [['type', 'not in', ['Bank']]], fields: ['*'] }));
    expect(notIn.body.data).toEqual([expect.objectContaining({ name: 'Cash', type: 'Cash', enabled: 1 })]);
    const newest = (await api.get(api.list('Warehouse', { limit_page_length: 1 }))).body.data;
    expect(newest).toEqual([{ name: 'Goods In Transit - AL' }]);
  });
});

describe('settings and masters', () => {
  it('serves singles under any name and merges PUTs into them', async () => {
    const read = await api.get(api.resource('Selling Settings', 'anything'));
    expect(read.body.data).toMatchObject({ name: 'Selling Settings', doctype: 'Selling Settings', cust_master_name: 'Customer Name' });
    const updated = await api.put(api.resource('Selling Settings', 'Selling Settings'), { customer_group: 'Individual', territory: 'Kenya', selling_price_list: 'Standard Selling' });
    expect(updated.body.data).toMatchObject({ cust_master_name: 'Customer Name', customer_group: 'Individual', territory: 'Kenya' });
    const customer = await api.post(api.resource('Customer'), { customer_name: 'Defaults Ltd' });
    expect(customer.body.data).toMatchObject({ customer_group: 'Individual', territory: 'Kenya', customer_type: 'Company' });
  });

  it('rejects a group warehouse as the Stock Settings default', async () => {
    await createAcme();
    const group = await api.put(api.resource('Stock Settings', 'Stock Settings'), { default_warehouse: 'All Warehouses - AL' });
    expect(group.status).toBe(417);
    expect(serverMessages(group.body)[0]).toMatchObject({
      message: 'Group Warehouses cannot be used in transactions. Please change the value of <strong>Default Warehouse</strong>',
      title: 'Incorrect Warehouse',
    });
    expect((await api.put(api.resource('Stock Settings', 'x'), { default_warehouse: 'Stores - AL' })).status).toBe(200);
  });

  it('names items by item code and refuses duplicates with 409', async () => {
    const item = await api.post(api.resource('Item'), { item_code: 'SUGAR-1KG', item_name: 'Sugar 1kg', item_group: 'Products', stock_uom: 'Nos' });
    expect(item.body.data).toMatchObject({ name: 'SUGAR-1KG', description: 'Sugar 1kg', is_stock_item: 1, uoms: [expect.objectContaining({ uom: 'Nos', conversion_factor: 1 })] });
    expect((await api.post(api.resource('Item'), { item_code: 'SUGAR-1KG', item_group: 'Products', stock_uom: 'Nos' })).status).toBe(409);
  });

  it('suffixes duplicate customer names with an alert, and refuses a Customer Group name with 409', async () => {
    const walkIn = { customer_name: 'Walk-in Customer', customer_type: 'Individual', customer_group: 'Individual', territory: 'Kenya' };
    expect((await api.post(api.resource('Customer'), walkIn)).body.data).toMatchObject({ name: 'Walk-in Customer' });
    const second = await api.post(api.resource('Customer'), walkIn);
    expect(second.status).toBe(200);
    expect(second.body.data).toMatchObject({ name: 'Walk-in Customer - 1', customer_name: 'Walk-in Customer' });
    expect(serverMessages(second.body)[0]).toMatchObject({
      message: "Changed customer name to 'Walk-in Customer - 1' as 'Walk-in Customer' already exists.",
      alert: 1,
      indicator: 'yellow',
    });
    expect((await api.post(api.resource('Customer'), walkIn)).body.data).toMatchObject({ name: 'Walk-in Customer - 2' });
    const clash = await api.post(api.resource('Customer'), { ...walkIn, customer_name: 'Commercial' });
    expect(clash.status).toBe(409);
    expect(clash.body.exc_type).toBe('NameError');
    expect(await count('Customer', { customer_name: 'Commercial' })).toBe(0);
  });

  it('detects a stale modified timestamp on PUT (TimestampMismatchError)', async () => {
    const created = (await api.post(api.resource('Customer'), { customer_name: 'Lock Co', customer_group: 'Commercial', territory: 'Kenya' })).body.data as { modified: string };
    const first = await api.put(api.resource('Customer', 'Lock Co'), { modified: created.modified, territory: 'Uganda' });
    expect(first.status).toBe(200);
    const stale = await api.put(api.resource('Customer', 'Lock Co'), { modified: created.modified, territory: 'Kenya' });
    expect(stale.status).toBe(417);
    expect(stale.body.exc_type).toBe('TimestampMismatchError');
    expect(serverMessages(stale.body)[0]?.message).toMatch(/^Error: Document has been modified after you have opened it/);
  });

  it('replaces child tables on PUT, keeping rows by name', async () => {
    const mode = (await api.post(api.resource('Mode of Payment'), { mode_of_payment: 'M-Pesa', type: 'Phone' })).body.data;
    expect(mode).toMatchObject({ name: 'M-Pesa', enabled: 1 });
    await createAcme();
    const withRow = (await api.put(api.resource('Mode of Payment', 'M-Pesa'), { accounts: [{ company: 'Acme Ltd', default_account: 'Cash - AL' }] })).body.data as { accounts: Array<{ name: string }> };
    const rowName = withRow.accounts[0]?.name;
    const kept = (await api.put(api.resource('Mode of Payment', 'M-Pesa'), { accounts: [{ name: rowName, company: 'Acme Ltd', default_account: 'Cash - AL' }] })).body.data as { accounts: Array<{ name: string }> };
    expect(kept.accounts.map((row) => row.name)).toEqual([rowName]);
    const wrong = await api.put(api.resource('Mode of Payment', 'M-Pesa'), { accounts: [{ company: 'Acme Ltd', default_account: 'Cash - AL' }, { company: 'Acme Ltd', default_account: 'Cash - AL' }] });
    expect(serverMessages(wrong.body)[0]?.message).toBe('Same Company is entered more than once');
  });
});

describe('POS Profile', () => {
  beforeEach(async () => {
    await createAcme();
  });

  it('needs a name, payment methods, exactly one default, and accounts for every mode', async () => {
    const post = (body: Record<string, unknown>) => api.post(api.resource('POS Profile'), { ...POS_PROFILE, ...body });
    const firstMessage = async (body: Record<string, unknown>) => serverMessages((await post(body)).body)[0];
    const { name: _name, ...unnamed } = POS_PROFILE;
    const noName = await api.post(api.resource('POS Profile'), unnamed);
    expect(noName.status).toBe(417);
    expect(serverMessages(noName.body)[0]?.message).toBe('Please set the document name');
    expect((await firstMessage({ payments: [] }))?.message).toBe('Payment methods are mandatory. Please add at least one payment method.');
    expect((await firstMessage({ payments: [{ mode_of_payment: 'Cash', default: 0 }] }))?.message).toBe('Please select a default mode of payment');
    expect((await firstMessage({ payments: [{ mode_of_payment: 'Cash', default: 1 }, { mode_of_payment: 'Credit Card', default: 1 }] }))?.message).toBe('You can only select one mode of payment as default');
    const missing = await firstMessage({ payments: [{ mode_of_payment: 'Cash', default: 1 }, { mode_of_payment: 'Credit Card' }] });
    expect(missing).toMatchObject({ title: 'Missing Account' });
    expect(missing?.message).toContain('Please set default Cash or Bank account in Mode of Payments <a href=');
    await api.post(api.resource('Company'), { company_name: 'Other Co', abbr: 'OC', default_currency: 'KES', country: 'Kenya' });
    expect((await firstMessage({ warehouse: 'Stores - OC' }))?.message).toBe('Stores - OC does not belong to Company Acme Ltd');
    expect((await api.get(api.list('POS Profile', {}))).body.data).toEqual([]);
  });

  it('creates the profile with child rows and allows one default profile per user and company', async () => {
    const created = await api.post(api.resource('POS Profile'), POS_PROFILE);
    expect(created.status).toBe(200);
    expect(created.body.data).toMatchObject({
      name: 'Acme Main POS',
      write_off_limit: 1,
      payments: [expect.objectContaining({ mode_of_payment: 'Cash', default: 1, parent: 'Acme Main POS', parentfield: 'payments', parenttype: 'POS Profile', idx: 1, doctype: 'POS Payment Method' })],
    });
    expect((await api.post(api.resource('POS Profile'), POS_PROFILE)).status).toBe(409);
    const second = await api.post(api.resource('POS Profile'), { ...POS_PROFILE, name: 'Acme Second POS' });
    expect(second.status).toBe(417);
    expect(serverMessages(second.body)[0]?.message).toBe('Already set default in pos profile Acme Main POS for user Administrator, kindly disabled default');
    const viaNewname = await api.post(api.resource('POS Profile'), { ...POS_PROFILE, name: undefined, __newname: 'Acme Second POS', applicable_for_users: [] });
    expect(viaNewname.body.data).toMatchObject({ name: 'Acme Second POS' });
  });
});

describe('POS Opening Entry', () => {
  beforeEach(async () => {
    await createAcme();
    await api.post(api.resource('POS Profile'), POS_PROFILE);
    await api.post(api.resource('POS Profile'), { ...POS_PROFILE, name: 'Acme Second POS', applicable_for_users: [] });
    await api.post(api.resource('User'), { email: 'cashier2@acme.test', first_name: 'Second', roles: [{ role: 'Sales Manager' }] });
  });

  it('submits on insert with docstatus 1, named POS-OPE-YYYY-#####, status Open', async () => {
    const opened = await api.post(api.resource('POS Opening Entry'), openingEntry('Acme Main POS'));
    expect(opened.status).toBe(200);
    expect(opened.body.data).toMatchObject({ name: `POS-OPE-${YEAR}-00001`, docstatus: 1, status: 'Open' });
  });

  it('allows one open entry per profile and per cashier', async () => {
    await api.post(api.resource('POS Opening Entry'), openingEntry('Acme Main POS'));
    const sameProfile = await api.post(api.resource('POS Opening Entry'), openingEntry('Acme Main POS', 'cashier2@acme.test'));
    expect(sameProfile.status).toBe(417);
    expect(serverMessages(sameProfile.body)[0]).toMatchObject({
      title: 'POS Opening Entry Exists',
      message: '<strong>Acme Main POS</strong> is open. Close the POS or cancel the existing POS Opening Entry to create a new POS Opening Entry.',
    });
    const sameCashier = await api.post(api.resource('POS Opening Entry'), openingEntry('Acme Second POS'));
    expect(serverMessages(sameCashier.body)[0]).toMatchObject({ title: 'Cannot Assign Cashier', message: 'Cashier is currently assigned to another POS.' });
    const open = await api.get(api.list('POS Opening Entry', { filters: [['status', '=', 'Open'], ['docstatus', '=', 1], ['pos_profile', '=', 'Acme Main POS']], fields: ['name', 'user'] }));
    expect(open.body.data).toEqual([{ name: `POS-OPE-${YEAR}-00001`, user: 'Administrator' }]);
  });

  it('goes from Draft to Open when a PUT submits it', async () => {
    const draft = (await api.post(api.resource('POS Opening Entry'), openingEntry('Acme Main POS', 'Administrator', 0))).body.data as { name: string };
    expect(draft).toMatchObject({ status: 'Draft', docstatus: 0 });
    const submitted = await api.put(api.resource('POS Opening Entry', draft.name), { docstatus: 1 });
    expect(submitted.body.data).toMatchObject({ status: 'Open', docstatus: 1 });
    const back = await api.put(api.resource('POS Opening Entry', draft.name), { docstatus: 0 });
    expect(back.body.exc_type).toBe('DocstatusTransitionError');
  });

  it('lets older-version behaviour open several entries when openEntryRules is off', async () => {
    const legacy = await startSandbox({ openEntryRules: false, allowErrorTraceback: false });
    try {
      const legacyApi = sandboxClient(legacy);
      await legacyApi.post(legacyApi.resource('Company'), ACME);
      await legacyApi.post(legacyApi.resource('POS Profile'), POS_PROFILE);
      for (const expected of [1, 2]) {
        const entry = await legacyApi.post(legacyApi.resource('POS Opening Entry'), openingEntry('Acme Main POS'));
        expect(entry.body.data).toMatchObject({ name: `POS-OPE-${YEAR}-0000${expected}`, status: 'Open' });
      }
      const error = await legacyApi.post(legacyApi.resource('Company'), ACME);
      expect(error.body.exception).toBeUndefined();
      expect(error.body.exc_type).toBe('DuplicateEntryError');
    } finally {
      await legacy.close();
    }
  });

  it('creates a submitted entry for the session user through create_opening_voucher', async () => {
    const voucher = await api.post('/api/method/erpnext.selling.page.point_of_sale.point_of_sale.create_opening_voucher', {
      pos_profile: 'Acme Main POS',
      company: 'Acme Ltd',
      balance_details: JSON.stringify([{ mode_of_payment: 'Cash', opening_amount: 0 }]),
    });
    expect(voucher.body.message).toMatchObject({ user: 'Administrator', status: 'Open', docstatus: 1 });
  });
});

const CANCEL = '/api/method/frappe.client.cancel';
const messagesOf = (body: Record<string, unknown>) => serverMessages(body).map((message) => message.message);
const formLink = (doctype: string, name: string) => `<a href="/app/Form/${doctype}/${name}">${name}</a>`;

describe('deleting, cancelling and disabling (frappe model/delete_doc.py, Document.cancel)', () => {
  beforeEach(async () => {
    await createAcme();
    expect((await api.post(api.resource('POS Profile'), POS_PROFILE)).status).toBe(200);
  });

  const openSession = async () => (await api.post(api.resource('POS Opening Entry'), openingEntry('Acme Main POS'))).body.data as Record<string, unknown> & { name: string };

  it('answers the delete of a missing document with a bare 404', async () => {
    const missing = await api.delete(api.resource('Customer', 'Nobody'));
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ exc_type: 'DoesNotExistError' });
  });

  it('refuses to delete a linked document (LinkExistsError), suggesting to disable what can be disabled, and rolls on_trash back', async () => {
    const warehouse = await api.delete(api.resource('Warehouse', 'Stores - AL'));
    expect(warehouse.status).toBe(417);
    expect(warehouse.body.exc_type).toBe('LinkExistsError');
    expect(warehouse.body.exception).toBe('frappe.exceptions.LinkExistsError: You can disable this Warehouse instead of deleting it.');
    expect(messagesOf(warehouse.body)).toEqual([
      `Cannot delete or cancel because Warehouse ${formLink('Warehouse', 'Stores - AL')} is linked with POS Profile ${formLink('POS Profile', 'Acme Main POS')} `,
      'You can disable this Warehouse instead of deleting it.',
    ]);
    const company = await api.delete(api.resource('Company', 'Acme Ltd'));
    expect(company.status).toBe(417);
    expect(messagesOf(company.body)).toEqual([
      `Cannot delete or cancel because Company ${formLink('Company', 'Acme Ltd')} is linked with POS Profile ${formLink('POS Profile', 'Acme Main POS')} `,
    ]);
    expect(await count('Account', { company: 'Acme Ltd' })).toBe(82);
    expect(await count('Department', { company: 'Acme Ltd' })).toBe(13);
    expect(await count('Warehouse', { company: 'Acme Ltd' })).toBe(5);
  });

  it('deletes a submitted document only once cancelled; a cancelled one still links what it names', async () => {
    const { name } = await openSession();
    const submitted = await api.delete(api.resource('POS Opening Entry', name));
    expect(submitted.status).toBe(417);
    expect(submitted.body.exc_type).toBe('ValidationError');
    expect(messagesOf(submitted.body)).toEqual([
      `POS Opening Entry ${name}: Submitted Record cannot be deleted. You must <a href='https://docs.erpnext.com//docs/user/manual/en/setting-up/articles/delete-submitted-document' target='_blank'> Cancel </a> it first.`,
    ]);
    const cancelled = await api.post(CANCEL, { doctype: 'POS Opening Entry', name });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.message).toMatchObject({ name, docstatus: 2, status: 'Cancelled' });
    const again = await api.post(CANCEL, { doctype: 'POS Opening Entry', name });
    expect(again.status).toBe(417);
    expect(messagesOf(again.body)).toEqual(['Cannot edit cancelled document']);
    const profile = await api.delete(api.resource('POS Profile', 'Acme Main POS'));
    expect(profile.body.exc_type).toBe('LinkExistsError');
    expect(messagesOf(profile.body)[0]).toContain(`is linked with POS Opening Entry ${formLink('POS Opening Entry', name)}`);
    expect((await api.delete(api.resource('POS Opening Entry', name))).status).toBe(202);
    expect((await api.delete(api.resource('POS Profile', 'Acme Main POS'))).status).toBe(202);
    const state = await api.state();
    expect(state['POS Opening Entry']).toEqual([]);
    expect(state['POS Profile']).toEqual([]);
  });

  it('cancels only submitted documents, also through PUT docstatus 2 and run_method', async () => {
    const draft = (await api.post(api.resource('POS Opening Entry'), openingEntry('Acme Main POS', 'Administrator', 0))).body.data as { name: string };
    const fromDraft = await api.post(CANCEL, { doctype: 'POS Opening Entry', name: draft.name });
    expect(fromDraft.body.exc_type).toBe('DocstatusTransitionError');
    expect(messagesOf(fromDraft.body)).toEqual(['Cannot change docstatus from 0 (Draft) to 2 (Cancelled)']);
    expect((await api.put(api.resource('POS Opening Entry', draft.name), { docstatus: 1 })).body.data).toMatchObject({ status: 'Open' });
    const viaPut = await api.put(api.resource('POS Opening Entry', draft.name), { docstatus: 2 });
    expect(viaPut.body.data).toMatchObject({ docstatus: 2, status: 'Cancelled' });
    const { name } = await openSession();
    const viaRunMethod = await api.post(api.resource('POS Opening Entry', name), { run_method: 'cancel' });
    expect(viaRunMethod.body.data).toMatchObject({ docstatus: 2, status: 'Cancelled' });
  });

  it('closes a session with a POS Closing Entry, whose cancel re-opens it and waits while the profile is open', async () => {
    const opening = await openSession();
    const closing = await postDoc(sandbox, 'POS Closing Entry', closingEntryFor(opening));
    expect(closing).toMatchObject({ name: `POS-CLO-${YEAR}-00001`, docstatus: 1, status: 'Submitted' });
    expect((await api.get(api.resource('POS Opening Entry', opening.name))).body.data).toMatchObject({ status: 'Closed', pos_closing_entry: closing.name });
    const closedTwice = await api.post(api.resource('POS Closing Entry'), closingEntryFor(opening));
    expect(serverMessages(closedTwice.body)[0]).toMatchObject({ title: 'Invalid Opening Entry', message: 'Selected POS Opening Entry should be open.' });
    const linked = await api.post(CANCEL, { doctype: 'POS Opening Entry', name: opening.name });
    expect(linked.body.exc_type).toBe('LinkExistsError');
    expect(messagesOf(linked.body)[0]).toContain(`is linked with POS Closing Entry ${formLink('POS Closing Entry', closing.name)}`);

    const next = await openSession();
    const whileOpen = await api.post(CANCEL, { doctype: 'POS Closing Entry', name: closing.name });
    expect(serverMessages(whileOpen.body)[0]).toMatchObject({
      title: 'Cannot cancel POS Closing Entry',
      message: 'POS Profile - <strong>Acme Main POS</strong> is currently open. Please close the POS or cancel the existing POS Opening Entry before cancelling this POS Closing Entry.',
    });
    await api.post(CANCEL, { doctype: 'POS Opening Entry', name: next.name });
    const reopening = await api.post(CANCEL, { doctype: 'POS Closing Entry', name: closing.name });
    expect(reopening.body.message).toMatchObject({ docstatus: 2, status: 'Cancelled' });
    const reopened = (await api.get(api.resource('POS Opening Entry', opening.name))).body.data;
    expect(reopened).toMatchObject({ docstatus: 1, status: 'Open' });
    expect(reopened).not.toHaveProperty('pos_closing_entry');
  });

  it('keeps a profile with an open session enabled, and a disabled profile opens no session', async () => {
    const { name } = await openSession();
    const refused = await api.put(api.resource('POS Profile', 'Acme Main POS'), { disabled: 1 });
    expect(refused.status).toBe(417);
    expect(messagesOf(refused.body)).toEqual(['POS Profile <strong>Acme Main POS</strong> cannot be disabled as there are ongoing POS sessions.']);
    await api.post(CANCEL, { doctype: 'POS Opening Entry', name });
    expect((await api.put(api.resource('POS Profile', 'Acme Main POS'), { disabled: 1 })).body.data).toMatchObject({ disabled: 1 });
    const opening = await api.post(api.resource('POS Opening Entry'), openingEntry('Acme Main POS'));
    expect(opening.status).toBe(417);
    expect(messagesOf(opening.body)).toEqual(['POS Profile <strong>Acme Main POS</strong> is disabled.']);
  });

  it('deletes the company\'s own records in on_trash, but keeps the company while a GL Entry refers to it', async () => {
    await api.delete(api.resource('POS Profile', 'Acme Main POS'));
    const entry = await postDoc(sandbox, 'GL Entry', saleGlEntry('Acme Ltd', 'AL'));
    const kept = await api.delete(api.resource('Company', 'Acme Ltd'));
    expect(kept.status).toBe(417);
    expect(kept.body.exc_type).toBe('LinkExistsError');
    expect(messagesOf(kept.body)[0]).toMatch(/^Cannot delete or cancel because Company .*Acme Ltd<\/a> is linked with Account /);
    expect(await count('Company', { name: 'Acme Ltd' })).toBe(1);
    expect(await count('Department', { company: 'Acme Ltd' })).toBe(13);

    expect((await api.delete(api.resource('GL Entry', entry.name))).status).toBe(417);
    await api.post(CANCEL, { doctype: 'GL Entry', name: entry.name });
    expect((await api.delete(api.resource('GL Entry', entry.name))).status).toBe(202);
    expect((await api.delete(api.resource('Company', 'Acme Ltd'))).status).toBe(202);
    const state = await api.state();
    for (const doctype of ['Account', 'Cost Center', 'Warehouse', 'Department', 'Sales Taxes and Charges Template', 'Item Tax Template']) {
      expect((state[doctype] ?? []).filter((doc) => doc.company === 'Acme Ltd')).toEqual([]);
    }
    expect(state['Mode of Payment']?.find((mode) => mode.name === 'Cash')).not.toHaveProperty('accounts.0');
  });

  it('refuses to delete a warehouse with stock ledger entries, and unlinks a deleted one from items', async () => {
    await api.post(api.resource('Item'), { item_code: 'SUGAR', item_group: 'Products', stock_uom: 'Nos', item_defaults: [{ company: 'Acme Ltd', default_warehouse: 'Finished Goods - AL' }] });
    await postDoc(sandbox, 'Stock Ledger Entry', receiptStockEntry('Acme Ltd', 'Work In Progress - AL', 'SUGAR'));
    const stocked = await api.delete(api.resource('Warehouse', 'Work In Progress - AL'));
    expect(stocked.status).toBe(417);
    expect(stocked.body.exc_type).toBe('ValidationError');
    expect(messagesOf(stocked.body)).toEqual(['Warehouse can not be deleted as stock ledger entry exists for this warehouse.']);
    const item = await api.delete(api.resource('Item', 'SUGAR'));
    expect(messagesOf(item.body)).toEqual([
      `Cannot delete or cancel because Item ${formLink('Item', 'SUGAR')} is linked with Stock Ledger Entry ${formLink('Stock Ledger Entry', `MAT-SLE-${YEAR}-00001`)} `,
      'You can disable this Item instead of deleting it.',
    ]);
    expect((await api.delete(api.resource('Warehouse', 'Finished Goods - AL'))).status).toBe(202);
    const sugar = (await api.get(api.resource('Item', 'SUGAR'))).body.data as { item_defaults: Array<Record<string, unknown>> };
    expect(sugar.item_defaults[0]).not.toHaveProperty('default_warehouse');
  });

  it('lets only Administrator post ledger entries, each for its own company\'s account', async () => {
    await api.post(api.resource('User'), { email: 'accountant@acme.test', first_name: 'Acc', api_key: 'acc-key', api_secret: 'acc-secret', roles: [{ role: 'Accounts Manager' }] });
    const denied = await api.post(api.resource('GL Entry'), saleGlEntry('Acme Ltd', 'AL'), { authorization: 'token acc-key:acc-secret' });
    expect(denied.status).toBe(403);
    await api.post(api.resource('Company'), { company_name: 'Other Co', abbr: 'OC', default_currency: 'KES', country: 'Kenya' });
    const foreign = await api.post(api.resource('GL Entry'), { ...saleGlEntry('Acme Ltd', 'AL'), account: 'Cash - OC' });
    expect(messagesOf(foreign.body)).toEqual(['Sales Invoice ACC-SINV-00001: Account Cash - OC does not belong to Company Acme Ltd']);
    expect(await postDoc(sandbox, 'GL Entry', saleGlEntry('Acme Ltd', 'AL'))).toMatchObject({ name: `ACC-GLE-${YEAR}-00001`, docstatus: 1 });
  });

  it('never disables or deletes Administrator or Guest, deletes only with the permission, and a disabled user\'s API key stops working', async () => {
    for (const user of ['Administrator', 'Guest']) {
      expect(messagesOf((await api.put(api.resource('User', user), { enabled: 0 })).body)).toEqual([`User ${user} cannot be disabled`]);
      expect(messagesOf((await api.delete(api.resource('User', user))).body)).toEqual([`User ${user} cannot be deleted`]);
    }
    await api.post(api.resource('User'), { email: 'cashier@acme.test', first_name: 'Cash', api_key: 'cash-key', api_secret: 'cash-secret', roles: [{ role: 'Sales User' }] });
    const cashier = { authorization: 'token cash-key:cash-secret' };
    expect((await api.get('/api/method/frappe.auth.get_logged_user', cashier)).status).toBe(200);
    const denied = await api.delete(api.resource('Company', 'Acme Ltd'), cashier);
    expect(denied.status).toBe(403);
    expect(denied.body._error_message).toBe("You need the 'delete' permission on <strong>Company</strong> Acme Ltd to perform this action.");
    expect((await api.put(api.resource('User', 'cashier@acme.test'), { enabled: 0 })).body.data).toMatchObject({ enabled: 0 });
    expect((await api.get('/api/method/frappe.auth.get_logged_user', cashier)).status).toBe(401);
    expect((await api.delete(api.resource('User', 'cashier@acme.test'))).status).toBe(202);
  });
});

describe('fault knobs (/__sandbox)', () => {
  it('merges faults and clears them on reset', async () => {
    await api.faults({ latencyMs: 5 });
    const merged = await api.faults({ errorRate: 0 });
    expect(merged.body).toEqual({ latencyMs: 5, errorRate: 0 });
    expect((await api.get('/__sandbox/faults')).body).toEqual({ latencyMs: 5, errorRate: 0 });
    expect((await api.faults({ latencyMs: null })).body).toEqual({ errorRate: 0 });
    expect((await api.faults({ bogus: 1 })).status).toBe(400);
    await api.reset();
    expect((await api.get('/__sandbox/faults')).body).toEqual({});
  });

  it('delays /api requests by latencyMs', async () => {
    await api.faults({ latencyMs: 60 });
    const started = performance.now();
    expect((await api.get('/api/method/ping')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('answers 500/502/503 for errorRate 1', async () => {
    await api.faults({ errorRate: 1 });
    const failed = await api.get('/api/method/ping');
    expect([500, 502, 503]).toContain(failed.status);
    expect(typeof failed.body.exc_type).toBe('string');
  });

  it('holds requests for timeoutRate 1 until the client gives up', async () => {
    await api.faults({ timeoutRate: 1 });
    await expect(api.get('/api/method/ping', { signal: AbortSignal.timeout(100) })).rejects.toThrow();
    expect((await api.get('/__sandbox/state')).status).toBe(200);
  });

  it('holds matching requests until the knob is cleared, then answers them', async () => {
    await api.faults({ hold: { doctype: 'Company', method: 'POST' } });
    const held = api.post(api.resource('Company'), ACME);
    expect((await api.get(api.resource('Company'))).body.data).toEqual([]);
    await expect(api.post(api.resource('Company'), ACME, { signal: AbortSignal.timeout(100) })).rejects.toThrow();
    await api.faults({ hold: null });
    expect((await held).status).toBe(200);
    expect((await api.state()).Company?.map((company) => company.name)).toEqual(['Acme Ltd']);
  });

  it('drops connections while offline, ping included', async () => {
    await api.faults({ offline: true });
    await expect(api.get('/api/method/ping', { authorization: null })).rejects.toThrow();
    await api.faults({ offline: false });
    expect((await api.get('/api/method/ping')).status).toBe(200);
  });

  it('fails the next matching requests with failNext, 429 with Retry-After', async () => {
    await api.faults({ failNext: { doctype: 'Company', method: 'POST', status: 429, count: 2, retryAfterSeconds: 7 } });
    expect((await api.get(api.resource('Company'))).status).toBe(200);
    const limited = await api.post(api.resource('Company'), ACME);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited.body.exc_type).toBe('TooManyRequestsError');
    expect((await api.post(api.resource('Company'), ACME)).status).toBe(429);
    expect((await api.post(api.resource('Company'), ACME)).status).toBe(200);
    await api.faults({ failNext: { status: 503 } });
    expect((await api.get('/api/method/ping')).status).toBe(503);
  });

  it('commits then loses the response with dropAfterCommit', async () => {
    await api.faults({ dropAfterCommit: { doctype: 'Company', method: 'POST', count: 1 } });
    await expect(api.post(api.resource('Company'), ACME)).rejects.toThrow();
    const state = await api.state();
    expect(state.Company?.map((company) => company.name)).toEqual(['Acme Ltd']);
    expect(state.Account?.length).toBe(82);
    expect((await api.post(api.resource('Company'), ACME)).status).toBe(409);
  });

  it('emulates the site rate limit as a request budget', async () => {
    await api.faults({ rateLimit: { requests: 2, retryAfterSeconds: 30 } });
    const first = await api.get('/api/method/ping');
    expect(first.headers.get('x-ratelimit-limit')).toBe('2');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('1');
    expect((await api.get('/api/method/ping')).status).toBe(200);
    const limited = await api.get('/api/method/ping');
    expect(limited.status).toBe(429);
    expect(limited.body.exc_type).toBe('TooManyRequestsError');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    await api.faults({ rateLimit: null });
    expect((await api.get('/api/method/ping')).status).toBe(200);
  });

  it('closes promptly with keep-alive sockets and held requests open', async () => {
    const other = await startSandbox();
    const otherApi = sandboxClient(other);
    await otherApi.get('/api/method/ping');
    await otherApi.faults({ timeoutRate: 1 });
    const held = otherApi.get('/api/method/ping');
    const outcome = held.then(() => 'answered', () => 'dropped');
    await otherApi.get('/__sandbox/faults');
    await other.close();
    expect(await outcome).toBe('dropped');
  });
});
