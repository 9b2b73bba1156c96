import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { startSandbox, type RunningSandbox } from '../../src/engine/sandbox/index.js';
import { startTestService, type TestService } from '../support/service.js';

/**
 * The sign-in form names the development admin's password file only while that generated admin
 * is in use (the browser suite shows it then); with an admin of one's own, or in production, the
 * page says nothing about it.
 */
describe.each([
  ['ADMIN_EMAIL and ADMIN_PASSWORD are set', false],
  ['NODE_ENV=production', true],
])('the provisioning page when %s', (_, production: boolean) => {
  let service: TestService;
  // Production refuses the built-in sandbox, so it gets an ERPNext of its own.
  let engine: RunningSandbox | undefined;

  beforeAll(async () => {
    if (!production) {
      service = await startTestService();
      return;
    }
    engine = await startSandbox({ port: 0 });
    service = await startTestService({
      NODE_ENV: 'production',
      JWT_SECRET: randomBytes(32).toString('hex'),
      ADMIN_EMAIL: '',
      ADMIN_PASSWORD: '',
      ERPNEXT_URL: engine.url,
      ERPNEXT_API_KEY: engine.apiKey,
      ERPNEXT_API_SECRET: engine.apiSecret,
    });
  });

  afterAll(async () => {
    await service?.stop();
    await engine?.close();
  });

  it('names no development admin and no password file', async () => {
    const response = await fetch(`${service.url}/`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<script type="application/json" id="page-config">{"developmentAdmin":null}</script>');
    expect(html).not.toContain('admin-password');
  });
});
