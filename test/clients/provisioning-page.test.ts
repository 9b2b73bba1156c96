import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { createProvisioningClient } from '../../client/src/index.js';
import { tenantInput } from '../support/api.js';
import { SandboxControl } from '../support/engine-sandbox.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestService, type TestService } from '../support/service.js';
import { openBrowser, saveScreenshot, type Browser } from './browser.js';

const ALL_STEPS = 11;

/** The provisioning page and GraphiQL, driven in headless Chromium as a person would use them. */
describe('the browser clients', () => {
  let service: TestService;
  let browser: Browser;

  beforeAll(async () => {
    service = await startTestService();
    browser = await openBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  async function setFaults(faults: Record<string, unknown>) {
    await new SandboxControl(service.sandbox!).setFaults(faults);
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
    const run = page.getByRole('region', { name: `Provisioning of ${name}` });
    const alert = form.getByRole('alert');
    await run.or(alert).waitFor();
    expect(await alert.count() ? await alert.textContent() : 'run view shown').toBe('run view shown');
  }

  const completedSteps = (page: Page) => page.locator('tr[data-status="COMPLETED"]').count();
  const waitForRunStatus = (page: Page, status: string) => page.locator('[data-testid="run-status"]', { hasText: new RegExp(`^${status}$`) }).waitFor();

  it('signs in, creates a workspace and shows its eleven steps completing live, without polling', async () => {
    const { page } = browser;
    await setFaults({ latencyMs: 20 });
    await page.goto(`${service.url}/`);
    await page.getByLabel('Email').fill(ADMIN_EMAIL);
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('signed-in-as').textContent()).resolves.toContain(ADMIN_EMAIL);

    // Every change after the workspace is created must come over the WebSocket.
    const graphqlPosts: string[] = [];
    await createWorkspace(page, 'Mama Mboga Grocers');
    page.on('request', (request) => {
      if (request.url().endsWith('/graphql') && request.method() === 'POST') graphqlPosts.push(request.postData() ?? '');
    });

    await waitForRunStatus(page, 'COMPLETED');
    expect(await completedSteps(page)).toBe(ALL_STEPS);
    expect(await page.getByTestId('progress').getAttribute('aria-valuenow')).toBe('100');
    for (const action of ['Retry', 'Continue', 'Cancel', 'Start']) {
      expect(await page.getByRole('button', { name: action, exact: true }).count()).toBe(0);
    }
    const row = page.getByTestId('activity-row').filter({ hasText: 'Mama Mboga Grocers' });
    await row.getByText('COMPLETED', { exact: true }).waitFor();
    expect(graphqlPosts).toEqual([]);
    await saveScreenshot(page, 'provisioning-page-completed');
    expect(browser.foreignRequests).toEqual([]);
    await setFaults({ latencyMs: null });
  });

  it('shows a failed step with its error and recovers the run with the Retry button', async () => {
    const { page } = browser;
    // A validation error (417) is permanent: the critical COMPANY step fails and stops the run.
    await setFaults({ failNext: { doctype: 'Company', method: 'POST', status: 417, count: 1 } });
    await createWorkspace(page, 'Duka la Jirani');

    await waitForRunStatus(page, 'FAILED');
    const company = page.getByTestId('step-COMPANY');
    expect(await company.getAttribute('data-status')).toBe('FAILED');
    expect(await page.getByTestId('step-error-COMPANY').textContent()).not.toBe('');
    expect(await page.getByRole('button', { name: 'Cancel', exact: true }).count()).toBe(0);
    await saveScreenshot(page, 'provisioning-page-failed');

    await page.getByRole('button', { name: 'Retry', exact: true }).click();
    await waitForRunStatus(page, 'COMPLETED');
    expect(await completedSteps(page)).toBe(ALL_STEPS);
    expect(await page.getByRole('button', { name: 'Retry', exact: true }).count()).toBe(0);
    expect(browser.foreignRequests).toEqual([]);
  });

  it('serves GraphiQL from the service itself, and runs a subscription in it over the WebSocket', async () => {
    const api = createProvisioningClient({ url: service.graphqlUrl });
    const { token } = await api.login(ADMIN_EMAIL, ADMIN_PASSWORD);
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
