import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import {
  createProvisioningClient,
  ProvisioningApiError,
  subscribeProvisioningActivity,
  subscribeProvisioningEvents,
  type ProvisioningEvent,
} from '../../client/src/index.js';
import { startSandbox, type RunningSandbox } from '../../src/engine/sandbox/index.js';
import { SandboxControl } from '../support/engine-sandbox.js';
import { freePort } from '../../src/server/database/embedded-postgres.js';
import { tenantInput } from '../support/api.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres-admin.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestService, type TestService } from '../support/service.js';

/** Per engine request, in milliseconds: long enough that a restart lands in the middle of the run. */
const ENGINE_LATENCY_MS = 100;

/** The generated SDK as a consumer uses it, against the real service over HTTP and WebSocket. */
describe('the client SDK', () => {
  let sandbox: RunningSandbox;
  let database: TestDatabase;
  let env: Record<string, string>;
  const services: TestService[] = [];

  beforeAll(async () => {
    // Both service processes must share the engine, the database, the port and the token key,
    // as two deployments of one service do.
    sandbox = await startSandbox();
    database = await createTestDatabase();
    env = {
      PORT: String(await freePort()),
      ERPNEXT_URL: sandbox.url,
      ERPNEXT_API_KEY: sandbox.apiKey,
      ERPNEXT_API_SECRET: sandbox.apiSecret,
      JWT_SECRET: randomBytes(32).toString('hex'),
    };
    services.push(await startTestService(env, { database }));
  });

  afterAll(async () => {
    for (const service of services) await service.stop().catch(() => undefined);
    await database?.drop();
    await sandbox?.close();
  });

  const current = () => services.at(-1)!;

  async function signIn() {
    const { token } = await createProvisioningClient({ url: current().graphqlUrl }).login(ADMIN_EMAIL, ADMIN_PASSWORD);
    return { token, api: createProvisioningClient({ url: current().graphqlUrl, token }) };
  }

  it('hands out every event exactly once, in order, across a server restart in the middle of a run', async () => {
    const { token, api } = await signIn();
    await new SandboxControl(sandbox).setFaults({ latencyMs: ENGINE_LATENCY_MS });
    const graphqlUrl = current().graphqlUrl;
    const activity: ProvisioningEvent[] = [];
    const activityEnded = (async () => {
      for await (const event of subscribeProvisioningActivity({ url: graphqlUrl, token, webSocketImpl: WebSocket })) {
        activity.push(event);
        if (event.type === 'RUN_COMPLETED') return;
      }
    })();
    const tenant = await api.createTenant({ ...tenantInput(), autoStart: true });

    const events: ProvisioningEvent[] = [];
    let restart: Promise<void> | undefined;
    for await (const event of subscribeProvisioningEvents({ url: graphqlUrl, token, tenantId: tenant.id, after: 0, webSocketImpl: WebSocket })) {
      events.push(event);
      if (!restart && event.type === 'STEP_COMPLETED' && event.step === 'COMPANY') {
        // Graceful stop (the run's lease is released), then a new process on the same port and database.
        restart = (async () => {
          await current().stop();
          services.push(await startTestService(env, { database }));
        })();
      }
      if (event.type === 'RUN_COMPLETED') break;
    }
    await restart;
    await activityEnded;

    const seqs = events.map((event) => event.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, index) => index + 1));
    // The activity stream has no replay: it starts where it first sees the tenant, then misses nothing, restart or not.
    const activitySeqs = activity.filter((event) => event.tenantId === tenant.id).map((event) => event.seq);
    expect(activitySeqs).toEqual(seqs.slice(seqs.indexOf(activitySeqs[0]!)));
    expect(events.map((event) => event.type)).toContain('RUN_RESUMED');
    expect(events.at(-1)!.provisioning?.status).toBe('COMPLETED');
    const after = await createProvisioningClient({ url: graphqlUrl, token }).tenant(tenant.id);
    expect(after?.lastEventSeq).toBe(seqs.at(-1));
    expect(after?.provisioningStatus).toBe('PROVISIONED');
  });

  it('ends the iterator with the service\'s error code when the subscription is refused', async () => {
    const { token, api } = await signIn();
    const tenant = await api.createTenant(tenantInput());
    const iterator = subscribeProvisioningEvents({ url: current().graphqlUrl, token, tenantId: tenant.id, after: -1, webSocketImpl: WebSocket });
    const failure = await iterator.next().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProvisioningApiError);
    expect((failure as ProvisioningApiError).code).toBe('BAD_USER_INPUT');
    expect((failure as ProvisioningApiError).message).toContain('after');
  });

  it('ends the iterator with UNAUTHENTICATED when the service refuses the token (close 4401)', async () => {
    const { api } = await signIn();
    const tenant = await api.createTenant(tenantInput());
    const iterator = subscribeProvisioningEvents({ url: current().graphqlUrl, token: 'not-a-token', tenantId: tenant.id, after: 0, webSocketImpl: WebSocket });
    const failure = await iterator.next().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProvisioningApiError);
    expect((failure as ProvisioningApiError).code).toBe('UNAUTHENTICATED');
  });
});
