import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { isSubscriptionOperation } from '@apollo/client/utilities';
import { ProvisioningEventsDocument, RUN_END_EVENTS, TenantsDocument, type ProvisioningEvent } from '@tenant-provisioning/client';
import { createClient } from 'graphql-ws';

/** Queries and mutations over HTTP, subscriptions over graphql-ws on the same URL. */
export function createApolloClient(url: string, token: string) {
  const http = new HttpLink({ uri: url, headers: { authorization: `Bearer ${token}` } });
  // Browsers cannot set headers on a WebSocket: the token goes in connection_init instead.
  const ws = new GraphQLWsLink(createClient({ url: url.replace(/^http/, 'ws'), connectionParams: { authorization: `Bearer ${token}` } }));
  const link = ApolloLink.split(({ query }) => isSubscriptionOperation(query), ws, http);
  return new ApolloClient({ link, cache: new InMemoryCache() });
}

export async function workspaceNames(client: ApolloClient): Promise<string[]> {
  const { data } = await client.query({ query: TenantsDocument, variables: { first: 50 } });
  return data?.tenants.edges.map((edge) => edge.node.name) ?? [];
}

/** Every event of the tenant's run, replayed from the first, until the run ends. */
export function followRun(client: ApolloClient, tenantId: string): Promise<ProvisioningEvent[]> {
  const events: ProvisioningEvent[] = [];
  return new Promise((resolve, reject) => {
    const subscription = client.subscribe({ query: ProvisioningEventsDocument, variables: { tenantId, after: 0 } }).subscribe({
      next: ({ data, error }) => {
        if (error || !data) return reject(error);
        events.push(data.provisioningEvents);
        if (!RUN_END_EVENTS.includes(data.provisioningEvents.type)) return;
        subscription.unsubscribe();
        resolve(events);
      },
      error: reject,
    });
  });
}
