import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { createProvisioningClient } from '../../client/src/index.js';
import { tenantInput } from '../support/api.js';
import { SandboxControl } from '../support/engine-sandbox.js';
import { startTestService, type TestService } from '../support/service.js';
import { openBrowser, saveScreenshot, type Browser } from './browser.js';

const ALL_STEPS = 11;
const WIDE = { width: 1280, height: 900 };
const PHONE = { width: 420, height: 900 };

/**
 * The provisioning page and GraphiQL, driven in headless Chromium as people would use them: the
 * platform admin and a workspace admin, each on a desktop (1280 px) and a phone-width (420 px)
 * screen. The service runs with the generated development admin, as after a first `npm start`.
 */
describe('the browser clients', () => {
  let service: TestService;
  let browser: Browser;
  /** The workspace created first, with its admin's sign-in. */
  let firstWorkspace: ReturnType<typeof tenantInput>;

  beforeAll(async () => {
    service = await startTestService({ ADMIN_EMAIL: '', ADMIN_PASSWORD: '' });
    browser = await openBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  async function setFaults(faults: Record<string, unknown>) {
    await new SandboxControl(service.sandbox!).setFaults(faults);
  }

  async function signIn(page: Page, email: string, password: string) {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('signed-in-as').textContent()).resolves.toContain(email);
  }

  async function createWorkspace(page: Page, name: string) {
    const input = tenantInput({ name });
    const form = page.getByRole('form', { name: 'Create a workspace' });
    await form.getByLabel('Workspace name').fill(input.name);
    await form.getByLabel('Country (ISO code)').fill('KE');
    await form.getByLabel('Admin name').fill(input.adminName);
    await form.getByLabel('Admin email').fill(input.adminEmail);
    await form.getByLabel('Admin password').fill(input.adminPassword);
    // With demo items the optional DEMO_ITEMS step runs too, so all eleven steps can complete.
    await form.getByLabel('Include demo items').check();
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

  /** What a person would notice first on a phone: the page scrolls sideways. */
  async function expectNoHorizontalOverflow(page: Page) {
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.scrollingElement!.scrollWidth, innerWidth: window.innerWidth }));
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
  }

  it('says on the sign-in page where the development password is, and that password signs the platform admin in', async () => {
    const { page } = browser;
    const failedRequests: string[] = [];
    page.on('response', (response) => {
      if (response.status() >= 400) failedRequests.push(`${response.status()} ${response.url()}`);
    });
    await page.setViewportSize(PHONE);
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
    const { page } = browser;
    // Slow enough engine calls that a step is seen RUNNING while later ones wait.
    await setFaults({ latencyMs: 150 });
    const graphqlPosts: string[] = [];
    firstWorkspace = await createWorkspace(page, 'Mama Mboga Grocers');
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
    expect(browser.foreignRequests).toEqual([]);
  });

  it('keeps the activity list in creation order (newest first) and the selected workspace across a reload', async () => {
    const { page } = browser;
    await createWorkspace(page, 'Duka la Jirani');
    await waitForRunStatus(page, 'COMPLETED');
    await page.getByTestId('activity-row').getByRole('button', { name: 'Mama Mboga Grocers' }).click();
    await runView(page, 'Mama Mboga Grocers').waitFor();
    const before = await activityNames(page);
    expect(before.indexOf('Duka la Jirani')).toBeLessThan(before.indexOf('Mama Mboga Grocers'));

    await page.reload();
    await runView(page, 'Mama Mboga Grocers').waitFor();
    await page.getByTestId('activity-row').nth(before.length - 1).waitFor();
    expect(await activityNames(page)).toEqual(before);
    await expect(page.locator('[data-testid="activity-row"][aria-current="true"]').textContent()).resolves.toContain('Mama Mboga Grocers');
  });

  it('fits the platform admin\'s page on a phone-width screen (420 px)', async () => {
    const { page } = browser;
    await page.setViewportSize(PHONE);
    await waitForRunStatus(page, 'COMPLETED');
    await expectNoHorizontalOverflow(page);
    await saveScreenshot(page, 'platform-admin-420');
    await page.setViewportSize(WIDE);
  });

  it('shows a failed step with its error, explains Retry against Continue, and recovers the run with Retry', async () => {
    const { page } = browser;
    // A validation error (417) is permanent: the critical COMPANY step fails and stops the run.
    await setFaults({ failNext: { doctype: 'Company', method: 'POST', status: 417, count: 1 } });
    await createWorkspace(page, 'Soko Safi');

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
    expect(await completedSteps(page)).toBe(ALL_STEPS);
    expect(await page.getByRole('button', { name: 'Retry', exact: true }).count()).toBe(0);
    expect(browser.foreignRequests).toEqual([]);
  });

  it('shows a workspace admin only its own run, across the page, on a desktop and on a phone', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, firstWorkspace.adminEmail, firstWorkspace.adminPassword);
    const run = runView(page, 'Mama Mboga Grocers');
    await run.waitFor();
    await waitForRunStatus(page, 'COMPLETED');
    expect(await page.getByRole('form', { name: 'Create a workspace' }).count()).toBe(0);
    expect(await page.getByRole('region', { name: 'Activity' }).count()).toBe(0);
    // Not squeezed into a sidebar-wide column: the run card takes most of the page.
    expect((await run.boundingBox())!.width).toBeGreaterThan(WIDE.width / 2);
    await expectNoHorizontalOverflow(page);
    await saveScreenshot(page, 'tenant-admin-1280');

    await page.setViewportSize(PHONE);
    await expectNoHorizontalOverflow(page);
    await saveScreenshot(page, 'tenant-admin-420');
    await page.setViewportSize(WIDE);
    expect(browser.foreignRequests).toEqual([]);
  });

  it('serves GraphiQL from the service itself, and runs a subscription in it over the WebSocket', async () => {
    const passwordFile = service.logLines.find((line) => typeof line.passwordFile === 'string')!.passwordFile as string;
    const { token } = await createProvisioningClient({ url: service.graphqlUrl }).login('admin@localhost', (await readFile(passwordFile, 'utf8')).trim());
    const tenant = await createProvisioningClient({ url: service.graphqlUrl, token }).createTenant(tenantInput());
    const query = `subscription Follow { provisioningEvents(tenantId: "${tenant.id}") { seq type message } }`;
    const headers = JSON.stringify({ Authorization: `Bearer ${token}` });

    const page = await browser.context.newPage();
    await page.goto(`${service.url}/graphiql?${new URLSearchParams({ query, headers })}`);
    // The editors are monaco, loaded lazily: run only once the query is in the editor.
    await page.locator('.graphiql-query-editor', { hasText: 'provisioningEvents' }).waitFor();
    await page.locator('.graphiql-execute-button').click();
    await page.locator('.graphiql-response', { hasText: 'SNAPSHOT' }).waitFor();
    // Monaco renders spaces as no-break spaces; read the response as a person would.
    const response = (await page.locator('.graphiql-response').textContent())!.replace(/\s+/g, ' ');
    expect(response).toContain('"type": "SNAPSHOT", "message": "Not provisioned yet"');
    await saveScreenshot(page, 'graphiql-subscription');
    expect(browser.foreignRequests).toEqual([]);
    await page.close();
  });
});
