import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loginAs, createTenant } from '../support/api.js';
import { spawnService, type ChildService } from '../support/child-service.js';
import { graphqlOk } from '../support/graphql.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/service.js';

/** The service as `npm start` runs it: embedded PostgreSQL in DATA_DIR, no DATABASE_URL. */
describe('the service on its embedded PostgreSQL', () => {
  let dataDir: string;
  const children: ChildService[] = [];

  afterAll(async () => {
    for (const child of children) if (child.process.exitCode === null) await child.kill('SIGKILL');
    // A server orphaned by the SIGKILL below is stopped by the next start; stop the last one here.
    if (dataDir) {
      const last = await spawnIn(dataDir).catch(() => null);
      await last?.kill('SIGTERM');
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  const spawnIn = async (dir: string) => {
    const child = await spawnService({ DATA_DIR: dir, DATABASE_URL: '', ADMIN_EMAIL, ADMIN_PASSWORD });
    children.push(child);
    return child;
  };

  it('keeps tenants across a graceful restart and comes back after kill -9', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'provisioning-embedded-'));
    const first = await spawnIn(dataDir);
    const token = await loginAs(`${first.url}/graphql`);
    const tenant = await createTenant(`${first.url}/graphql`, token, { name: 'Persistent Traders' });

    expect(await first.kill('SIGTERM')).toBe(0);
    expect(first.output()).toContain('"msg":"shutdown complete"');

    const second = await spawnIn(dataDir);
    const read = async (url: string) =>
      graphqlOk<{ tenant: { name: string } | null }>(`${url}/graphql`, `query ($id: ID!) { tenant(id: $id) { name } }`, { id: tenant.id }, await loginAs(`${url}/graphql`));
    expect((await read(second.url)).tenant).toEqual({ name: 'Persistent Traders' });

    await second.kill('SIGKILL');
    const third = await spawnIn(dataDir);
    expect(third.output()).toContain('stopping a PostgreSQL left running by a previous process');
    expect((await read(third.url)).tenant).toEqual({ name: 'Persistent Traders' });
    expect(await third.kill('SIGTERM')).toBe(0);
  });

  it('refuses a second service on a DATA_DIR whose service still runs, and leaves that one working', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'provisioning-embedded-'));
    try {
      const running = await spawnIn(dir);
      await expect(spawnIn(dir)).rejects.toThrow(/service exited with 1 before starting:[\s\S]*DATA_DIR \S+ is in use by another running service \(pid \d+\): stop it first/);
      const token = await loginAs(`${running.url}/graphql`);
      expect((await createTenant(`${running.url}/graphql`, token, { name: 'Still Trading' })).name).toBe('Still Trading');
      expect(await running.kill('SIGTERM')).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
