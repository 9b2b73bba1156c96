import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { createProvisioningClient, type ProvisioningClient } from '../../client/src/index.js';
import { TOKEN_STORAGE_KEY } from '../../src/server/web/token-storage.js';
import { tenantInput } from '../support/api.js';
import { SandboxControl } from '../support/engine-sandbox.js';
import { waitForRunEnds } from '../support/run-ends.js';
import { startTestService, type TestService } from '../support/service.js';
import { openBrowser, saveScreenshot, type Browser } from './browser.js';

const ALL_STEPS = 11;
/** The BASIC template's steps (templates/basic.ts): what the tests not about the full plan run. */
const BASIC_STEPS = 7;
const WIDE = { width: 1280, height: 900 };
const PHONE = { width: 420, height: 900 };
/** A tenant's latest run in one of these is still under way. */
const IN_FLIGHT = ['SCHEDULED', 'QUEUED', 'PENDING', 'IN_PROGRESS'];

/**
 * The provisioning page and GraphiQL, driven in headless Chromium as people would use them: the
 * platform admin and a workspace admin, each on a desktop (1280 px) and a phone-width (420 px)
 * screen. The service runs with the generated development admin, as after a first `npm start`.
 *
 * One service and one browser page serve the whole file. Every test starts the page afresh (its
 * storage cleared, then a new document), creates its own workspaces (names no other test uses),
 * and counts only relative to what it found before, so each passes alone and in any order.
 */
