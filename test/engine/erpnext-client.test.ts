import { beforeEach, describe, expect, it } from '@jest/globals';
import { ErpNextClient, type EngineCall } from '../../src/engine/erpnext/index.js';
import { EngineError } from '../../src/engine/errors.js';
import { STANDARD_CHART } from '../../src/engine/standard-chart.js';
import { credentialsOf, sandboxForSuite } from '../support/engine-sandbox.js';
import {
  BARE_COMPANY,
  CASHIER,
  COMPANY,
  MAIN_STORE,
  POS_OPENING,
  POS_PROFILE,
  SUGAR,
  WALK_IN,
  callRecorder,
} from '../support/engine-fixtures.js';

const engine = sandboxForSuite();
let client: ErpNextClient;
let calls: EngineCall[];

beforeEach(async () => {
  const recorder = callRecorder();
  calls = recorder.calls;
  client = new ErpNextClient({ ...credentialsOf(engine.sandbox), onCall: recorder.onCall });
});

/** The EngineError a call rejects with; fails the test if it resolves or throws anything else. */
async function engineErrorOf(promise: Promise<unknown>): Promise<EngineError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(EngineError);
  return error as EngineError;
}

async function provisionUpToPosProfile(): Promise<void> {
  await client.ensureUser(CASHIER);
  await client.ensureCompany(COMPANY);
  await client.ensureWarehouse(MAIN_STORE);
  await client.ensureCustomer(WALK_IN);
  await client.ensurePosProfile(POS_PROFILE);
}

describe('ErpNextClient against the sandbox: identity', () => {
  it('pings without credentials and names the user of the API key', async () => {
    await client.ping();
    await expect(client.loggedUser()).resolves.toBe('Administrator');
  });
});

