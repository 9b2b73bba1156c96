import { Client, cacheExchange, fetchExchange, subscriptionExchange } from '@urql/core';
import { ProvisioningEventsDocument, RUN_END_EVENTS, TenantsDocument, type ProvisioningEvent } from '@tenant-provisioning/client';
import { createClient } from 'graphql-ws';

/** Queries (as GET, urql's default) and mutations over HTTP, subscriptions over graphql-ws. */
export function createUrqlClient(url: string, token: string) {
  const ws = createClient({ url: url.replace(/^http/, 'ws'), connectionParams: { authorization: `Bearer ${token}` } });
  return new Client({
    url,
    // The Authorization header also satisfies the service's CSRF check on GET requests.
    fetchOptions: { headers: { authorization: `Bearer ${token}` } },
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink) }),
        }),
      }),
    ],
  });
}

export async function workspaceNames(client: Client): Promise<string[]> {
  const { data, error } = await client.query(TenantsDocument, { first: 50 }).toPromise();
  if (error) throw error;
  return data?.tenants.edges.map((edge) => edge.node.name) ?? [];
}

/** Every event of the tenant's run, replayed from the first, until the run ends. */
export function followRun(client: Client, tenantId: string): Promise<ProvisioningEvent[]> {
  const events: ProvisioningEvent[] = [];
  return new Promise((resolve, reject) => {
    const subscription = client.subscription(ProvisioningEventsDocument, { tenantId, after: 0 }).subscribe(({ data, error }) => {
      if (error || !data) return reject(error);
      events.push(data.provisioningEvents);
      if (!RUN_END_EVENTS.includes(data.provisioningEvents.type)) return;
      subscription.unsubscribe();
      resolve(events);
    });
  });
}