describe('the browser clients', () => {
  let service: TestService;
  let browser: Browser;
  /** The generated development admin's token, and the SDK signed in with it: for what happens outside the page. */
  let admin: { token: string; api: ProvisioningClient };

  beforeAll(async () => {
    // One engine slot: a second run at once waits QUEUED, so the explorer's counts show the queue.
    const starting = openBrowser();
    try {
      service = await startTestService({ ADMIN_EMAIL: '', ADMIN_PASSWORD: '', ENGINE_MAX_ACTIVE_RUNS: '1' });
    } finally {
      browser = await starting;
    }
    // Meanwhile the page is loaded once: the first test then finds it warm, and on the service's
    // origin as every test does (resetPage).
    const [{ token }] = await Promise.all([
      developmentPassword().then((password) => createProvisioningClient({ url: service.graphqlUrl }).login('admin@localhost', password)),
      browser.page.goto(`${service.url}/`).then(() => browser.page.getByRole('form', { name: 'Sign in' }).waitFor()),
    ]);
    admin = { token, api: createProvisioningClient({ url: service.graphqlUrl, token }) };
  });

  afterEach(async () => {
    // Nothing of a test, passed or failed, reaches the next one: not a fault, not a listener, not
    // its document (which would otherwise go on following the next test's runs live).
    await setFaults({ latencyMs: null, failNext: null });
    browser.page.removeAllListeners('request');
    browser.page.removeAllListeners('response');
    await browser.page.goto(`${service.url}/healthz`).catch(() => undefined);
  });

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  async function setFaults(faults: Record<string, unknown>) {
    await new SandboxControl(service.sandbox!).setFaults(faults);
  }

  async function developmentPassword() {
    const passwordFile = service.logLines.find((line) => typeof line.passwordFile === 'string')!.passwordFile as string;
    return (await readFile(passwordFile, 'utf8')).trim();
  }

  /**
   * The page as a fresh visitor finds it: nothing in its storage (or only the platform admin's
   * token, as the sign-in form saves it), this viewport, no foreign request recorded yet.
   */
  async function resetPage(options: { signedIn: boolean; viewport: typeof WIDE }) {
    const { page } = browser;
    const setStorage = ([key, token]: string[]) => {
      window.localStorage.clear();
      window.sessionStorage.clear();
      if (token) window.localStorage.setItem(key!, token);
    };
    const state = [TOKEN_STORAGE_KEY, options.signedIn ? admin.token : ''];
    // Storage belongs to an origin: it is set from the service's /healthz, where the last test
    // left the page (or from wherever on the service's origin it is).
    if (!page.url().startsWith(`${service.url}/`)) await page.goto(`${service.url}/healthz`);
    await page.evaluate(setStorage, state);
    await page.setViewportSize(options.viewport);
    browser.foreignRequests.length = 0;
    return browser;
  }

  /** The page loaded afresh, signed in as the platform admin unless `signedIn` is false. */
  async function openPage(options: { signedIn?: boolean; viewport?: typeof WIDE } = {}) {
    const { signedIn = true, viewport = WIDE } = options;
    const { page } = await resetPage({ signedIn, viewport });
    await page.goto(`${service.url}/`);
    if (signedIn) await page.getByTestId('signed-in-as').filter({ hasText: 'admin@localhost' }).waitFor();
    return browser;
  }

  /**
   * Workspaces created outside the page (as another admin or a script would), at once, and their
   * BASIC runs started one after the other: with one engine slot, the runs go in this order.
   */
  async function createTenants(names: string[], options: { start?: boolean } = {}) {
    const { start = true } = options;
    const created = await Promise.all(
      names.map(async (name) => {
        const input = tenantInput({ name });
        return { ...input, id: (await admin.api.createTenant(input)).id };
      }),
    );
    if (start) for (const tenant of created) await admin.api.startProvisioning(tenant.id, { template: 'BASIC' });
    return created;
  }

  /** Opens a tenant's run view the way the page's own links and form do: through the URL hash. */
  const showTenant = (page: Page, tenantId: string) => page.evaluate((href) => void (window.location.hash = href), `#tenant=${encodeURIComponent(tenantId)}`);

  const runEnds = (tenants: Array<{ id: string }>) => waitForRunEnds(service.wsUrl, admin.token, new Set(tenants.map((tenant) => tenant.id)));

  async function signIn(page: Page, email: string, password: string) {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('signed-in-as').textContent()).resolves.toContain(email);
  }

  async function createWorkspace(page: Page, name: string, options: { demoItems?: boolean } = {}) {
    const input = tenantInput({ name });
    const form = page.getByRole('form', { name: 'Create a workspace' });
    await form.getByLabel('Workspace name').fill(input.name);
    await form.getByLabel('Country (ISO code)').fill('KE');
    await form.getByLabel('Admin name').fill(input.adminName);
    await form.getByLabel('Admin email').fill(input.adminEmail);
    await form.getByLabel('Admin password').fill(input.adminPassword);
    // With demo items the optional DEMO_ITEMS step runs too, so all eleven steps can complete.
    if (options.demoItems ?? true) await form.getByLabel('Include demo items').check();
    await form.getByRole('button', { name: 'Create and provision' }).click();
    // Either the run view opens, or the form shows why not (which then fails the test with it).
    const run = runView(page, name);
    const alert = form.getByRole('alert');
    await run.or(alert).waitFor();
    expect((await alert.count()) ? await alert.textContent() : 'run view shown').toBe('run view shown');
    return input;
  }

  const runView = (page: Page, name: string) => page.getByRole('region', { name: `Provisioning of ${name}` });
  const completedSteps = (page: Page) => page.locator('tr[data-status="COMPLETED"]').count();
  const waitForRunStatus = (page: Page, status: string) => page.locator('[data-testid="run-status"]', { hasText: new RegExp(`^${status}$`) }).waitFor();
  const activityNames = (page: Page) => page.getByTestId('activity-row').getByRole('button').allTextContents();
  const explorer = (page: Page) => page.getByRole('region', { name: 'Run explorer' });
  /** Waits until the explorer counts this many tenants whose latest run is in `status`. */
  const waitForCount = (page: Page, status: string, count: number) =>
    page.getByTestId(`count-${status}`).locator('.count', { hasText: new RegExp(`^${count}$`) }).waitFor();
  /**
   * The explorer's counts once it has counted and no run is under way: what a test's own runs
   * then change. Tests wait for their runs to end, so this is what earlier tests left.
   */
  const settledCounts = async (page: Page): Promise<Record<string, number>> =>
    (await page.waitForFunction((inFlight) => {
      const items = Array.from(document.querySelectorAll('[data-testid^="count-"]'));
      if (items.length === 0) return null;
      const counts = Object.fromEntries(items.map((item) => [item.getAttribute('data-testid')!.slice('count-'.length), Number(item.querySelector('.count')!.textContent)]));
      return inFlight.some((status) => counts[status]) ? null : counts;
    }, IN_FLIGHT)).jsonValue() as Promise<Record<string, number>>;
  const tenantRows = (page: Page) => page.getByTestId('tenant-row');
  /** Waits until the table shows exactly these places in the queue (read in one frame: they move as runs start). */
  const waitForQueuePlaces = (page: Page, places: string[]) =>
    page.waitForFunction((expected) => {
      const shown = Array.from(document.querySelectorAll('[data-testid="tenant-row"] .queue-place'), (place) => place.textContent!.trim()).sort();
      return JSON.stringify(shown) === JSON.stringify(expected);
    }, places);
  const tenantRow = (page: Page, name: string) => tenantRows(page).filter({ has: page.getByRole('link', { name, exact: true }) });

  async function applyFilter(page: Page, fields: { status?: string; search?: string }) {
    const form = page.getByRole('form', { name: 'Filter tenants' });
    await form.getByLabel('Status').selectOption(fields.status ?? '');
    await form.getByLabel('Name contains').fill(fields.search ?? '');
    await form.getByRole('button', { name: 'Apply' }).click();
    await page.getByTestId('match-summary').filter({ hasText: 'matched at' }).waitFor();
  }

  /** What a person would notice first on a phone: the page scrolls sideways. */
  async function expectNoHorizontalOverflow(page: Page) {
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.scrollingElement!.scrollWidth, innerWidth: window.innerWidth }));
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
  }

  it('says on the sign-in page where the development password is, and that password signs the platform admin in', async () => {
    const { page } = await resetPage({ signedIn: false, viewport: PHONE });
    const failedRequests: string[] = [];
    page.on('response', (response) => {
      if (response.status() >= 400) failedRequests.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(`${service.url}/`);
    const hint = page.getByTestId('development-admin');
    await expect(hint.textContent()).resolves.toContain('admin@localhost');
    const passwordFile = (await hint.locator('code').nth(1).textContent())!;
    await expectNoHorizontalOverflow(page);
    await saveScreenshot(page, 'sign-in-420');

    const password = (await readFile(passwordFile, 'utf8')).trim();
    expect(await page.content()).not.toContain(password);
    await page.setViewportSize(WIDE);
    await signIn(page, 'admin@localhost', password);
    expect(failedRequests).toEqual([]);
    // Browsers ask for it on their own, whatever the page links.
    const icon = await page.request.get(`${service.url}/favicon.ico`);
    expect({ status: icon.status(), type: icon.headers()['content-type'] }).toEqual({ status: 200, type: 'image/vnd.microsoft.icon' });
  });

  it('lets the platform admin create a workspace and watch its eleven steps live from seq 1, RUNNING unlike PENDING, without polling (1280 px)', async () => {
    const { page, foreignRequests } = await openPage();
    // Slow enough engine calls that a step is seen RUNNING while later ones wait.
    await setFaults({ latencyMs: 150 });
    const graphqlPosts: string[] = [];
    await createWorkspace(page, 'Mama Mboga Grocers');
    // Every change after the workspace is created and shown must come over the WebSocket.
    page.on('request', (request) => {
      if (request.url().endsWith('/graphql') && request.method() === 'POST') graphqlPosts.push(request.postData() ?? '');
    });

    const badges = await page.waitForFunction(() => {
      const badge = (status: string) => document.querySelector(`tr[data-status="${status}"] .badge`);
      const [running, pending] = [badge('RUNNING'), badge('PENDING')];
      if (!running || !pending) return null;
      const look = (element: Element) => ({ className: element.className, background: getComputedStyle(element).backgroundColor, border: getComputedStyle(element).borderStyle });
      return { running: look(running), pending: look(pending) };
    });
    const { running, pending } = (await badges.jsonValue())!;
    expect(running.className).toContain('status-RUNNING');
    expect(pending.className).toContain('status-PENDING');
    expect(running.background).not.toBe(pending.background);
    expect(running.border).not.toBe(pending.border);
    await saveScreenshot(page, 'platform-admin-1280-running');
    await setFaults({ latencyMs: null });

    await waitForRunStatus(page, 'COMPLETED');
    expect(await completedSteps(page)).toBe(ALL_STEPS);
    expect(await page.getByTestId('progress').getAttribute('aria-valuenow')).toBe('100');
    for (const action of ['Retry', 'Continue', 'Cancel', 'Start']) {
      expect(await page.getByRole('button', { name: action, exact: true }).count()).toBe(0);
    }
    const seqs = (await page.getByRole('list', { name: 'Events' }).getByRole('listitem').evaluateAll((items) => items.map((item) => Number(item.getAttribute('data-seq'))))).reverse();
    expect(seqs).toEqual(seqs.map((_, index) => index + 1));
    await page.getByTestId('activity-row').filter({ hasText: 'Mama Mboga Grocers' }).getByText('COMPLETED', { exact: true }).waitFor();
    expect(graphqlPosts).toEqual([]);
    await expectNoHorizontalOverflow(page);
    await saveScreenshot(page, 'platform-admin-1280-completed');
    expect(foreignRequests).toEqual([]);
  });

  it('keeps the activity list in creation order (newest first) and the selected workspace across a reload', async () => {
    // One workspace from before the page opened; the newer one is created on the page itself.
    await createTenants(['Kioski ya Kwanza'], { start: false });
    const { page } = await openPage();
    await createWorkspace(page, 'Kioski ya Pili', { demoItems: false });
    await page.getByTestId('activity-row').getByRole('button', { name: 'Kioski ya Kwanza' }).click();
    await runView(page, 'Kioski ya Kwanza').waitFor();
    const before = await activityNames(page);
    expect(before.indexOf('Kioski ya Pili')).toBeGreaterThanOrEqual(0);
    expect(before.indexOf('Kioski ya Pili')).toBeLessThan(before.indexOf('Kioski ya Kwanza'));

    await page.reload();
    await runView(page, 'Kioski ya Kwanza').waitFor();
    await page.getByTestId('activity-row').nth(before.length - 1).waitFor();
    expect(await activityNames(page)).toEqual(before);
    await expect(page.locator('[data-testid="activity-row"][aria-current="true"]').textContent()).resolves.toContain('Kioski ya Kwanza');
    // Its run went on meanwhile; it ends here, not in the next test.
    await page.getByTestId('activity-row').filter({ hasText: 'Kioski ya Pili' }).getByText('COMPLETED', { exact: true }).waitFor();
  });

  it('fits the platform admin\'s page on a phone-width screen (420 px)', async () => {
    const [[tenant], { page }] = await Promise.all([createTenants(['Mboga Fresh']), openPage({ viewport: PHONE })]);
    await showTenant(page, tenant!.id);
    await runView(page, 'Mboga Fresh').waitFor();
    await waitForRunStatus(page, 'COMPLETED');
    await expectNoHorizontalOverflow(page);
    await saveScreenshot(page, 'platform-admin-420');
  });

  it('shows a failed step with its error, explains Retry against Continue, and recovers the run with Retry', async () => {
    // A validation error (417) is permanent: the critical COMPANY step fails and stops the run.
    await setFaults({ failNext: { doctype: 'Company', method: 'POST', status: 417, count: 1 } });
    const [[tenant], { page, foreignRequests }] = await Promise.all([createTenants(['Soko Safi']), openPage()]);
    await showTenant(page, tenant!.id);
    await runView(page, 'Soko Safi').waitFor();

    await waitForRunStatus(page, 'FAILED');
    expect(await page.getByTestId('step-COMPANY').getAttribute('data-status')).toBe('FAILED');
    expect(await page.getByTestId('step-error-COMPANY').textContent()).not.toBe('');
    expect(await page.getByRole('button', { name: 'Cancel', exact: true }).count()).toBe(0);
    const help = await page.getByTestId('resume-help').textContent();
    expect(help).toContain('Retry runs the failed steps again');
    expect(help).toContain('Continue resumes at the first step');
    await expect(page.getByRole('button', { name: 'Continue', exact: true }).getAttribute('aria-describedby')).resolves.toBe('resume-help');
    await saveScreenshot(page, 'platform-admin-1280-failed');
    await page.setViewportSize(PHONE);
    await expectNoHorizontalOverflow(page);
    await saveScreenshot(page, 'platform-admin-420-failed');
    await page.setViewportSize(WIDE);

    await page.getByRole('button', { name: 'Retry', exact: true }).click();
    await waitForRunStatus(page, 'COMPLETED');
    expect(await completedSteps(page)).toBe(BASIC_STEPS);
    expect(await page.getByRole('button', { name: 'Retry', exact: true }).count()).toBe(0);
    expect(foreignRequests).toEqual([]);
  });

  it('gives the platform admin a run explorer: counts per run state and places in the queue that follow the runs live, without polling (1280 px)', async () => {
    const dukas = ['Duka Alpha', 'Duka Beta', 'Duka Gamma'];
    const { page } = await openPage();
    const before = await settledCounts(page);
    const tenantsQueries: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/graphql') && request.postData()?.includes('query Tenants')) tenantsQueries.push(request.postData()!);
    });

    // Created elsewhere, all at once: one takes the only engine slot while the others wait QUEUED,
    // and each fails at Company (a 417 is permanent). Slow engine calls keep each state in view.
    await setFaults({ latencyMs: 100, failNext: { doctype: 'Company', method: 'POST', status: 417, count: 3 } });
    await Promise.all(dukas.map((name) => admin.api.createTenant({ ...tenantInput({ name }), autoStart: true, provisioning: { template: 'BASIC' } })));
    await waitForCount(page, 'IN_PROGRESS', 1);
    await waitForCount(page, 'QUEUED', 2);
    // With no filter applied the table lists every tenant, the waiting ones with their place in the queue.
    await waitForQueuePlaces(page, ['#1 in queue', '#2 in queue']);
    await saveScreenshot(page, 'run-explorer-1280-queued');
    await waitForCount(page, 'QUEUED', 1);
    await waitForQueuePlaces(page, ['#1 in queue']);
    // Every state seen: the rest may go at full speed.
    await setFaults({ latencyMs: null });
    await waitForCount(page, 'FAILED', before.FAILED! + 3);
    await waitForCount(page, 'IN_PROGRESS', 0);
    await waitForCount(page, 'QUEUED', 0);
    expect(await page.getByTestId('count-COMPLETED').locator('.count').textContent()).toBe(String(before.COMPLETED));
    for (const name of dukas) expect(await tenantRow(page, name).locator('.badge').textContent()).toBe('FAILED');
    expect(tenantsQueries).toEqual([]);
  });

  it('filters the tenants by status, retries all shown with the service\'s answer, and the rows turn COMPLETED live (1280 px)', async () => {
    const failing = ['Kibanda Alpha', 'Kibanda Beta'];
    // Two fail at Company (a 417 is permanent); one of the same name completes, after them in the queue.
    await setFaults({ failNext: { doctype: 'Company', method: 'POST', status: 417, count: failing.length } });
    const [tenants, { page, foreignRequests }] = await Promise.all([createTenants([...failing, 'Kibanda la Jirani']), openPage()]);
    await runEnds(tenants.slice(0, failing.length));

    // Status and name together: only this test's failed tenants, not the completed one of the same name.
    await applyFilter(page, { status: 'FAILED', search: 'kibanda' });
    expect((await tenantRows(page).getByRole('link').allTextContents()).sort()).toEqual(failing);
    for (const name of failing) {
      const row = tenantRow(page, name);
      expect(await row.locator('.badge').textContent()).toBe('FAILED');
      expect(await row.locator('td.step').textContent()).toBe('Create the company');
      expect(await row.getByTestId('error-code').textContent()).toBe('ENGINE_VALIDATION');
      expect(await row.locator('td.age').textContent()).toBe('<1 min');
    }
    await expectNoHorizontalOverflow(page);
    await saveScreenshot(page, 'run-explorer-1280-failed');

    // By name, the failed tenants come with one that completed: the service refuses that one.
    await runEnds(tenants.slice(failing.length));
    await applyFilter(page, { search: 'kibanda' });
    expect((await tenantRows(page).getByRole('link').allTextContents()).sort()).toEqual([...failing, 'Kibanda la Jirani']);
    // Every one of them is in the explorer's counts now (a filter's answers join them).
    const before = await settledCounts(page);
    await page.getByRole('button', { name: 'Retry all shown' }).click();
    const confirm = page.getByRole('group', { name: 'Confirm retry' });
    expect(await confirm.textContent()).toContain('Retry the 3 tenants matching this filter? 2 can be retried now');
    await confirm.getByRole('button', { name: 'Retry 3' }).click();
    const result = page.getByTestId('bulk-result');
    await result.waitFor();
    expect(await result.locator('p').textContent()).toBe('Matched 3, accepted 2, refused 1.');
    expect(await result.getByRole('listitem').textContent()).toMatch(/^Kibanda la Jirani: INVALID_STATE /);

    for (const name of failing) await tenantRow(page, name).locator('.badge', { hasText: /^COMPLETED$/ }).waitFor();
    await waitForCount(page, 'COMPLETED', before.COMPLETED! + failing.length);
    await waitForCount(page, 'FAILED', before.FAILED! - failing.length);
    expect(await page.getByRole('button', { name: 'Retry all shown' }).isDisabled()).toBe(true);
    await saveScreenshot(page, 'run-explorer-1280-retried');
    expect(foreignRequests).toEqual([]);
  });

  it('opens a tenant\'s run view from its row, keeps it across a reload, and goes back to the explorer', async () => {
    const [, { page }] = await Promise.all([createTenants(['Genge Hodari']).then(runEnds), openPage()]);
    await applyFilter(page, { search: 'Genge Hodari' });
    await tenantRow(page, 'Genge Hodari').locator('.badge', { hasText: /^COMPLETED$/ }).waitFor();
    const before = await settledCounts(page);
    await tenantRow(page, 'Genge Hodari').locator('td.age').click();
    await runView(page, 'Genge Hodari').waitFor();
    await waitForRunStatus(page, 'COMPLETED');
    expect(await explorer(page).isVisible()).toBe(false);
    await page.reload();
    await runView(page, 'Genge Hodari').waitFor();
    await page.getByRole('link', { name: '← All runs' }).click();
    await explorer(page).waitFor();
    await waitForCount(page, 'COMPLETED', before.COMPLETED!);
    expect(await runView(page, 'Genge Hodari').count()).toBe(0);
  });

  it('fits the run explorer and its drill-down on a phone-width screen (420 px)', async () => {
    // One failed (its error code shown in its block) and one completed.
    await setFaults({ failNext: { doctype: 'Company', method: 'POST', status: 417, count: 1 } });
    const [, { page }] = await Promise.all([createTenants(['Meza Alpha', 'Meza Beta']).then(runEnds), openPage({ viewport: PHONE })]);
    await applyFilter(page, { search: 'meza' });
    expect(await tenantRows(page).count()).toBe(2);
    await tenantRow(page, 'Meza Alpha').getByTestId('error-code').filter({ hasText: 'ENGINE_VALIDATION' }).waitFor();
    await tenantRow(page, 'Meza Beta').locator('.badge', { hasText: /^COMPLETED$/ }).waitFor();
    // The table turns into one block per tenant; the page must not scroll sideways for it.
    expect(await page.locator('table.tenants thead').isVisible()).toBe(false);
    await expectNoHorizontalOverflow(page);
    await saveScreenshot(page, 'run-explorer-420');
    await tenantRow(page, 'Meza Beta').getByRole('link').click();
    await runView(page, 'Meza Beta').waitFor();
    await expectNoHorizontalOverflow(page);
    await page.getByRole('link', { name: '← All runs' }).click();
    await explorer(page).waitFor();
  });

  it('shows a workspace admin only its own run, across the page, on a desktop and on a phone', async () => {
    // The workspace admin signs in where the platform admin signed out.
    const [[own], { page, foreignRequests }] = await Promise.all([createTenants(['Mama Ntilie Foods']), openPage()]);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, own!.adminEmail, own!.adminPassword);
    const run = runView(page, 'Mama Ntilie Foods');
    await run.waitFor();
    await waitForRunStatus(page, 'COMPLETED');
    expect(await page.getByRole('form', { name: 'Create a workspace' }).count()).toBe(0);
    expect(await page.getByRole('region', { name: 'Activity' }).count()).toBe(0);
    expect(await explorer(page).count()).toBe(0);
    // Not squeezed into a sidebar-wide column: the run card takes most of the page.
    expect((await run.boundingBox())!.width).toBeGreaterThan(WIDE.width / 2);
    await expectNoHorizontalOverflow(page);
    await saveScreenshot(page, 'tenant-admin-1280');

    await page.setViewportSize(PHONE);
    await expectNoHorizontalOverflow(page);
    await saveScreenshot(page, 'tenant-admin-420');
    expect(foreignRequests).toEqual([]);
  });

  it('serves GraphiQL from the service itself, and runs a subscription in it over the WebSocket', async () => {
    const [tenant, { page, foreignRequests }] = await Promise.all([admin.api.createTenant(tenantInput()), resetPage({ signedIn: false, viewport: WIDE })]);
    const query = `subscription Follow { provisioningEvents(tenantId: "${tenant.id}") { seq type message } }`;
    const headers = JSON.stringify({ Authorization: `Bearer ${admin.token}` });

    await page.goto(`${service.url}/graphiql?${new URLSearchParams({ query, headers })}`);
    // The editors are monaco, loaded lazily: run only once the query is in the editor.
    await page.locator('.graphiql-query-editor', { hasText: 'provisioningEvents' }).waitFor();
    await page.locator('.graphiql-execute-button').click();
    await page.locator('.graphiql-response', { hasText: 'SNAPSHOT' }).waitFor();
    // Monaco renders spaces as no-break spaces; read the response as a person would.
    const response = (await page.locator('.graphiql-response').textContent())!.replace(/\s+/g, ' ');
    expect(response).toContain('"type": "SNAPSHOT", "message": "Not provisioned yet"');
    await saveScreenshot(page, 'graphiql-subscription');
    expect(foreignRequests).toEqual([]);
  });
});