describe('ErpNextClient against the sandbox: every ensure* twice leaves one document', () => {
  it('ensureUser creates the user once, then adds only the missing roles', async () => {
    const first = await client.ensureUser(CASHIER);
    const second = await client.ensureUser(CASHIER);
    expect([first.created, second.created]).toEqual([true, false]);
    expect(second.name).toBe(CASHIER.email);
    expect(calls.filter((call) => call.method === 'PUT')).toHaveLength(0);

    const widened = await client.ensureUser({ ...CASHIER, roles: [...CASHIER.roles, 'Stock User'] });
    expect(widened.created).toBe(false);
    const [user] = await engine.control.docs('User', { name: CASHIER.email });
    const roles = (user?.roles as Array<{ role: string }>).map((row) => row.role);
    expect(roles.sort()).toEqual(['Accounts User', 'Sales User', 'Stock User']);
    expect(await engine.control.docs('User', { name: CASHIER.email })).toHaveLength(1);
  });

  it('ensureCompany creates the company once; getCompany and findCompanyByAbbr find it', async () => {
    const first = await client.ensureCompany(COMPANY);
    const second = await client.ensureCompany(COMPANY);
    expect([first.created, second.created]).toEqual([true, false]);
    expect(second.doc).toMatchObject({ name: 'Acme Ltd', abbr: 'AL', default_currency: 'KES' });
    expect(await engine.control.docs('Company', { name: 'Acme Ltd' })).toHaveLength(1);

    await expect(client.getCompany('Acme Ltd')).resolves.toMatchObject({ name: 'Acme Ltd' });
    await expect(client.getCompany('Nobody Ltd')).resolves.toBeNull();
    await expect(client.findCompanyByAbbr('AL')).resolves.toBe('Acme Ltd');
    await expect(client.findCompanyByAbbr('ZZ')).resolves.toBeNull();
  });

  it('listAccounts returns the whole chart, past the default page of 20', async () => {
    await client.ensureCompany(COMPANY);
    const accounts = await client.listAccounts('Acme Ltd');
    expect(accounts.length).toBeGreaterThanOrEqual(81);
    expect(accounts.map((row) => row.name)).toEqual(expect.arrayContaining(['Cash - AL', 'Write Off - AL']));
    expect(calls.at(-1)?.path).toBe('/api/resource/Account');
  });

  it('ensureChartOfAccounts creates nothing when the company insert made the chart', async () => {
    await client.ensureCompany(COMPANY);
    const before = (await client.listAccounts('Acme Ltd')).length;
    await expect(client.ensureChartOfAccounts('Acme Ltd', 'AL', 'Standard')).resolves.toEqual({
      accounts: before,
      created: 0,
    });
    expect(calls.filter((call) => call.method === 'POST' && call.doctype === 'Account')).toHaveLength(0);
  });

  it('ensureChartOfAccounts builds a missing chart root first, once, and resumes after a lost response', async () => {
    // An unknown chart name makes the Company insert create no accounts.
    await client.ensureCompany({ ...BARE_COMPANY, chartOfAccounts: 'No Such Chart' });
    await expect(client.listAccounts('Bare Co')).resolves.toHaveLength(0);
    await engine.control.setFaults({ dropAfterCommit: { doctype: 'Account', method: 'POST', count: 1 } });
    const lost = await engineErrorOf(client.ensureChartOfAccounts('Bare Co', 'BC', 'Standard'));
    expect(lost.retryable).toBe(true);

    const chartSize = STANDARD_CHART.length;
    await expect(client.ensureChartOfAccounts('Bare Co', 'BC', 'Standard')).resolves.toEqual({
      accounts: chartSize,
      created: chartSize - 1,
    });
    await expect(client.ensureChartOfAccounts('Bare Co', 'BC', 'Standard')).resolves.toEqual({
      accounts: chartSize,
      created: 0,
    });
    const accounts = await engine.control.docs('Account', { company: 'Bare Co' });
    expect(accounts).toHaveLength(chartSize);
    expect(accounts.find((row) => row.name === 'Cash - BC')).toMatchObject({ parent_account: 'Cash In Hand - BC' });
  });

  it('ensureChartOfAccounts refuses a template it cannot build', async () => {
    const error = await engineErrorOf(client.ensureChartOfAccounts('Acme Ltd', 'AL', 'Kenya - Chart of Accounts'));
    expect(error.code).toBe('ENGINE_VALIDATION');
    expect(error.message).toContain('Kenya - Chart of Accounts');
  });

  it('ensureWarehouse creates "{name} - {abbr}" once under All Warehouses', async () => {
    await client.ensureCompany(COMPANY);
    const first = await client.ensureWarehouse(MAIN_STORE);
    const second = await client.ensureWarehouse(MAIN_STORE);
    expect([first.created, second.created]).toEqual([true, false]);
    expect(first.doc).toMatchObject({ name: 'Main Store - AL', parent_warehouse: 'All Warehouses - AL' });
    expect(await engine.control.docs('Warehouse', { name: 'Main Store - AL' })).toHaveLength(1);
  });

  it('mergeSettings writes only what differs, and nothing the second time', async () => {
    const values = { customer_group: 'Individual', territory: 'Kenya', allow_multiple_items: true };
    const first = await client.mergeSettings('Selling Settings', values);
    const putsAfterFirst = calls.filter((call) => call.method === 'PUT').length;
    const second = await client.mergeSettings('Selling Settings', values);
    expect(first.changed).toBe(true);
    expect(second).toMatchObject({ changed: false, doc: { customer_group: 'Individual', territory: 'Kenya' } });
    expect(calls.filter((call) => call.method === 'PUT')).toHaveLength(putsAfterFirst);
  });

  it('ensureItem creates the item once', async () => {
    const first = await client.ensureItem(SUGAR);
    const second = await client.ensureItem(SUGAR);
    expect([first.created, second.created]).toEqual([true, false]);
    expect(await engine.control.docs('Item', { name: 'SUGAR-1KG' })).toHaveLength(1);
  });

  it('ensureCustomer finds the customer by customer_name instead of making "Walk-In Customer - 1"', async () => {
    const first = await client.ensureCustomer(WALK_IN);
    const second = await client.ensureCustomer(WALK_IN);
    expect([first.created, second.created]).toEqual([true, false]);
    expect(second.name).toBe(first.name);
    expect(await engine.control.docs('Customer', { customer_name: 'Walk-In Customer' })).toHaveLength(1);
  });

  it('ensurePosProfile creates the profile once', async () => {
    await provisionUpToPosProfile();
    const second = await client.ensurePosProfile(POS_PROFILE);
    expect(second).toMatchObject({ name: 'Acme Main POS', created: false });
    expect(await engine.control.docs('POS Profile', { name: 'Acme Main POS' })).toHaveLength(1);
  });

  it('ensureOpenPosOpeningEntry submits one open entry and then returns it', async () => {
    await provisionUpToPosProfile();
    const first = await client.ensureOpenPosOpeningEntry(POS_OPENING);
    const second = await client.ensureOpenPosOpeningEntry(POS_OPENING);
    expect([first.created, second.created]).toEqual([true, false]);
    expect(second.name).toBe(first.name);
    expect(first.doc).toMatchObject({ docstatus: 1, status: 'Open', pos_profile: 'Acme Main POS' });
    expect(await engine.control.docs('POS Opening Entry', { pos_profile: 'Acme Main POS' })).toHaveLength(1);
  });
});

