import { ProvisioningEventsDocument, RUN_END_EVENTS, TenantsDocument, type ProvisioningEvent, type ProvisioningEventsSubscription } from '@tenant-provisioning/client';
import { print } from 'graphql';
import { GraphQLClient } from 'graphql-request';
import { createClient } from 'graphql-ws';

/** graphql-request for queries and mutations; it has no subscriptions, graphql-ws brings those. */
export async function workspaceNames(url: string, token: string): Promise<string[]> {
  const client = new GraphQLClient(url, { headers: { authorization: `Bearer ${token}` } });
  const { tenants } = await client.request(TenantsDocument, { first: 50 });
  return tenants.edges.map((edge) => edge.node.name);
}

/** Every event of the tenant's run, replayed from the first, until the run ends. */
export async function followRun(url: string, token: string, tenantId: string): Promise<ProvisioningEvent[]> {
  const ws = createClient({ url: url.replace(/^http/, 'ws'), connectionParams: { authorization: `Bearer ${token}` } });
  const events: ProvisioningEvent[] = [];
  try {
    const results = ws.iterate<ProvisioningEventsSubscription>({ query: print(ProvisioningEventsDocument), variables: { tenantId, after: 0 } });
    for await (const { data, errors } of results) {
      if (errors?.length || !data) throw new Error(errors?.[0]?.message ?? 'no data');
      events.push(data.provisioningEvents);
      if (RUN_END_EVENTS.includes(data.provisioningEvents.type)) break;
    }
  } finally {
    await ws.dispose();
  }
  return events;
}
