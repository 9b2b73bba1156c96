import { graphqlOk, socket, wallNow } from './client.js';
import type { Service } from './processes.js';

/** Longest a single run may take before the bench gives up, in milliseconds. */
export const RUN_TIMEOUT_MS = 60_000;

/** One run through the service, as a client sees it: startProvisioning sent -> RUN_COMPLETED received. */
export async function timedRun(service: Service, token: string, client: ReturnType<typeof socket>, tenantId: string): Promise<{ wallMs: number; dbMs: number }> {
  let sentAt = 0;
  let startedAt = Number.NaN;
  let snapshot!: () => void;
  const live = new Promise<void>((resolve) => (snapshot = resolve));
  const done = new Promise<{ wallMs: number; dbMs: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`run of ${tenantId} did not complete in ${RUN_TIMEOUT_MS} ms`)), RUN_TIMEOUT_MS);
    const dispose = client.subscribe<{ provisioningEvents: { type: string; at: string } }>(
      { query: `subscription($t: ID!) { provisioningEvents(tenantId: $t) { seq type at } }`, variables: { t: tenantId } },
      {
        next: ({ data }) => {
          const event = data?.provisioningEvents;
          if (!event) return;
          if (event.type === 'SNAPSHOT') return snapshot();
          if (event.type === 'RUN_STARTED') startedAt = Date.parse(event.at);
          if (event.type.startsWith('RUN_') && event.type !== 'RUN_STARTED') {
            clearTimeout(timer);
            dispose();
            if (event.type !== 'RUN_COMPLETED') return reject(new Error(`run ended ${event.type}`));
            resolve({ wallMs: wallNow() - sentAt, dbMs: Date.parse(event.at) - startedAt });
          }
        },
        error: reject,
        complete: () => undefined,
      },
    );
  });
  await live;
  sentAt = wallNow();
  await graphqlOk(service.graphqlUrl, `mutation($t: ID!) { startProvisioning(tenantId: $t) { id } }`, { t: tenantId }, token);
  return done;
}