describe('ErpNextClient against the sandbox: errors', () => {
  it('a wrong secret is ENGINE_AUTH (401), not retryable', async () => {
    const intruder = new ErpNextClient({ url: engine.sandbox.url, apiKey: engine.sandbox.apiKey, apiSecret: 'wrong' });
    const error = await engineErrorOf(intruder.loggedUser());
    expect(error).toMatchObject({ code: 'ENGINE_AUTH', status: 401, retryable: false });
    expect(error.message).toBe(
      'GET /api/method/frappe.auth.get_logged_user failed (401 AuthenticationError): Unauthorized',
    );
  });

  it('a missing link is ENGINE_VALIDATION (417) naming the link', async () => {
    const error = await engineErrorOf(
      client.ensureWarehouse({ warehouseName: 'Shop', company: 'Nope Ltd', abbr: 'NL' }),
    );
    expect(error).toMatchObject({
      code: 'ENGINE_VALIDATION',
      status: 417,
      excType: 'LinkValidationError',
      retryable: false,
    });
    expect(error.message).toMatch(/^POST \/api\/resource\/Warehouse failed \(417 LinkValidationError\): /);
    expect(error.message).toContain('Could not find Company: Nope Ltd');
    expect(await engine.control.docs('Warehouse', { warehouse_name: 'Shop' })).toHaveLength(0);
  });

  it('a duplicate on create (two callers racing) is handled as "exists"', async () => {
    await client.ensureCompany(COMPANY);
    await engine.control.setFaults({ latencyMs: 50 });
    const results = await Promise.all([client.ensureWarehouse(MAIN_STORE), client.ensureWarehouse(MAIN_STORE)]);
    expect(results.map((result) => result.created).sort()).toEqual([false, true]);
    expect(calls.some((call) => call.status === 409 && call.doctype === 'Warehouse')).toBe(true);
    expect(await engine.control.docs('Warehouse', { name: 'Main Store - AL' })).toHaveLength(1);
  });

  it('429 with Retry-After is ENGINE_RATE_LIMITED with retryAfterMs', async () => {
    await engine.control.setFaults({
      failNext: { doctype: 'Company', method: 'GET', status: 429, count: 1, retryAfterSeconds: 7 },
    });
    const error = await engineErrorOf(client.getCompany('Acme Ltd'));
    expect(error).toMatchObject({ code: 'ENGINE_RATE_LIMITED', status: 429, retryAfterMs: 7000, retryable: true });
  });

  it('the rate limiter\'s 429 carries its Retry-After too', async () => {
    await engine.control.setFaults({ rateLimit: { requests: 1, retryAfterSeconds: 3 } });
    await client.getCompany('Acme Ltd');
    const error = await engineErrorOf(client.getCompany('Acme Ltd'));
    expect(error).toMatchObject({ code: 'ENGINE_RATE_LIMITED', retryAfterMs: 3000, retryable: true });
  });

  it('5xx is ENGINE_SERVER_ERROR, retryable, and the next call succeeds', async () => {
    await engine.control.setFaults({ failNext: { doctype: 'Item', method: 'POST', status: 500, count: 1 } });
    const error = await engineErrorOf(client.ensureItem(SUGAR));
    expect(error).toMatchObject({ code: 'ENGINE_SERVER_ERROR', status: 500, retryable: true });
    expect(error.message).toMatch(/^POST \/api\/resource\/Item failed \(500/);
    await expect(client.ensureItem(SUGAR)).resolves.toMatchObject({ created: true });
  });

  it('no answer within timeoutMs is ENGINE_TIMEOUT, retryable', async () => {
    const impatient = new ErpNextClient({ ...credentialsOf(engine.sandbox), timeoutMs: 100 });
    await engine.control.setFaults({ timeoutRate: 1 });
    const error = await engineErrorOf(impatient.getCompany('Acme Ltd'));
    expect(error).toMatchObject({ code: 'ENGINE_TIMEOUT', retryable: true });
    expect(error.message).toBe(`GET /api/resource/Company/Acme Ltd timed out: no answer from ERPNext at ${engine.sandbox.url} within 100 ms`);
  });

  it("the caller's deadline (a step's AbortSignal.timeout) is ENGINE_TIMEOUT too, even while the call waits for a slot", async () => {
    const single = new ErpNextClient({ ...credentialsOf(engine.sandbox), maxConcurrentRequests: 1 });
    await engine.control.setFaults({ timeoutRate: 1 });
    const sent = await engineErrorOf(single.getCompany('Acme Ltd', { signal: AbortSignal.timeout(100) }));
    expect(sent).toMatchObject({ code: 'ENGINE_TIMEOUT', retryable: true });
    expect(sent.message).toBe(`GET /api/resource/Company/Acme Ltd timed out: no answer from ERPNext at ${engine.sandbox.url} before the step's deadline`);

    const holding = single.getCompany('Acme Ltd', { signal: AbortSignal.timeout(400) });
    const queued = await engineErrorOf(single.getCompany('Other Ltd', { signal: AbortSignal.timeout(100) }));
    expect(queued).toMatchObject({ code: 'ENGINE_TIMEOUT', retryable: true });
    await engineErrorOf(holding);
  });

  it('an offline engine is ENGINE_NETWORK, retryable', async () => {
    await engine.control.setFaults({ offline: true });
    const error = await engineErrorOf(client.ping());
    expect(error).toMatchObject({ code: 'ENGINE_NETWORK', retryable: true });
    // Which ERPNext could not be reached and why, in words: a person reads this in the step's error.
    expect(error.message).toBe(`GET /api/method/ping failed: could not reach ERPNext at ${engine.sandbox.url} (the connection closed before the answer, UND_ERR_SOCKET)`);
  });

  it('a response lost after the customer commit: calling again finds the one customer', async () => {
    await engine.control.setFaults({ dropAfterCommit: { doctype: 'Customer', method: 'POST', count: 1 } });
    const lost = await engineErrorOf(client.ensureCustomer(WALK_IN));
    expect(lost.retryable).toBe(true);
    await expect(client.ensureCustomer(WALK_IN)).resolves.toMatchObject({ created: false });
    expect(await engine.control.docs('Customer', { customer_name: 'Walk-In Customer' })).toHaveLength(1);
  });

  it('a response lost after the POS opening commit: calling again finds the open entry', async () => {
    await provisionUpToPosProfile();
    await engine.control.setFaults({ dropAfterCommit: { doctype: 'POS Opening Entry', method: 'POST', count: 1 } });
    await engineErrorOf(client.ensureOpenPosOpeningEntry(POS_OPENING));
    await expect(client.ensureOpenPosOpeningEntry(POS_OPENING)).resolves.toMatchObject({ created: false });
    expect(await engine.control.docs('POS Opening Entry', { pos_profile: 'Acme Main POS' })).toHaveLength(1);
  });

  it('the caller\'s abort rejects with the caller\'s reason, not an engine error', async () => {
    const controller = new AbortController();
    const reason = new Error('step cancelled');
    controller.abort(reason);
    await expect(client.getCompany('Acme Ltd', { signal: controller.signal })).rejects.toBe(reason);
  });
});

describe('ErpNextClient against the sandbox: requests in flight', () => {
  it('keeps at most maxConcurrentRequests calls in flight, the rest queued in order', async () => {
    await engine.control.setFaults({ latencyMs: 50 });
    // Each call's span, [end - duration, end], on one clock; no instant may be inside more than two.
    const spans: Array<{ start: number; end: number }> = [];
    const onCall = (call: EngineCall) => spans.push({ start: performance.now() - call.durationMs, end: performance.now() });
    const limited = new ErpNextClient({ ...credentialsOf(engine.sandbox), maxConcurrentRequests: 2, onCall });
    await Promise.all(Array.from({ length: 6 }, () => limited.loggedUser()));
    const overlapAt = (instant: number) => spans.filter((span) => span.start < instant && instant < span.end).length;
    expect(spans).toHaveLength(6);
    expect(Math.max(...spans.map((span) => overlapAt(span.start + 1)))).toBe(2);
  });

  it('a call whose caller gives up while it waits for a slot leaves the queue with the caller\'s reason', async () => {
    await engine.control.setFaults({ latencyMs: 300 });
    const limited = new ErpNextClient({ ...credentialsOf(engine.sandbox), maxConcurrentRequests: 1 });
    const busy = limited.loggedUser();
    const controller = new AbortController();
    const queued = limited.loggedUser({ signal: controller.signal });
    controller.abort(new Error('the step gave up'));
    await expect(queued).rejects.toThrow('the step gave up');
    await busy;
  });
});

describe('ErpNextClient options', () => {
  const valid = { url: 'http://localhost:8000', apiKey: 'key', apiSecret: 'secret' };

  it.each([
    [{ ...valid, url: 'ftp://erp.test' }, 'Expected `url` to be an http(s) URL, got "ftp://erp.test".'],
    [{ ...valid, url: 'not a url' }, 'Expected `url` to be an http(s) URL, got "not a url".'],
    [{ ...valid, apiKey: '' }, 'Expected `apiKey` to be a non-empty string.'],
    [{ ...valid, apiSecret: '' }, 'Expected `apiSecret` to be a non-empty string.'],
    [{ ...valid, timeoutMs: 0 }, 'Expected `timeoutMs` to be a positive finite number, got 0.'],
    [{ ...valid, timeoutMs: Infinity }, 'Expected `timeoutMs` to be a positive finite number, got Infinity.'],
    [{ ...valid, maxConcurrentRequests: 1.5 }, 'Expected `maxConcurrentRequests` to be a positive integer, got 1.5.'],
  ])('rejects %j up front', (options, message) => {
    expect(() => new ErpNextClient(options)).toThrow(new TypeError(message));
  });
});
