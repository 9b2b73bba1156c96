import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { ADMIN } from './processes.js';
import { runPool, waitFor } from './pool.js';

/** Tenants are created this many at a time: each hashes a password with scrypt (32 MiB, ~tens of ms). */
const CREATE_CONCURRENCY = 4;
/** Sockets are opened this many at a time, so connection setup does not swamp the server. */
const CONNECT_CONCURRENCY = 100;
/** How long every subscriber may take to receive its first message (the SNAPSHOT), in milliseconds. */
const SUBSCRIBE_TIMEOUT_MS = 120_000;

export interface GraphQLResult<T> {
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

export async function graphql<T>(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<GraphQLResult<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResult<T>;
}

export async function graphqlOk<T>(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const result = await graphql<T>(url, query, variables, token);
  if (result.errors?.length || !result.data) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
  return result.data;
}

export async function login(url: string): Promise<string> {
  const data = await graphqlOk<{ login: { token: string } }>(url, `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`, { e: ADMIN.email, p: ADMIN.password });
  return data.login.token;
}

let created = 0;

/** Creates `count` tenants through the API (not timed: setup). */
export async function createTenants(url: string, token: string, count: number): Promise<string[]> {
  return runPool(Array.from({ length: count }), CREATE_CONCURRENCY, async () => {
    const n = ++created;
    const unique = `${process.pid.toString(36)}-${n}`;
    const input = { name: `Bench ${unique}`, adminEmail: `owner-${unique}@bench.test`, adminName: 'Bench Owner', adminPassword: 'bench-tenant-password', countryCode: 'KE' };
    const data = await graphqlOk<{ createTenant: { id: string } }>(url, `mutation($input: CreateTenantInput!) { createTenant(input: $input) { id } }`, { input }, token);
    return data.createTenant.id;
  });
}

/** A wall-clock time in milliseconds with sub-millisecond resolution, comparable with `Date.parse`. */
export function wallNow(): number {
  return performance.timeOrigin + performance.now();
}

export interface ReceivedEvent {
  tenantId: string;
  seq: number;
  type: string;
  step: string | null;
  at: string;
  /** wallNow() when the message was handed to the client. */
  receivedAt: number;
}

export const EVENT_SELECTION = `seq tenantId type step message at provisioning { status progress currentStep }`;

export function socket(wsUrl: string, token: string): Client {
  return createClient({ url: wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0, lazy: true });
}

/**
 * `count` subscribers, one WebSocket each (as separate browser tabs would be), spread evenly
 * over `tenantIds`; resolves once every one has its SNAPSHOT, i.e. is live.
 */
export async function subscribeMany(wsUrl: string, token: string, tenantIds: readonly string[], count: number, onEvent: (event: ReceivedEvent, subscriber: number) => void) {
  const clients: Client[] = [];
  const disposers: Array<() => void> = [];
  let live = 0;
  const errors: unknown[] = [];
  await runPool(Array.from({ length: count }, (_, i) => tenantIds[i % tenantIds.length]!), CONNECT_CONCURRENCY, async (tenantId, subscriber) => {
    const client = socket(wsUrl, token);
    clients.push(client);
    await new Promise<void>((resolve) => {
      disposers.push(
        client.subscribe<{ provisioningEvents: Omit<ReceivedEvent, 'receivedAt'> }>(
          { query: `subscription($t: ID!) { provisioningEvents(tenantId: $t) { ${EVENT_SELECTION} } }`, variables: { t: tenantId } },
          {
            next: (message) => {
              const receivedAt = wallNow();
              const event = message.data?.provisioningEvents;
              if (!event) return void errors.push(message.errors);
              if (event.type === 'SNAPSHOT') {
                live += 1;
                return resolve();
              }
              onEvent({ ...event, receivedAt }, subscriber);
            },
            error: (error) => {
              errors.push(error);
              resolve();
            },
            complete: () => undefined,
          },
        ),
      );
    });
  });
  await waitFor(`${count} live subscriptions`, () => live + errors.length >= count, SUBSCRIBE_TIMEOUT_MS);
  if (errors.length) throw new Error(`${errors.length} subscriptions failed: ${JSON.stringify(errors[0])}`);
  return {
    async close() {
      for (const dispose of disposers) dispose();
      await Promise.all(clients.map((client) => client.dispose()));
    },
  };
}

const TERMINAL = new Set(['RUN_COMPLETED', 'RUN_PARTIAL', 'RUN_FAILED', 'RUN_CANCELLED']);

/**
 * One `provisioningActivity` subscriber that follows every tenant: how many events each has had
 * and how its last run ended. The benches use it to know when runs are over.
 */
export async function watchActivity(wsUrl: string, token: string) {
  const client = socket(wsUrl, token);
  const finished = new Map<string, string>();
  const finishedAt = new Map<string, number>();
  let events = 0;
  let firstAt = Number.NaN;
  let lastAt = Number.NaN;
  let failure: unknown;
  const dispose = client.subscribe<{ provisioningActivity: { tenantId: string; type: string } }>(
    { query: `subscription { provisioningActivity { tenantId type } }` },
    {
      next: (message) => {
        const event = message.data?.provisioningActivity;
        if (!event) return void (failure = message.errors);
        const at = wallNow();
        events += 1;
        if (Number.isNaN(firstAt)) firstAt = at;
        lastAt = at;
        if (TERMINAL.has(event.type)) {
          finished.set(event.tenantId, event.type);
          finishedAt.set(event.tenantId, at);
        } else if (event.type === 'RUN_STARTED' || event.type === 'RUN_RESUMED') {
          finished.delete(event.tenantId);
        }
      },
      error: (error) => void (failure = error),
      complete: () => undefined,
    },
  );
  // The activity feed is live only: give the subscription a moment to be registered.
  await new Promise((resolve) => setTimeout(resolve, 300));
  return {
    finished,
    finishedAt,
    get events() {
      return events;
    },
    get window() {
      return { firstAt, lastAt };
    },
    resetCounters() {
      events = 0;
      firstAt = Number.NaN;
      lastAt = Number.NaN;
    },
    async waitFinished(tenantIds: readonly string[], timeoutMs: number) {
      await waitFor(`${tenantIds.length} runs to finish`, () => {
        if (failure) throw new Error(`activity subscription failed: ${JSON.stringify(failure)}`);
        return tenantIds.every((id) => finished.has(id));
      }, timeoutMs, 20);
    },
    async close() {
      dispose();
      await client.dispose();
    },
  };
}
export type ActivityWatcher = Awaited<ReturnType<typeof watchActivity>>;
