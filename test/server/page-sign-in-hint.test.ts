import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { startTestService, type TestService } from '../support/service.js';

/**
 * The sign-in form names the development admin's password file only while that generated admin
 * is in use (the browser suite shows it then); with an admin of one's own, or in production, the
 * page says nothing about it.
 */
describe.each([
  ['ADMIN_EMAIL and ADMIN_PASSWORD are set', {}],
  ['NODE_ENV=production', { NODE_ENV: 'production', JWT_SECRET: randomBytes(32).toString('hex'), ADMIN_EMAIL: '', ADMIN_PASSWORD: '' }],
])('the provisioning page when %s', (_, env: Record<string, string>) => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService(env);
  });

  afterAll(() => service?.stop());

  it('names no development admin and no password file', async () => {
    const response = await fetch(`${service.url}/`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<script type="application/json" id="page-config">{"developmentAdmin":null}</script>');
    expect(html).not.toContain('admin-password');
  });
});
