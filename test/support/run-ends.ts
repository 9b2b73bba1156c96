import { EVENT_FIELDS } from './api.js';
import { wsClient } from './graphql.js';
import { RUN_END_TYPES, type EventItem } from './provisioning.js';

/**
 * Resolves once every tenant in `tenantIds` has ended a run, with how each ended. Each tenant
 * is followed with `after: 0`, which replays what already happened, so it does not matter
 * whether the runs start before or after this subscribes.
 */
export async function waitForRunEnds(wsUrl: string, token: string, tenantIds: Set<string>): Promise<Map<string, string>> {
  const client = wsClient(wsUrl, token);
  const ends = new Map<string, string>();
  try {
    await Promise.all(
      [...tenantIds].map(
        (tenantId) =>
          new Promise<void>((resolve, reject) => {
            const dispose = client.subscribe<{ provisioningEvents: EventItem }>(
              { query: `subscription ($tenantId: ID!) { provisioningEvents(tenantId: $tenantId, after: 0) { ${EVENT_FIELDS} } }`, variables: { tenantId } },
              {
                next: ({ data, errors }) => {
                  if (errors?.length) return reject(new Error(errors[0]!.message));
                  const event = data!.provisioningEvents;
                  if (!RUN_END_TYPES.has(event.type)) return;
                  ends.set(tenantId, event.type);
                  dispose();
                  resolve();
                },
                error: reject,
                complete: () => resolve(),
              },
            );
          }),
      ),
    );
    return new Map([...tenantIds].map((id) => [id, ends.get(id)!]));
  } finally {
    await client.dispose();
  }
}

